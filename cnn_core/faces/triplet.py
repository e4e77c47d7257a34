"""Triplet loss (Schroff, Kalenichenko & Philbin, "FaceNet", CVPR 2015) on real descriptors.

For an anchor A, a positive P (same person) and a negative N (someone else), with d the squared
Euclidean distance d(x, y) = ‖f(x) − f(y)‖₂² as in the paper and the course (the faces page writes it d²,
keeping d for the plain distance ‖·‖₂ that verification's τ = 0.6 is on):

    L(A, P, N) = max(d(A, P) − d(A, N) + α, 0)

The margin α (0.2 in FaceNet, on this squared scale) keeps the network from satisfying
d(A, P) ≤ d(A, N) trivially (e.g. with f ≡ 0). A triplet is *easy* when d(A, N) > d(A, P) + α (loss 0,
nothing to learn), *semi-hard* when d(A, P) < d(A, N) ≤ d(A, P) + α (0 < L ≤ α), and *hard* when
d(A, N) ≤ d(A, P) (L ≥ α). Training chooses hard and semi-hard triplets, since random ones are almost all
easy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from cnn_core.errors import ParameterError, ShapeError

DEFAULT_ALPHA = 0.2


def _check_alpha(alpha: float) -> float:
    if not np.isfinite(alpha) or alpha < 0:
        raise ParameterError(f"alpha must be a margin ≥ 0, got {alpha}")
    return float(alpha)


def triplet_kind(d_ap: float, d_an: float, alpha: float) -> str:
    """'easy', 'semi-hard' or 'hard' for distances d(A, P), d(A, N) and margin α.

    >>> triplet_kind(0.2, 0.5, 0.2), triplet_kind(0.2, 0.3, 0.2), triplet_kind(0.4, 0.3, 0.2)
    ('easy', 'semi-hard', 'hard')
    """
    if d_an <= d_ap:
        return "hard"
    return "semi-hard" if d_an <= d_ap + alpha else "easy"


def squared_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d(x, y) = ‖x − y‖² over the last axis (descriptors D), broadcasting the others.

    >>> squared_distance(np.array([0.0, 3.0]), np.array([4.0, 0.0]))
    np.float64(25.0)
    """
    return ((np.asarray(x, dtype=np.float64) - np.asarray(y, dtype=np.float64)) ** 2).sum(axis=-1)


def margin_loss(d_ap: np.ndarray | float, d_an: np.ndarray | float, alpha: float) -> np.ndarray:
    """L = max(d(A, P) − d(A, N) + α, 0), elementwise over distances of any shape.

    >>> margin_loss(np.array([0.09, 0.01]), np.array([0.04, 1.0]), 0.2).round(3).tolist()
    [0.25, 0.0]
    """
    return np.maximum(np.asarray(d_ap) - np.asarray(d_an) + alpha, 0.0)


@dataclass(frozen=True)
class Triplet:
    """One evaluated triplet: squared distances, the loss and its kind."""

    d_ap: float
    d_an: float
    alpha: float
    loss: float
    kind: str

    @classmethod
    def of(cls, d_ap: float, d_an: float, alpha: float) -> Triplet:
        """The triplet with squared distances d(A, P), d(A, N) and margin α, its loss and kind filled in."""
        return cls(d_ap, d_an, alpha, float(margin_loss(d_ap, d_an, alpha)), triplet_kind(d_ap, d_an, alpha))


def _batch_distances(
    anchors: np.ndarray, positives: np.ndarray, negatives: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """d(A, P) and d(A, N), each (N,), for anchors, positives and negatives (N, D)."""
    anchors, positives, negatives = (np.asarray(x, dtype=np.float64) for x in (anchors, positives, negatives))
    if not (anchors.shape == positives.shape == negatives.shape) or anchors.ndim != 2:
        raise ShapeError(
            f"anchors, positives and negatives must be (N, D) alike, got {anchors.shape}, "
            f"{positives.shape}, {negatives.shape}"
        )
    return squared_distance(anchors, positives), squared_distance(anchors, negatives)


def triplet_losses(
    anchors: np.ndarray, positives: np.ndarray, negatives: np.ndarray, alpha: float = DEFAULT_ALPHA
) -> np.ndarray:
    """L for a batch: anchors, positives, negatives (N, D) → losses (N,).

    >>> a = np.zeros((2, 2)); p = np.array([[0.3, 0.0], [0.0, 0.1]]); n = np.array([[0.0, 0.2], [1.0, 0.0]])
    >>> triplet_losses(a, p, n, 0.2).round(3).tolist()
    [0.25, 0.0]
    """
    alpha = _check_alpha(alpha)
    return margin_loss(*_batch_distances(anchors, positives, negatives), alpha)


def triplet(
    anchor: np.ndarray, positive: np.ndarray, negative: np.ndarray, alpha: float = DEFAULT_ALPHA
) -> Triplet:
    """Evaluate one triplet of (D,) descriptors."""
    alpha = _check_alpha(alpha)
    d_ap, d_an = _batch_distances(*(np.asarray(x)[None] for x in (anchor, positive, negative)))  # (1,) each
    return Triplet.of(float(d_ap[0]), float(d_an[0]), alpha)


class LabelledTriplet(NamedTuple):
    """Indices of an (anchor, positive, negative) triple in a labelled set, and its evaluation."""

    anchor: int
    positive: int
    negative: int
    triplet: Triplet


def all_triplets(
    embeddings: np.ndarray, names: list[str], alpha: float = DEFAULT_ALPHA
) -> list[LabelledTriplet]:
    """Every valid (anchor, positive, negative) index triple of a labelled set with its evaluation.

    embeddings: (K, D); names: K labels (a positive shares the anchor's name, a negative does not).
    """
    alpha = _check_alpha(alpha)
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or len(names) != len(embeddings):
        raise ShapeError(
            f"embeddings must be (K, D) with K = len(names), got {embeddings.shape} and {len(names)}"
        )
    squared = squared_distance(embeddings[:, None, :], embeddings[None, :, :])  # (K, K)
    return [
        LabelledTriplet(a, p, n, Triplet.of(float(squared[a, p]), float(squared[a, n]), alpha))
        for a, name in enumerate(names)
        for p, other in enumerate(names)
        if p != a and other == name
        for n, negative_name in enumerate(names)
        if negative_name != name
    ]
