"""Ensembling: train several networks independently and average their outputs (the course notes, "State of
Computer Vision"), here two LeNet-5s trained on the same 4,000 MNIST digits from random seeds 0 and 1.

The ensemble predicts argmax_c p̄_c with p̄ = (1/K) Σ_k softmax(f_k(x)), the same average as the 10-crop
evaluation (``multicrop.average_softmax``) but over networks instead of views: K forward passes, K times
the multiply-adds and K sets of weights in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.multicrop import average_softmax
from cnn_core.errors import ShapeError

if TYPE_CHECKING:
    import keras

#: the random seeds ``scripts/train_lenet5.py`` trained the ensemble's LeNet-5s from
ENSEMBLE_SEEDS = (0, 1)


@dataclass(frozen=True)
class EnsembleScore:
    """How many of ``total`` labelled examples each network alone and the averaged softmax get right, and
    their mean cross-entropy, −(1/N) Σ_n log p[n, label_n] (lower is better)."""

    members: tuple[int, ...]
    ensemble: int
    total: int
    member_loss: tuple[float, ...]
    ensemble_loss: float


def ensemble_score(probabilities: np.ndarray, labels: np.ndarray) -> EnsembleScore:
    """Correct top-1 answers of each member, ``argmax_c p_k[n, c] == labels[n]``, and of their average
    p̄ = (1/K) Σ_k p_k, for ``probabilities`` (K, N, C) (K networks, N examples) and ``labels`` (N,) ints;
    with each one's mean cross-entropy.

    >>> p = np.array([[[0.9, 0.1], [0.6, 0.4]], [[0.2, 0.8], [0.1, 0.9]]])  # (2 networks, 2 examples, 2)
    >>> score = ensemble_score(p, np.array([0, 1]))
    >>> score.members, score.ensemble, score.total, round(score.ensemble_loss, 4)  # -(ln 0.55 + ln 0.65) / 2
    ((1, 1), 2, 2, 0.5143)
    """
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    if probabilities.ndim != 3 or labels.shape != probabilities.shape[1:2]:
        raise ShapeError(
            f"need probabilities (K, N, C) and labels (N,), got {probabilities.shape} and {labels.shape}"
        )
    average = average_softmax(probabilities)  # (N, C)

    def correct(p: np.ndarray) -> int:
        return int((p.argmax(axis=-1) == labels).sum())

    def loss(p: np.ndarray) -> float:
        return float(-np.log(p[np.arange(len(labels)), labels]).mean())

    return EnsembleScore(
        tuple(map(correct, probabilities)),
        correct(average),
        len(labels),
        tuple(map(loss, probabilities)),
        loss(average),
    )


def ensemble_members() -> list[keras.Model]:
    """The trained LeNet-5s of ``ENSEMBLE_SEEDS``: digits (N, 32, 32, 1) in [0, 1] → (N, 10) softmax."""
    from cnn_core.zoo.lenet5_mnist import build_lenet5_mnist

    return [build_lenet5_mnist(seed=seed) for seed in ENSEMBLE_SEEDS]


def member_probabilities(models: list[keras.Model], x: np.ndarray, batch: int = 500) -> np.ndarray:
    """Every network's softmax for the inputs ``x`` (N, h, w, c): (K, N, C), float64."""
    if np.ndim(x) != 4:
        raise ShapeError(f"x must be a batch (N, h, w, c), got shape {np.shape(x)}")
    return np.stack(
        [
            np.concatenate(
                [np.asarray(model(x[i : i + batch], training=False)) for i in range(0, len(x), batch)]
            )
            for model in models
        ]
    ).astype(np.float64)
