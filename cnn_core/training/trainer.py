"""Seeded mini-batch training with Adam, one epoch at a time: stoppable, NaN-safe, best model kept.

Each epoch draws its own order of the training set from ``numpy.random.default_rng((seed, epoch))``
and minimises the mean cross-entropy  L = −(1/B) Σ log p_{y_i}  over mini-batches of B photos with Adam
(Kingma & Ba 2015). After every epoch the model is scored on the validation set; the weights of the
best epoch (highest validation accuracy, then lowest validation loss; without a validation set, lowest
training loss) are kept and put back when training ends, is stopped, or diverges. Training diverges
when a batch's loss is not finite or exceeds ``DIVERGED_LOSS``; it then stops with a message.

The same data, model start and settings give the same curves: nothing here draws from a global seed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ParameterError

if TYPE_CHECKING:
    import keras

#: a loss above this (natural log units) counts as divergence: 1000 nats means p(true class) < e⁻¹⁰⁰⁰
DIVERGED_LOSS = 1000.0
#: photos per forward pass when only inference is needed (features, validation)
INFERENCE_BATCH = 16


@dataclass(frozen=True)
class TrainSettings:
    """What shapes a training run; every field is checked here, where it enters."""

    epochs: int = 5
    batch_size: int = 16
    learning_rate: float = 1e-3
    validation_fraction: float = 0.25
    seed: int = 0
    augment: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.epochs <= 500:
            raise ParameterError(f"epochs must be in 1..500, got {self.epochs}")
        if not 1 <= self.batch_size <= 512:
            raise ParameterError(f"batch size must be in 1..512, got {self.batch_size}")
        if not (math.isfinite(self.learning_rate) and 0 < self.learning_rate <= 1e12):
            raise ParameterError(f"learning rate must be in (0, 1e12], got {self.learning_rate}")
        if not 0.0 <= self.validation_fraction < 1.0:
            raise ParameterError(f"validation fraction must be in [0, 1), got {self.validation_fraction}")


@dataclass(frozen=True)
class EpochRecord:
    """One epoch's means: training loss/accuracy over its batches, validation loss/accuracy after it."""

    epoch: int
    loss: float
    accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    seconds: float


def predict(model: keras.Model, x: np.ndarray, batch_size: int = INFERENCE_BATCH) -> np.ndarray:
    """``model``'s outputs for ``x`` in inference mode, batch by batch, as float32 numpy. Keras's compiled
    ``predict`` (a traced graph, built once per model) is several times faster than eager calls and
    needs far less memory at 224 px."""
    if not len(x):
        return np.zeros((0, *model.output_shape[1:]), np.float32)
    return np.asarray(model.predict(x, batch_size=batch_size, verbose=0), np.float32)


def base_features(base: keras.Model, images: np.ndarray, batch_size: int = INFERENCE_BATCH) -> np.ndarray:
    """The frozen base's activations for ``images`` (N, S, S, 3) uint8 → (N, 1280) float32, computed once."""
    return predict(base, images.astype(np.float32), batch_size)


def cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean −log p_y over (N, C) probabilities and (N,) labels, p clipped to [1e-7, 1] as Keras does.

    >>> round(cross_entropy(np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([0, 0])), 4)
    0.3993
    """
    p = np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1.0)
    return float(-np.mean(np.log(p.astype(np.float64)))) + 0.0  # + 0.0: no -0.0 when every p is 1


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer) -> Callable:
    """A compiled step ``(x (B, ...), y (B,)) → (mean loss, correct predictions)`` that applies one
    ``optimizer`` update to ``model``'s trainable weights (layers in training mode)."""
    import keras
    import tensorflow as tf

    variables = model.trainable_variables
    optimizer.build(variables)

    @tf.function(reduce_retracing=True)
    def step(x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            probabilities = model(x, training=True)
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, probabilities))
        optimizer.apply(tape.gradient(loss, variables), variables)
        correct = tf.reduce_sum(tf.cast(tf.argmax(probabilities, axis=1) == y, tf.int32))
        return loss, correct

    return step


class Trainer:
    """Train a Keras ``model`` on (x_train (N, ...), y_train (N,)) with ``settings``.

    Iterate ``epochs()`` to run; each step yields an EpochRecord. ``should_stop`` is polled after every
    batch; ``augment(x, epoch)``, when given, returns a fresh random draw of the training inputs each
    epoch. Afterwards ``history``, ``best_epoch`` and ``message`` (why training ended early, if it did)
    tell what happened, and the model holds the best epoch's weights.
    """

    def __init__(
        self,
        model: keras.Model,
        train: tuple[np.ndarray, np.ndarray],
        validation: tuple[np.ndarray, np.ndarray] | None,
        settings: TrainSettings,
        should_stop: Callable[[], bool] = lambda: False,
        augment: Callable[[np.ndarray, int], np.ndarray] | None = None,
    ) -> None:
        import keras

        self.model = model
        self.x, self.y = train
        self.validation = validation if validation is not None and len(validation[1]) else None
        self.settings = settings
        self.augment = augment
        self.history: list[EpochRecord] = []
        self.best_epoch: int | None = None
        self.message: str | None = None
        self.should_stop = should_stop
        self._best_score: tuple[float, float] | None = None
        self._best_weights = model.get_weights()
        self._step = train_step(model, keras.optimizers.Adam(settings.learning_rate))
        self._stopped = False

    def _score(self, record: EpochRecord) -> tuple[float, float]:
        """Larger is better: (validation accuracy, −validation loss), or (0, −training loss)."""
        if record.val_accuracy is None or record.val_loss is None:
            return (0.0, -record.loss)
        return (record.val_accuracy, -record.val_loss)

    def _diverged(self, epoch: int, batch: int, loss: float) -> None:
        kept = f"the weights of epoch {self.best_epoch}" if self.best_epoch else "the starting weights"
        self.message = (
            f"training diverged at epoch {epoch}, batch {batch} (loss {loss:.3g}): stopped, and kept "
            f"{kept}; try a learning rate below {self.settings.learning_rate:g}"
        )

    def _epoch(self, epoch: int) -> EpochRecord | None:
        """One pass over the training set; None when it diverged."""
        start = time.perf_counter()
        order = np.random.default_rng((self.settings.seed, epoch)).permutation(len(self.y))
        x, y = self.x[order], self.y[order]
        if self.augment is not None:
            x = self.augment(x, epoch)
        size = self.settings.batch_size
        loss_sum, correct, seen = 0.0, 0, 0
        for batch, first in enumerate(range(0, len(y), size), start=1):
            batch_loss, batch_correct = self._step(
                x[first : first + size].astype(np.float32), y[first : first + size]
            )
            loss = float(batch_loss)
            if not math.isfinite(loss) or loss > DIVERGED_LOSS:
                self._diverged(epoch, batch, loss)
                return None
            count = len(y[first : first + size])
            loss_sum, correct, seen = loss_sum + loss * count, correct + int(batch_correct), seen + count
            if self.should_stop():
                self._stopped = True
                break
        val_loss = val_accuracy = None
        if self.validation is not None:
            x_val, y_val = self.validation
            probabilities = predict(self.model, x_val)
            val_loss = cross_entropy(probabilities, y_val)
            val_accuracy = float(np.mean(probabilities.argmax(axis=1) == y_val))
        seconds = time.perf_counter() - start
        return EpochRecord(epoch, loss_sum / seen, correct / seen, val_loss, val_accuracy, seconds)

    def epochs(self) -> Iterator[EpochRecord]:
        """Train epoch by epoch, yielding each epoch's record; restore the best weights at the end."""
        try:
            for epoch in range(1, self.settings.epochs + 1):
                record = self._epoch(epoch)
                if record is None:
                    return
                self.history.append(record)
                score = self._score(record)
                if self._best_score is None or score > self._best_score:
                    self._best_score, self.best_epoch = score, epoch
                    self._best_weights = self.model.get_weights()
                yield record
                if self._stopped:
                    self.message = (
                        f"stopped during epoch {epoch}; kept the weights of epoch {self.best_epoch}"
                    )
                    return
        finally:
            self.model.set_weights(self._best_weights)
