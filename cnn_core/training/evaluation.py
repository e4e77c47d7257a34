"""How a trained classifier does, class by class: confusion matrix, per-class accuracy, its mistakes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, num_classes: int) -> np.ndarray:
    """(C, C) int counts: row = true class, column = predicted class; M[i, j] = #{n : y_n = i, ŷ_n = j}.

    >>> confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), 3).tolist()
    [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    """
    matrix = np.zeros((num_classes, num_classes), np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def per_class_accuracy(matrix: np.ndarray) -> list[float | None]:
    """Recall of each class from a confusion matrix: M[i, i] / Σ_j M[i, j]; None for a class with no
    example.

    >>> per_class_accuracy(np.array([[1, 1], [0, 0]]))
    [0.5, None]
    """
    totals = matrix.sum(axis=1)
    return [float(matrix[i, i] / total) if total else None for i, total in enumerate(totals)]


@dataclass(frozen=True)
class Evaluation:
    """``probabilities`` (N, C), ``predicted`` (N,), ``matrix`` (C, C), ``per_class`` (C,), ``accuracy``,
    and ``mistakes``: the indices n with ŷ_n ≠ y_n."""

    probabilities: np.ndarray
    predicted: np.ndarray
    matrix: np.ndarray
    per_class: list[float | None]
    accuracy: float | None
    mistakes: np.ndarray


def evaluate(probabilities: np.ndarray, labels: np.ndarray) -> Evaluation:
    """Score (N, C) predicted probabilities against (N,) true labels.

    >>> result = evaluate(np.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]), np.array([0, 1, 1]))
    >>> result.accuracy, result.mistakes.tolist(), result.per_class
    (0.6666666666666666, [2], [1.0, 0.5])
    """
    predicted = probabilities.argmax(axis=1)
    matrix = confusion_matrix(labels, predicted, probabilities.shape[1])
    accuracy = float(np.mean(predicted == labels)) if len(labels) else None
    return Evaluation(
        probabilities,
        predicted,
        matrix,
        per_class_accuracy(matrix),
        accuracy,
        np.flatnonzero(predicted != labels),
    )
