"""A fine-tuning run needs the whole server: in the line of heavy jobs it waits until nothing else runs,
and Stop takes it out of the line before it touches the model or the data."""

from __future__ import annotations

from app_support.shared.job_pool import JobPool
from app_support.training.job import TrainingJob
from cnn_core.training.regimes import Regime
from cnn_core.training.trainer import TrainSettings
from tests.core.test_job_pool import FakeJob


def test_a_fine_tuning_run_waits_while_another_job_runs_and_stop_takes_it_out_of_line():
    pool = JobPool(2)
    other = FakeJob("another visitor's job")
    pool.submit(other)
    try:
        # neither the model nor the data is touched before it starts
        job = TrainingJob(None, None, Regime("full"), TrainSettings(epochs=1))  # type: ignore[arg-type]
        pool.submit(job)
        assert job.exclusive and job.queued and pool.position(job) == 1  # a slot is free, but not the server
        assert job.notice.startswith("Queued: 1st in line")
        job.stop()
        assert not job.running and job.run is None and job.error is None
        assert pool.counts == (1, 0)
    finally:
        other.finish.set()
        other.join(30)
    assert pool.counts == (0, 0)


def test_only_runs_that_back_propagate_through_the_base_need_the_whole_server():
    needs = {
        str(regime): TrainingJob(None, None, regime, TrainSettings()).exclusive  # type: ignore[arg-type]
        for regime in (Regime("head"), Regime("partial", 12), Regime("full"), Regime("scratch"))
    }
    assert needs == {"head": False, "partial:12": True, "full": True, "scratch": True}
