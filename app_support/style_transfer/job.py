"""A Gatys optimisation running in a background thread (``shared.job.BackgroundJob``), so the page stays
responsive while it works; Stop ends it after its current report chunk, keeping the last image."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from app_support.shared.job import BackgroundJob
from cnn_core.style.optimize import Progress, StyleProblem, run_gatys
from cnn_core.style.settings import GatysSettings

if TYPE_CHECKING:
    import keras


class GatysJob(BackgroundJob):
    """Run ``run_gatys`` on (content, style) with ``settings``; ``latest`` is the last Progress and
    ``history`` one ``{"step": …, <cost name>: …}`` row per report."""

    activity = "the optimisation"

    def __init__(
        self, backbone: keras.Model, content: np.ndarray, style: np.ndarray, settings: GatysSettings
    ) -> None:
        super().__init__("gatys-job")
        self.settings = settings
        self.problem: StyleProblem | None = None
        self.latest: Progress | None = None
        self._inputs = (backbone, content, style)
        self.start()

    def _steps(self) -> Iterator[Progress]:
        self.problem = StyleProblem(*self._inputs, self.settings)
        yield from run_gatys(self.problem)

    def _record(self, report: Progress) -> None:
        self.history.append({"step": report.step, **report.costs})
