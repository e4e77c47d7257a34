"""The Training page's background jobs (``shared.job.BackgroundJob``): one transfer-learning run, and the
plain-versus-residual comparison."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from app_support.shared.job import BackgroundJob
from cnn_core.training.dataset import ImageSet
from cnn_core.training.depth_compare import CompareSettings, CurvePoint, compare_depths
from cnn_core.training.regimes import Regime
from cnn_core.training.trainer import EpochRecord, TrainSettings

if TYPE_CHECKING:
    import keras

    from cnn_core.training.transfer import TransferTraining


#: One run that back-propagates through EfficientNet-Lite0 (partial, full, scratch) at a time in the whole
#: server: each peaks near 1.9 GB, and two would pass the server's 2 GB budget. Head-only runs are small.
FINE_TUNING = threading.Lock()


class TrainingJob(BackgroundJob):
    """Prepare (copy the weights, cache the features) and train; ``run`` holds the TransferTraining once
    prepared, ``history`` its EpochRecords, ``done`` turns true when the best weights are back in place."""

    activity = "training"

    def __init__(
        self, pretrained: keras.Model, data: ImageSet, regime: Regime, settings: TrainSettings
    ) -> None:
        super().__init__("training-job")
        self.data, self.regime, self.settings = data, regime, settings
        self.run: TransferTraining | None = None
        self.latest: EpochRecord | None = None
        self.done = False
        self.waiting = False  # True while another visitor's fine-tuning run holds FINE_TUNING
        self.started = time.monotonic()
        self._pretrained = pretrained
        self.start()

    def _steps(self) -> Iterator[EpochRecord]:
        from cnn_core.training.transfer import TransferTraining

        heavy = self.regime.kind != "head"
        while heavy and not FINE_TUNING.acquire(timeout=0.5):
            self.waiting = True
            if self.should_stop():
                self.done = True
                return
        self.waiting = False
        try:
            self.run = TransferTraining(
                self.data, self.regime, self.settings, self._pretrained, self.should_stop
            )
            yield from self.run.epochs()
        finally:  # the trainer has put the best weights back, however it ended
            self.done = True
            if heavy:
                FINE_TUNING.release()


class DepthJob(BackgroundJob):
    """Train the plain and residual nets side by side; ``history`` holds every CurvePoint."""

    activity = "the comparison"

    def __init__(self, settings: CompareSettings) -> None:
        super().__init__("depth-job")
        self.settings = settings
        self.latest: CurvePoint | None = None
        self.start()

    def _steps(self) -> Iterator[CurvePoint]:
        return compare_depths(self.settings, self.should_stop)
