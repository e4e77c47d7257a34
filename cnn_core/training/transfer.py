"""Transfer learning end to end: split the photos, build the regime's model, cache features, train.

``TransferTraining(data, regime, settings)`` splits ``data`` (stratified, seeded), builds the base for
``regime`` and, for ``head``, computes the frozen base's features of every photo once
(``feature_seconds`` records how long that took). ``epochs()`` then trains (see ``trainer.Trainer``)
and ``classifier()`` returns the image → probabilities model to predict with or save as ``.keras``.

With ``settings.augment`` the training photos are augmented with the ``combined`` pipeline: a fresh
draw every epoch in the fine-tuning regimes, and AUGMENTED_COPIES fixed draws per photo (featurised
once, like the originals) in the ``head`` regime, where features are computed only once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ParameterError
from cnn_core.training.augment import augment_images
from cnn_core.training.dataset import ImageSet, split_indices
from cnn_core.training.evaluation import Evaluation, evaluate
from cnn_core.training.model_path import model_path
from cnn_core.training.regimes import (
    HEAD_NAME,
    ParameterCounts,
    Regime,
    build_base,
    build_classifier,
    head_model,
    parameter_counts,
)
from cnn_core.training.trainer import EpochRecord, Trainer, TrainSettings, base_features, predict

if TYPE_CHECKING:
    import keras

#: augmented copies of each training photo whose features the head regime caches
AUGMENTED_COPIES = 4
#: the augmentation the trainer's switch turns on
TRAINING_AUGMENTATION = "combined"


class TransferTraining:
    """One transfer-learning run on an ImageSet (see the module docstring)."""

    def __init__(
        self,
        data: ImageSet,
        regime: Regime,
        settings: TrainSettings,
        pretrained: keras.Model | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.data, self.regime, self.settings = data, regime, settings
        self.train_idx, self.val_idx = split_indices(data.labels, settings.validation_fraction, settings.seed)
        if len(np.unique(data.labels[self.train_idx])) < 2:
            raise ParameterError("the training split holds fewer than two classes; add photos")
        self.base = build_base(pretrained, regime, data.images.shape[1])
        num_classes = len(data.class_names)
        x_train, y_train = data.images[self.train_idx], data.labels[self.train_idx]
        x_val, y_val = data.images[self.val_idx], data.labels[self.val_idx]
        self.feature_seconds: float | None = None
        augment = None
        if regime.kind == "head":
            if settings.augment:
                copies = [
                    augment_images(x_train, TRAINING_AUGMENTATION, settings.seed + c)
                    for c in range(1, 1 + AUGMENTED_COPIES)
                ]
                x_train, y_train = np.concatenate([x_train, *copies]), np.tile(y_train, 1 + AUGMENTED_COPIES)
            start = time.perf_counter()
            x_train, x_val = base_features(self.base, x_train), base_features(self.base, x_val)
            self.feature_seconds = time.perf_counter() - start
            self.model = head_model(num_classes, settings.seed)
        else:
            if settings.augment:

                def augment(x: np.ndarray, epoch: int) -> np.ndarray:
                    return augment_images(x, TRAINING_AUGMENTATION, settings.seed * 1000 + epoch)

            self.model = build_classifier(self.base, num_classes, settings.seed)
        self.trainer = Trainer(self.model, (x_train, y_train), (x_val, y_val), settings, should_stop, augment)

    @property
    def counts(self) -> ParameterCounts:
        """Trainable and frozen parameters of the whole classifier (base + head) in this regime."""
        head = parameter_counts(self.model) if self.regime.kind == "head" else None
        base = parameter_counts(self.base)
        if head is None:
            return parameter_counts(self.model)
        return ParameterCounts(head.trainable, base.trainable + base.frozen + head.frozen)

    def epochs(self) -> Iterator[EpochRecord]:
        """Train; yields one EpochRecord per epoch (see Trainer.epochs)."""
        return self.trainer.epochs()

    def classifier(self) -> keras.Model:
        """image (N, S, S, 3) RGB 0..255 → probabilities (N, C) with the trained (best) weights."""
        if self.regime.kind != "head":
            return self.model
        full = build_classifier(self.base, len(self.data.class_names), self.settings.seed)
        full.get_layer(HEAD_NAME).set_weights(self.model.get_layer(HEAD_NAME).get_weights())
        return full

    def validation(self) -> Evaluation:
        """The trained classifier on the validation photos (empty when the split has none)."""
        probabilities = predict(self.classifier(), self.data.images[self.val_idx].astype(np.float32))
        return evaluate(probabilities, self.data.labels[self.val_idx])


def augmentation_effect(
    data: ImageSet, regime: Regime, settings: TrainSettings, pretrained: keras.Model | None = None
) -> tuple[float | None, float | None]:
    """Validation accuracy of the kept epoch without and with augmentation: the same data, split, seed and
    settings otherwise."""
    accuracies = []
    for augment in (False, True):
        run = TransferTraining(data, regime, replace(settings, augment=augment), pretrained)
        list(run.epochs())
        accuracies.append(run.validation().accuracy)
    return accuracies[0], accuracies[1]


def save_classifier(model: keras.Model, path: str | Path) -> Path:
    """Write ``model`` as a ``.keras`` file, loadable by ``keras.saving.load_model(path, safe_mode=True)``."""
    import keras

    path = model_path(path)
    keras.saving.save_model(model, path)
    return path
