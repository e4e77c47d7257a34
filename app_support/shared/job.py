"""Long work in a background thread, so the page (and every other visitor) stays responsive meanwhile.

A page makes one job per session and hands it to ``start_session_job``: the job joins the server's line
(``job_pool.HEAVY_JOBS``), waits there for a slot, then runs in a thread of its own. A fragment that reruns
every second or two shows the job's place in line and then reads ``latest`` and ``history`` (each poll
calls ``touch()``); Stop calls ``stop()``: a waiting job leaves the line, a running one sees
``should_stop()`` turn true, finishes its current step and ends, keeping what it has. A job whose session
is gone is cancelled and drops its payload; one nobody has polled for ABANDON_S seconds (the visitor went
to another page) stops by itself. TensorFlow releases the GIL while it computes, so other sessions are not
frozen.

A subclass provides ``_steps()``, a generator of progress reports; ``_record(report)`` may turn each
into a row of ``history`` (the default appends the report itself). For the line's estimates it may say
its ``expected_s()`` and ``progress()``; ``held`` names the attributes that hold its inputs and results.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app_support.shared.job_pool import HEAVY_JOBS
from cnn_core.errors import CNNLabError

if TYPE_CHECKING:
    from app_support.shared.job_pool import JobPool

log = logging.getLogger(__name__)

#: A job whose page has not polled it for this long is stopped.
ABANDON_S = 60.0


class BackgroundJob:
    """Runs ``self._steps()`` once its pool gives it a slot, keeping the latest report and a history."""

    #: what a failure message says was running ("the optimisation", "training")
    activity = "the job"
    #: which recent jobs its duration is estimated from
    kind = "job"
    #: True when it needs the whole server (nothing else runs beside it)
    exclusive = False
    #: the attributes that hold its inputs and results, dropped when it is cancelled
    held: tuple[str, ...] = ()

    def __init__(self, name: str) -> None:
        self.name = name
        self.latest: Any = None
        self.history: list[Any] = []
        self.error: str | None = None
        self.cancelled = False  # its session went away: it stopped and dropped what it held
        self.pool: JobPool | None = None
        ctx = get_script_run_ctx(suppress_warning=True)
        self.session_id = ctx.session_id if ctx is not None else None
        self.gone_since: float | None = None
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._seen = time.monotonic()

    def _steps(self) -> Iterator[Any]:
        raise NotImplementedError

    def _record(self, report: Any) -> None:
        self.history.append(report)

    def work(self) -> None:
        """Run ``_steps()`` to its end or until ``should_stop()`` (its pool calls this in a thread)."""
        steps = self._steps()
        try:
            for report in steps:
                self.latest = report
                self._record(report)
                if self.should_stop():
                    break
            close = getattr(steps, "close", None)
            if close is not None:  # a generator left early runs its ``finally`` blocks now
                close()
        except CNNLabError as err:
            self.error = str(err)
        except Exception as err:  # shown in the page instead of dying silently in the thread
            log.exception("%s failed", self.name)
            self.error = f"{self.activity} failed ({type(err).__name__}: {err})"
        finally:
            self.ended_at = time.monotonic()

    def end(self) -> None:
        """Mark the job ended (its pool calls this when the work returns or the job leaves the line); a
        cancelled job drops ``latest``, ``history`` and its ``held`` attributes first."""
        if self.cancelled:
            self.latest, self.history = None, []
            for name in self.held:
                setattr(self, name, None)
        self._ended.set()

    def should_stop(self) -> bool:
        """True once Stop was pressed, the session is gone (the job is then ``cancelled``) or nobody has
        polled the job for ABANDON_S seconds: the work should end soon."""
        if self._stop.is_set():
            return True
        if self.pool is not None and self.pool.gone(self):
            self.cancelled = True
            why = "its session is gone"
        elif time.monotonic() - self._seen > ABANDON_S:
            why = f"nobody watched it for {ABANDON_S:.0f} s"
        else:
            return False
        log.info("%s stopped after %d reports: %s", self.name, len(self.history), why)
        self._stop.set()
        return True

    def touch(self) -> None:
        """Record that the page is still watching."""
        self._seen = time.monotonic()

    def stop(self) -> None:
        """Leave the line, or ask the thread to end after the current step; what it has so far stays."""
        self._stop.set()
        if self.pool is not None:
            self.pool.withdraw(self)

    def join(self, timeout: float | None = None) -> None:
        self._ended.wait(timeout)

    def expected_s(self) -> float | None:
        """Its own estimate of its duration in seconds, before it starts (None: learn it from recent jobs)."""
        return None

    def progress(self) -> float | None:
        """The share of the work done, in [0, 1], or None while unknown."""
        return None

    def elapsed_s(self) -> float:
        """Seconds since it started running (0 while it waits)."""
        if self.started_at is None:
            return 0.0
        return (self.ended_at or time.monotonic()) - self.started_at

    def remaining_s(self) -> float | None:
        """Seconds still to run at the pace so far, elapsed · (1 − f) / f for the share done f; None
        before any share is done."""
        done = self.progress()
        if not done:
            return None
        return self.elapsed_s() * (1 - done) / done

    @property
    def running(self) -> bool:
        """True from submission until it ends: waiting in line or working."""
        return self.pool is not None and not self._ended.is_set()

    @property
    def queued(self) -> bool:
        return self.running and self.started_at is None

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def notice(self) -> str | None:
        """What the page shows instead of the job's own view: its place in line, or why nothing is left."""
        if self.cancelled:
            return (
                "Cancelled: this session was disconnected, so the run stopped and its pictures and results "
                "were freed for other visitors. Start it again to run it anew."
            )
        if self.pool is None or self.started_at is not None:
            return None
        if not self.running:
            return "Stopped while waiting in line: nothing ran."
        position = self.pool.position(self)
        if position is None:  # it has just started
            return None
        wait = self.pool.wait_s(self)
        about = "" if wait is None else f", about {_duration(wait)}"
        jobs = "one heavy job" if self.pool.slots == 1 else f"{self.pool.slots} heavy jobs"
        alone = (
            " This one needs the whole server, so it starts when nothing else runs." if self.exclusive else ""
        )
        return (
            f"Queued: {_ordinal(position)} in line{about}. The server runs {jobs} at a time, so that each "
            f"finishes sooner.{alone} Stop leaves the line."
        )


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _duration(seconds: float) -> str:
    """ "40 s" below a minute and a half, else whole minutes ("3 min")."""
    return f"{max(1, round(seconds))} s" if seconds < 90 else f"{round(seconds / 60)} min"


def start_session_job(key: str, job: BackgroundJob) -> None:
    """Run's callback: stop the session's job under ``key``, put ``job`` in the server's line and keep it
    under ``key``."""
    previous: BackgroundJob | None = st.session_state.get(key)
    if previous is not None:
        previous.stop()
    HEAVY_JOBS.submit(job)
    st.session_state[key] = job


def stop_session_job(key: str, wait_s: float) -> None:
    """Stop's callback: ask the session's job under ``key`` to end, and wait up to ``wait_s`` for it."""
    job: BackgroundJob | None = st.session_state.get(key)
    if job is not None:
        job.stop()
        job.join(timeout=wait_s)


def stop_button(where: Any, key: str, job_key: str, wait_s: float, **options: Any) -> None:
    """The "■ Stop" button of the session's job under ``job_key`` (``stop_session_job``), in ``where``;
    greyed out while no job of this session waits or runs."""
    job: BackgroundJob | None = st.session_state.get(job_key)
    where.button(
        "■ Stop",
        key=key,
        disabled=job is None or not job.running,
        on_click=stop_session_job,
        args=(job_key, wait_s),
        **options,
    )


def show_live(job: BackgroundJob, show: Callable[[], None], refresh_s: float) -> None:
    """Run ``show()`` now (or show the job's ``notice``: its place in line) and, while the job waits or
    runs, again every ``refresh_s`` seconds in a fragment (the rest of the page stays still); when the job
    ends, rerun the whole page once (buttons, no more polling)."""
    live = job.running

    @st.fragment(run_every=refresh_s if live else None)
    def view() -> None:
        job.touch()
        notice = job.notice
        if notice is None:
            show()
        else:
            st.info(notice, icon="⏳" if job.running else None)
        if live and not job.running:
            st.rerun()

    view()
