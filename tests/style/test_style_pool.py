"""AppTest: when the server's line of heavy jobs is full, Run on the style page shows its place in line and
the wait, and Stop takes it out of the line (fake jobs that never end by themselves fill the line)."""

from __future__ import annotations

from app_support.shared.job_pool import HEAVY_JOBS, wait_estimate
from tests.apptest import run_page
from tests.core.test_job_pool import FakeJob, wait_for

TIMEOUT = 240


def test_a_full_server_puts_the_run_in_line_and_stop_takes_it_out():
    assert wait_for(lambda: HEAVY_JOBS.counts == (0, 0), TIMEOUT)  # what other tests started has ended
    running = [FakeJob(f"busy{k}", left=10.0) for k in range(HEAVY_JOBS.slots)]
    waiting = [FakeJob(f"waiting{k}", expected=20.0) for k in range(2)]
    try:
        for job in (*running, *waiting):
            HEAVY_JOBS.submit(job)
        assert wait_for(lambda: all(job.began.is_set() for job in running))
        at = run_page("style_transfer.py", TIMEOUT, st_size="64", st_steps="5")
        at.button(key="st_run").click().run()
        assert not at.exception
        job = at.session_state["st_job"]
        assert job.queued and job.latest is None
        wait = wait_estimate([10.0] * HEAVY_JOBS.slots, [(20.0, False)] * 2, HEAVY_JOBS.slots, False)
        queued = [info.value for info in at.info if info.value.startswith("Queued")]
        assert queued and queued[0].startswith(f"Queued: 3rd in line, about {wait:.0f} s.")
        assert not at.button(key="st_stop").disabled

        at.button(key="st_stop").click().run()
        assert not at.exception and not job.running and job.problem is None  # it never started
        assert HEAVY_JOBS.position(job) is None and HEAVY_JOBS.counts == (len(running), 2)
        assert any("Stopped while waiting in line" in info.value for info in at.info)
        assert at.button(key="st_stop").disabled
    finally:
        for job in (*running, *waiting):
            job.finish.set()
            job.stop()
            job.join(30)
