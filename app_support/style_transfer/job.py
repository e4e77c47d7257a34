"""A Gatys optimisation running in a background thread, so the page stays responsive while it works.

The page starts one job per session, polls ``latest`` and ``history`` from a fragment that reruns every
second (each poll calls ``touch()``), and calls ``stop()``; the thread finishes its current report chunk
and ends, keeping the last image. A job nobody has polled for ABANDON_S seconds (the tab was closed)
stops by itself. TensorFlow releases the GIL while it computes, so other sessions are not frozen.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import CNNLabError
from cnn_core.style.optimize import Progress, StyleProblem, run_gatys
from cnn_core.style.settings import GatysSettings

if TYPE_CHECKING:
    import keras

log = logging.getLogger(__name__)

#: A running job whose page has not polled it for this long is stopped.
ABANDON_S = 60.0


class GatysJob:
    """Run ``run_gatys`` on (content, style) with ``settings`` in a daemon thread."""

    def __init__(
        self, backbone: keras.Model, content: np.ndarray, style: np.ndarray, settings: GatysSettings
    ) -> None:
        self.settings = settings
        self.problem: StyleProblem | None = None
        self.latest: Progress | None = None
        self.history: list[dict[str, float]] = []
        self.error: str | None = None
        self._stop = threading.Event()
        self._seen = time.monotonic()
        self._thread = threading.Thread(
            target=self._work, args=(backbone, content, style), name="gatys-job", daemon=True
        )
        self._thread.start()

    def _work(self, backbone: keras.Model, content: np.ndarray, style: np.ndarray) -> None:
        try:
            self.problem = StyleProblem(backbone, content, style, self.settings)
            for progress in run_gatys(self.problem):
                self.latest = progress
                self.history.append({"step": progress.step, **progress.costs})
                if time.monotonic() - self._seen > ABANDON_S:
                    log.info("style-transfer job abandoned after %d steps", progress.step)
                    self._stop.set()
                if self._stop.is_set():
                    return
        except CNNLabError as err:
            self.error = str(err)
        except Exception as err:  # shown in the page instead of dying silently in the thread
            log.exception("style-transfer job failed")
            self.error = f"the optimisation failed ({type(err).__name__}: {err})"

    def touch(self) -> None:
        """Record that the page is still watching."""
        self._seen = time.monotonic()

    def stop(self) -> None:
        """Ask the thread to end after the current report; the last image stays in ``latest``."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()
