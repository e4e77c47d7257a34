"""One line for the server's heavy jobs: at most ``slots`` run at once, the others wait first come, first
served, each knowing its place in line and about how long it will wait.

Why a bound: TensorFlow already spreads one job over every core (its intra-op thread pool), so N jobs at
once each run about N times slower while all of them hold their memory: thirty visitors pressing Run
together would all wait for the slowest start, and every other page would crawl meanwhile. In line, the
first visitors see a picture within seconds, the server holds a few jobs' tensors, and the last wait about
as long as they would have anyway. ``default_slots()`` allows one job per two cores, and two at least: a
job is not all TensorFlow kernels (tracing its step is single-threaded Python, and on a demo's small images
TensorFlow leaves cores idle), so two side by side overlap well. Four quick demos at once on two busy
shared cores (benchmarks/bench_job_pool.py) showed their first picture after a median 20 s with two slots,
22 s with one and 38 s without a bound, and were all done after 33, 39 and 43 s. A job may ask for the
whole server (``exclusive``): a fine-tuning run peaks near 1.9 GB of the 2 GB a server is sized for, so
nothing else runs beside it.

A job belongs to the Streamlit session that started it. Once the runtime has reported that session
disconnected for GONE_GRACE_S (the tab was closed; a network blip reconnects sooner), the job is cancelled,
in the line or at its next step, and drops its images and results so that their memory is freed.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app_support.shared.job import BackgroundJob

#: A job whose session has been disconnected this long is cancelled (Streamlit keeps a disconnected
#: session two minutes for a reconnect; a browser back from a network blip reconnects within seconds).
GONE_GRACE_S = 15.0
#: How many finished jobs of each kind the estimates learn from.
RECENT = 8


def default_slots() -> int:
    """Jobs the server runs at once: one per two cores this process may use, at least two."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(2, cores // 2)


def session_alive(session_id: str | None) -> bool:
    """False once Streamlit's runtime no longer has ``session_id`` connected; outside a server (tests,
    AppTest, commands, benchmarks) every session counts as alive."""
    from streamlit import runtime

    if session_id is None or not runtime.exists():
        return True
    return runtime.get_instance().is_active_session(session_id)


def wait_estimate(
    busy_s: Sequence[float], ahead: Sequence[tuple[float, bool]], slots: int, exclusive: bool
) -> float:
    """Seconds until a job can start: ``busy_s`` holds the seconds each slot stays busy (its running job's
    remaining time; free slots may be left out), ``ahead`` the (duration, exclusive) of every job before it
    in line. Jobs start in order, each on the slot that frees first (an exclusive one once all are free).

    >>> wait_estimate([30.0], [(20.0, False)], slots=2, exclusive=False)  # ahead takes the free slot
    20.0
    >>> wait_estimate([30.0], [(20.0, False)], slots=1, exclusive=False)  # ahead waits 30, runs 20
    50.0
    >>> wait_estimate([30.0], [], slots=2, exclusive=True)  # the whole server frees in 30 s
    30.0
    """
    free = sorted([*busy_s, *[0.0] * (slots - len(busy_s))])  # when each slot frees, soonest first
    start = 0.0
    for duration, whole in (*ahead, (0.0, exclusive)):
        start = max(start, free[-1] if whole else free[0])  # in order: never before the job ahead
        free = [start + duration] * slots if whole else sorted([*free[1:], start + duration])
    return start


def expected_duration(expected: float | None, recent: Sequence[tuple[float, float | None]]) -> float | None:
    """A job's expected seconds: its own estimate ``expected`` times Σ actual ÷ Σ estimated over ``recent``
    finished jobs of its kind, (actual, estimated) pairs; without an estimate of its own, their mean
    duration; None when nothing is known.

    >>> expected_duration(10.0, [(30.0, 20.0), (20.0, 30.0)])  # recent jobs took their estimates
    10.0
    >>> expected_duration(10.0, [(40.0, 20.0)]), expected_duration(None, [(30.0, None), (10.0, 5.0)])
    (20.0, 20.0)
    """
    if expected is None:
        return statistics.fmean(actual for actual, _ in recent) if recent else None
    pairs = [(actual, estimate) for actual, estimate in recent if estimate]
    if not pairs:
        return expected
    return expected * sum(actual for actual, _ in pairs) / sum(estimate for _, estimate in pairs)


class JobPool:
    """Runs submitted jobs, at most ``slots`` at once (an ``exclusive`` job alone), in the order they came;
    ``alive(session_id)`` says whether a job's session is still there, ``grace_s`` how long it may be gone."""

    def __init__(
        self, slots: int, alive: Callable[[str | None], bool] = session_alive, grace_s: float = GONE_GRACE_S
    ) -> None:
        self.slots = slots
        self.grace_s = grace_s
        self._alive = alive
        self._lock = threading.RLock()
        self._queue: list[BackgroundJob] = []
        self._running: list[BackgroundJob] = []
        self._recent: dict[str, deque[tuple[float, float | None]]] = {}

    def submit(self, job: BackgroundJob) -> None:
        """Put ``job`` at the end of the line; it starts at once when a slot is free."""
        with self._lock:
            job.pool = self
            self._queue.append(job)
            self._dispatch()

    def withdraw(self, job: BackgroundJob) -> bool:
        """Take ``job`` out of the line (Stop before it started); False when it is not waiting."""
        with self._lock:
            if job not in self._queue:
                return False
            self._queue.remove(job)
        job.end()
        return True

    def position(self, job: BackgroundJob) -> int | None:
        """``job``'s place in line, 1 for the next to start; None once it runs or has left."""
        with self._lock:
            self._prune()
            return self._queue.index(job) + 1 if job in self._queue else None

    def wait_s(self, job: BackgroundJob) -> float | None:
        """About how many seconds until ``job`` starts (``wait_estimate`` from the running jobs' remaining
        time and the expected durations of those ahead), or None when one of them is unknown."""
        with self._lock:
            if job not in self._queue:
                return None
            busy: list[float] = []
            for running in self._running:
                remaining = self._remaining_s(running)
                if remaining is None:
                    return None
                busy += [remaining] * (self.slots if running.exclusive else 1)
            ahead: list[tuple[float, bool]] = []
            for waiting in self._queue[: self._queue.index(job)]:
                duration = self.duration_s(waiting)
                if duration is None:
                    return None
                ahead.append((duration, waiting.exclusive))
        return wait_estimate(busy, ahead, self.slots, job.exclusive)

    def duration_s(self, job: BackgroundJob) -> float | None:
        """``job``'s expected seconds from start to end (``expected_duration`` of its own estimate and the
        recent jobs of its kind)."""
        return expected_duration(job.expected_s(), self._recent.get(job.kind, ()))

    def gone(self, job: BackgroundJob) -> bool:
        """True once ``job``'s session has been reported gone for ``grace_s`` seconds in a row."""
        if self._alive(job.session_id):
            job.gone_since = None
            return False
        now = time.monotonic()
        if job.gone_since is None:
            job.gone_since = now
        return now - job.gone_since >= self.grace_s

    @property
    def counts(self) -> tuple[int, int]:
        """(running, waiting) jobs now."""
        with self._lock:
            return len(self._running), len(self._queue)

    def _remaining_s(self, job: BackgroundJob) -> float | None:
        remaining = job.remaining_s()
        if remaining is not None:
            return remaining
        duration = self.duration_s(job)
        return None if duration is None else max(0.0, duration - job.elapsed_s())

    def _prune(self) -> None:
        """Drop the waiting jobs that should stop (their session is gone, or nobody watches them)."""
        for job in [job for job in self._queue if job.should_stop()]:
            self._queue.remove(job)
            job.end()

    def _fits(self, job: BackgroundJob) -> bool:
        if any(running.exclusive for running in self._running):
            return False
        return not self._running if job.exclusive else len(self._running) < self.slots

    def _dispatch(self) -> None:
        """Start the jobs at the head of the line while they fit (the caller holds the lock)."""
        self._prune()
        while self._queue and self._fits(self._queue[0]):
            job = self._queue.pop(0)
            self._running.append(job)
            job.started_at = time.monotonic()
            threading.Thread(target=self._run, args=(job,), name=job.name, daemon=True).start()

    def _run(self, job: BackgroundJob) -> None:
        try:
            job.work()
        finally:
            with self._lock:
                self._running.remove(job)
                if not job.stopped and job.error is None:  # a whole run: its duration teaches the estimates
                    recent = self._recent.setdefault(job.kind, deque(maxlen=RECENT))
                    recent.append((job.elapsed_s(), job.expected_s()))
                job.end()
                self._dispatch()


#: The server's line for heavy jobs (style optimisation, training): every page submits to this one.
HEAVY_JOBS = JobPool(default_slots())
