"""Long work in a background thread, so the page (and every other visitor) stays responsive meanwhile.

A page starts one job per session and keeps it in ``st.session_state``; a fragment that reruns every
second or two reads ``latest`` and ``history`` (each poll calls ``touch()``), and Stop calls ``stop()``:
the work sees ``should_stop()`` turn true, finishes its current step and ends, keeping what it has. A
job nobody has polled for ABANDON_S seconds (the tab was closed) stops by itself. TensorFlow releases
the GIL while it computes, so other sessions are not frozen.

A subclass provides ``_steps()``, a generator of progress reports; ``_record(report)`` may turn each
into a row of ``history`` (the default appends the report itself).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import streamlit as st

from cnn_core.errors import CNNLabError

log = logging.getLogger(__name__)

#: A running job whose page has not polled it for this long is stopped.
ABANDON_S = 60.0


class BackgroundJob:
    """Runs ``self._steps()`` in a daemon thread named ``name``, keeping the latest report and a history."""

    #: what a failure message says was running ("the optimisation", "training")
    activity = "the job"

    def __init__(self, name: str) -> None:
        self.latest: Any = None
        self.history: list[Any] = []
        self.error: str | None = None
        self._stop = threading.Event()
        self._seen = time.monotonic()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread (the subclass's ``__init__`` calls this once its own fields are set)."""
        self._thread.start()

    def _steps(self) -> Iterator[Any]:
        raise NotImplementedError

    def _record(self, report: Any) -> None:
        self.history.append(report)

    def _work(self) -> None:
        steps = self._steps()
        try:
            for report in steps:
                self.latest = report
                self._record(report)
                if time.monotonic() - self._seen > ABANDON_S:
                    log.info("%s abandoned after %d reports", self._thread.name, len(self.history))
                    self._stop.set()
                if self._stop.is_set():
                    break
            close = getattr(steps, "close", None)
            if close is not None:  # a generator left early runs its ``finally`` blocks now
                close()
        except CNNLabError as err:
            self.error = str(err)
        except Exception as err:  # shown in the page instead of dying silently in the thread
            log.exception("%s failed", self._thread.name)
            self.error = f"{self.activity} failed ({type(err).__name__}: {err})"

    def should_stop(self) -> bool:
        """True once Stop was pressed (or the page was abandoned): the work should end soon."""
        return self._stop.is_set() or time.monotonic() - self._seen > ABANDON_S

    def touch(self) -> None:
        """Record that the page is still watching."""
        self._seen = time.monotonic()

    def stop(self) -> None:
        """Ask the thread to end after the current step; what it has so far stays."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


def stop_session_job(key: str, wait_s: float) -> None:
    """Stop's callback: ask the session's job under ``key`` to end, and wait up to ``wait_s`` for it."""
    job: BackgroundJob | None = st.session_state.get(key)
    if job is not None:
        job.stop()
        job.join(timeout=wait_s)


def stop_button(where: Any, key: str, job_key: str, wait_s: float, **options: Any) -> None:
    """The "■ Stop" button of the session's job under ``job_key`` (``stop_session_job``), in ``where``;
    greyed out while no job of this session runs."""
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
    """Run ``show()`` now and, while the job runs, again every ``refresh_s`` seconds in a fragment (the
    rest of the page stays still); when the job ends, rerun the whole page once (buttons, no more polling)."""
    live = job.running

    @st.fragment(run_every=refresh_s if live else None)
    def view() -> None:
        job.touch()
        show()
        if live and not job.running:
            st.rerun()

    view()
