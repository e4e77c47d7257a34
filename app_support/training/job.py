"""The Training page's background jobs (``shared.job.BackgroundJob``, in the server's line of heavy jobs):
one transfer-learning run, and the plain-versus-residual comparison."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from app_support.shared.job import BackgroundJob
from cnn_core.training.dataset import ImageSet
from cnn_core.training.depth_compare import KINDS, CompareSettings, CurvePoint, compare_depths
from cnn_core.training.regimes import Regime
from cnn_core.training.trainer import EpochRecord, TrainSettings

if TYPE_CHECKING:
    import keras

    from cnn_core.training.transfer import TransferTraining


class TrainingJob(BackgroundJob):
    """Prepare (copy the weights, cache the features) and train; ``run`` holds the TransferTraining once
    prepared, ``history`` its EpochRecords, ``done`` turns true when the best weights are back in place.

    A run that back-propagates through EfficientNet-Lite0 (partial, full, scratch) is ``exclusive``: each
    peaks near 1.9 GB, and anything beside it would pass the server's 2 GB budget. Head-only runs are small.
    """

    activity = "training"
    held = ("_pretrained", "data", "run")

    def __init__(
        self, pretrained: keras.Model, data: ImageSet, regime: Regime, settings: TrainSettings
    ) -> None:
        super().__init__("training-job")
        self.data, self.regime, self.settings = data, regime, settings
        self.kind = f"training ({regime.kind})"
        self.exclusive = regime.kind != "head"
        self.run: TransferTraining | None = None
        self.latest: EpochRecord | None = None
        self.done = False
        self._pretrained = pretrained

    def _steps(self) -> Iterator[EpochRecord]:
        from cnn_core.training.transfer import TransferTraining

        try:
            self.run = TransferTraining(
                self.data, self.regime, self.settings, self._pretrained, self.should_stop
            )
            yield from self.run.epochs()
        finally:  # the trainer has put the best weights back, however it ended
            self.done = True

    def progress(self) -> float:
        """Epochs done ÷ epochs asked."""
        return len(self.history) / self.settings.epochs


class DepthJob(BackgroundJob):
    """Train the plain and residual nets side by side; ``history`` holds every CurvePoint."""

    activity = "the comparison"
    kind = "depth comparison"

    def __init__(self, settings: CompareSettings) -> None:
        super().__init__("depth-job")
        self.settings = settings
        self.latest: CurvePoint | None = None

    def _steps(self) -> Iterator[CurvePoint]:
        return compare_depths(self.settings, self.should_stop)

    def progress(self) -> float:
        """Reports so far ÷ the reports of a whole run (one per network per chunk)."""
        settings = self.settings
        reports = settings.epochs * settings.points_per_epoch * len(KINDS) * len(settings.depths)
        return len(self.history) / reports
