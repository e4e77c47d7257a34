"""A Gatys optimisation running in a background thread (``shared.job.BackgroundJob``, in the server's line
of heavy jobs), so the page stays responsive while it works; Stop ends it after its current report chunk,
keeping the last image.

Between Run and the first report the run goes through ``PREPARATION``: the page does the first two stages
(their results are cached, so a second run skips them), the thread the last two; ``stage`` says which one
is under way, for the bar the page shows meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from app_support.shared.job import BackgroundJob
from cnn_core.style.optimize import Progress, StyleProblem, run_gatys
from cnn_core.style.settings import GatysSettings, estimate_seconds

if TYPE_CHECKING:
    import keras

#: what is being built before the first step, in order ({layers}, {content_layer} come from the settings)
PREPARATION = (
    "Loading TensorFlow and EfficientNet-Lite0, the feature network (once per server)",
    "Computing the style targets: the Gram matrices of S at {layers} layers (kept for the next run)",
    "Computing the content target: the activations of C at {content_layer}",
    "Compiling the optimisation step: tracing J(G) and ∂J/∂G (only the first step is slow)",
)
#: the stages the thread does (the page did the ones before)
CONTENT_STAGE, COMPILE_STAGE = 2, 3


def stage_text(stage: int, settings: GatysSettings) -> str:
    """``PREPARATION[stage]`` for these settings, numbered: "2/4 · Computing the style targets …"."""
    text = PREPARATION[stage].format(layers=len(settings.style_layers), content_layer=settings.content_layer)
    return f"{stage + 1}/{len(PREPARATION)} · {text}"


class GatysJob(BackgroundJob):
    """Run ``run_gatys`` on (content, style) with ``settings`` and the precomputed ``style_grams``;
    ``stage`` is the PREPARATION stage under way until the first report, ``latest`` the last Progress,
    and ``history`` one ``{"step": …, "elapsed_s": …, <cost name>: …}`` row per report."""

    activity = "the optimisation"
    kind = "style optimisation"
    held = ("_inputs", "problem")

    def __init__(
        self,
        backbone: keras.Model,
        content: np.ndarray,
        style: np.ndarray,
        settings: GatysSettings,
        style_grams: dict[str, np.ndarray],
    ) -> None:
        super().__init__("gatys-job")
        self.settings = settings
        self.problem: StyleProblem | None = None
        self.latest: Progress | None = None
        self.stage = CONTENT_STAGE
        self._inputs = (backbone, content, style, settings, style_grams)
        self._expected = estimate_seconds(settings, content.shape[1], content.shape[0])

    def _steps(self) -> Iterator[Progress]:
        self.problem = StyleProblem(*self._inputs)
        self.stage = COMPILE_STAGE
        yield from run_gatys(self.problem)

    def _record(self, report: Progress) -> None:
        self.history.append({"step": report.step, "elapsed_s": report.elapsed_s, **report.costs})

    def expected_s(self) -> float:
        """The measured table's estimate for these settings and this photo (``estimate_seconds``)."""
        return self._expected

    def remaining_s(self) -> float | None:
        """The optimisation's own estimate at its latest report (the pace after compiling)."""
        latest = self.latest
        return None if latest is None else latest.remaining_s

    def seconds_per_step(self) -> float | None:
        """The pace measured since the first report (which includes compiling), or None before two."""
        if len(self.history) < 2:
            return None
        first, last = self.history[0], self.history[-1]
        return (last["elapsed_s"] - first["elapsed_s"]) / max(1, last["step"] - first["step"])
