"""The server's line of heavy jobs, with fake jobs that move only when the test says (no TensorFlow): first
come first served, never more than ``slots`` at once, places in line, Stop in line, exclusive jobs, and
jobs whose session is gone cancelled with their payload freed."""

from __future__ import annotations

import gc
import threading
import time
import weakref

from app_support.shared.job import BackgroundJob
from app_support.shared.job_pool import JobPool, session_alive, wait_estimate


def wait_for(condition, timeout_s: float = 30.0) -> bool:
    """Poll ``condition`` (a hang guard, not a speed check)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class _Payload:
    """Stands in for a job's pictures and results (a weak reference can watch it)."""


class Board:
    """What the fake jobs report: the order they began in, and the most working at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.began: list[str] = []
        self.working = 0
        self.most = 0

    def enter(self, name: str) -> None:
        with self.lock:
            self.began.append(name)
            self.working += 1
            self.most = max(self.most, self.working)

    def leave(self) -> None:
        with self.lock:
            self.working -= 1


class FakeJob(BackgroundJob):
    """Reports a step every 10 ms until ``finish`` is set; ``expected`` and ``left`` are its estimates."""

    held = ("payload",)

    def __init__(
        self,
        name: str,
        board: Board | None = None,
        session: str | None = None,
        expected: float | None = None,
        left: float | None = None,
        exclusive: bool = False,
    ) -> None:
        super().__init__(name)
        self.board = board or Board()
        self.session_id = session
        self.exclusive = exclusive
        self.payload: _Payload | None = _Payload()
        self.finish = threading.Event()
        self.began = threading.Event()
        self._expected, self._left = expected, left

    def _steps(self):
        self.board.enter(self.name)
        self.began.set()
        try:
            step = 0
            while not self.finish.wait(0.01):
                step += 1
                yield step
        finally:
            self.board.leave()

    def expected_s(self) -> float | None:
        return self._expected

    def remaining_s(self) -> float | None:
        return self._left


def _end_all(jobs) -> None:
    for job in jobs:
        job.finish.set()
        job.stop()
    for job in jobs:
        job.join(30)


def test_jobs_start_in_the_order_they_came_and_never_more_than_the_slots_at_once():
    board = Board()
    pool = JobPool(2)
    jobs = [FakeJob(f"job{k}", board) for k in range(6)]
    for job in jobs:
        pool.submit(job)
    assert wait_for(lambda: jobs[0].began.is_set() and jobs[1].began.is_set())
    assert pool.counts == (2, 4)
    assert [pool.position(job) for job in jobs] == [None, None, 1, 2, 3, 4]
    for k in (1, 0, 3, 2, 5, 4):  # end them out of order: the line still starts them in order
        assert wait_for(jobs[k].began.is_set)
        jobs[k].finish.set()
        jobs[k].join(30)
    assert board.began == [job.name for job in jobs]
    assert board.most == 2
    assert pool.counts == (0, 0)
    assert all(not job.running and not job.stopped for job in jobs)


def test_stop_in_line_leaves_it_and_moves_the_ones_behind_up():
    board = Board()
    pool = JobPool(1)
    jobs = [FakeJob(f"job{k}", board) for k in range(5)]
    for job in jobs:
        pool.submit(job)
    assert wait_for(jobs[0].began.is_set)
    assert [pool.position(job) for job in jobs[1:]] == [1, 2, 3, 4]
    assert jobs[2].queued and "Queued: 2nd in line" in jobs[2].notice
    jobs[2].stop()
    assert not jobs[2].running and pool.position(jobs[2]) is None
    assert [pool.position(job) for job in (jobs[1], jobs[3], jobs[4])] == [1, 2, 3]
    assert jobs[2].notice == "Stopped while waiting in line: nothing ran."
    assert jobs[2].payload is not None  # Stop keeps what it has
    for job in (jobs[0], jobs[1], jobs[3], jobs[4]):
        assert wait_for(job.began.is_set)
        job.finish.set()
        job.join(30)
    assert board.began == ["job0", "job1", "job3", "job4"]


def test_the_wait_adds_the_running_jobs_remaining_time_and_the_durations_ahead():
    pool = JobPool(1)
    running = FakeJob("running", left=30.0)
    first, second = FakeJob("first", expected=20.0), FakeJob("second", expected=5.0)
    for job in (running, first, second):
        pool.submit(job)
    try:
        assert wait_for(running.began.is_set)
        assert pool.wait_s(first) == 30.0
        assert pool.wait_s(second) == 30.0 + 20.0
        assert "Queued: 2nd in line, about 50 s." in second.notice
        unknown = FakeJob("unknown")  # no estimate of its own, and no finished job of its kind
        pool.submit(unknown)
        assert pool.wait_s(FakeJob("never submitted")) is None
        assert pool.wait_s(unknown) == 55.0
        last = FakeJob("last")
        pool.submit(last)
        assert pool.wait_s(last) is None and "Queued: 4th in line. The server" in last.notice
    finally:
        _end_all([running, first, second, unknown, last])


def test_a_finished_job_teaches_the_estimate_of_its_kind():
    pool = JobPool(1)
    done = FakeJob("done")
    pool.submit(done)
    assert wait_for(done.began.is_set)
    time.sleep(0.05)
    done.finish.set()
    done.join(30)
    took = done.elapsed_s()
    assert took > 0 and pool.duration_s(FakeJob("same kind")) == took
    stopped = FakeJob("stopped")
    pool.submit(stopped)
    assert wait_for(stopped.began.is_set)
    stopped.stop()
    stopped.join(30)
    assert pool.duration_s(FakeJob("same kind")) == took  # a stopped run says nothing of a whole one


def test_wait_estimate_with_an_exclusive_job_ahead():
    # slots free at 10 and 40; the exclusive job waits for both (40) and runs 20; then two slots at 60
    assert wait_estimate([10.0, 40.0], [(20.0, True)], 2, exclusive=False) == 60.0
    # the first job ahead runs 10..15, the second takes that slot at 15 (until 115): this one gets 40
    assert wait_estimate([10.0, 40.0], [(5.0, False), (100.0, False)], 2, exclusive=False) == 40.0
    # an exclusive one waits until both are free, 115
    assert wait_estimate([10.0, 40.0], [(5.0, False), (100.0, False)], 2, exclusive=True) == 115.0


def test_an_exclusive_job_waits_for_the_whole_server_and_runs_alone():
    board = Board()
    pool = JobPool(2)
    small = FakeJob("small", board)
    whole = FakeJob("whole", board, exclusive=True)
    behind = FakeJob("behind", board)
    for job in (small, whole, behind):
        pool.submit(job)
    assert wait_for(small.began.is_set)
    assert pool.counts == (1, 2)  # a slot is free, yet neither starts: the exclusive one is first
    assert "needs the whole server" in whole.notice
    small.finish.set()
    assert wait_for(whole.began.is_set)
    assert pool.counts == (1, 1) and pool.position(behind) == 1
    whole.finish.set()
    assert wait_for(behind.began.is_set)
    behind.finish.set()
    behind.join(30)
    assert board.began == ["small", "whole", "behind"] and board.most == 1


def test_a_job_whose_session_is_gone_is_cancelled_in_line_and_its_payload_freed():
    gone: set[str] = set()
    pool = JobPool(1, alive=lambda session: session not in gone, grace_s=0.0)
    running = FakeJob("running", session="here")
    waiting = FakeJob("waiting", session="left")
    behind = FakeJob("behind", session="here")
    for job in (running, waiting, behind):
        pool.submit(job)
    payload = weakref.ref(waiting.payload)
    assert wait_for(running.began.is_set) and pool.position(behind) == 2
    gone.add("left")
    assert pool.position(behind) == 1  # the next look at the line drops it
    assert waiting.cancelled and not waiting.running and waiting.payload is None
    gc.collect()
    assert payload() is None  # the test still holds the job, as a stored session would: not its payload
    assert "Cancelled" in waiting.notice
    running.finish.set()
    assert wait_for(behind.began.is_set)
    assert not waiting.began.is_set()
    _end_all([running, behind])
    assert not running.cancelled and running.payload is not None


def test_a_running_job_whose_session_is_gone_stops_at_its_next_step_and_frees_its_payload():
    gone: set[str] = set()
    pool = JobPool(1, alive=lambda session: session not in gone, grace_s=0.0)
    running = FakeJob("running", session="left")
    behind = FakeJob("behind", session="here")
    pool.submit(running)
    pool.submit(behind)
    assert wait_for(lambda: running.began.is_set() and len(running.history) > 2)
    payload = weakref.ref(running.payload)
    gone.add("left")
    running.join(30)  # never finished by the test: the session check ended it
    assert running.cancelled and running.stopped and not running.running
    assert running.payload is None and running.latest is None and running.history == []
    gc.collect()
    assert payload() is None
    assert wait_for(behind.began.is_set)  # its slot went to the next in line
    _end_all([behind])


def test_a_session_back_within_the_grace_keeps_its_job():
    away: set[str] = set()
    pool = JobPool(1, alive=lambda session: session not in away, grace_s=3600.0)
    job = FakeJob("job", session="blip")
    pool.submit(job)
    assert wait_for(job.began.is_set)
    away.add("blip")
    assert not job.should_stop() and job.gone_since is not None
    away.clear()
    assert not job.should_stop() and job.gone_since is None
    _end_all([job])
    assert not job.cancelled and job.payload is not None


def test_without_a_streamlit_server_every_session_counts_as_alive():
    assert session_alive("any id") and session_alive(None)
