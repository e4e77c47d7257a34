"""The server-wide gate on fine-tuning runs: a second one waits, and Stop ends the wait."""

from __future__ import annotations

import time

from app_support.training.job import FINE_TUNING, TrainingJob
from cnn_core.training.regimes import Regime
from cnn_core.training.trainer import TrainSettings


def _wait_for(condition, timeout_s: float = 30.0) -> bool:
    """Poll ``condition`` (a hang guard, not a speed check)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_fine_tuning_run_waits_while_another_holds_the_gate_and_stop_ends_the_wait():
    assert FINE_TUNING.acquire(timeout=5)  # another visitor's fine-tuning run
    try:
        # neither the model nor the data is touched before the gate opens
        job = TrainingJob(None, None, Regime("full"), TrainSettings(epochs=1))  # type: ignore[arg-type]
        assert _wait_for(lambda: job.waiting)
        assert job.run is None and not job.done
        job.stop()
        assert _wait_for(lambda: job.done)
        assert job.run is None and job.error is None
    finally:
        FINE_TUNING.release()
    assert FINE_TUNING.acquire(blocking=False)  # the stopped job did not keep the gate
    FINE_TUNING.release()
