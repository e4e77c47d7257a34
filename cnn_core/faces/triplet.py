"""Triplet loss (Schroff, Kalenichenko & Philbin, "FaceNet", CVPR 2015) on real descriptors.

For an anchor A, a positive P (same person) and a negative N (someone else), with d the squared
Euclidean distance d(x, y) = ‖f(x) − f(y)‖² as in the paper and the course:

    L(A, P, N) = max(d(A, P) − d(A, N) + α, 0)

The margin α keeps the network from satisfying d(A, P) ≤ d(A, N) trivially (e.g. with f ≡ 0). A triplet
is *easy* when d(A, N) > d(A, P) + α (loss 0, nothing to learn), *semi-hard* when
d(A, P) < d(A, N) ≤ d(A, P) + α (0 < L ≤ α), and *hard* when d(A, N) ≤ d(A, P) (L ≥ α). Training
chooses hard and semi-hard triplets, since random ones are almost all easy.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Triplet:
    """One evaluated triplet: squared distances, the loss and its kind."""

    d_ap: float
    d_an: float
    alpha: float
    loss: float
    kind: str


def triplet_losses(
    anchors: np.ndarray, positives: np.ndarray, negatives: np.ndarray, alpha: float = DEFAULT_ALPHA
) -> np.ndarray:
    """L for a batch: anchors, positives, negatives (N, D) → losses (N,).

    >>> a = np.zeros((2, 2)); p = np.array([[0.3, 0.0], [0.0, 0.1]]); n = np.array([[0.0, 0.2], [1.0, 0.0]])
    >>> triplet_losses(a, p, n, 0.2).round(3).tolist()
    [0.25, 0.0]
    """
    alpha = _check_alpha(alpha)
    anchors, positives, negatives = (np.asarray(x, dtype=np.float64) for x in (anchors, positives, negatives))
    if not (anchors.shape == positives.shape == negatives.shape) or anchors.ndim != 2:
        raise ShapeError(
            f"anchors, positives and negatives must be (N, D) alike, got {anchors.shape}, "
            f"{positives.shape}, {negatives.shape}"
        )
    d_ap = ((anchors - positives) ** 2).sum(axis=1)
    d_an = ((anchors - negatives) ** 2).sum(axis=1)
    return np.maximum(d_ap - d_an + alpha, 0.0)


def triplet(
    anchor: np.ndarray, positive: np.ndarray, negative: np.ndarray, alpha: float = DEFAULT_ALPHA
) -> Triplet:
    """Evaluate one triplet of (D,) descriptors."""
    batch = [np.asarray(x, dtype=np.float64)[None] for x in (anchor, positive, negative)]
    loss = float(triplet_losses(*batch, alpha)[0])
    d_ap = float(((batch[0] - batch[1]) ** 2).sum())
    d_an = float(((batch[0] - batch[2]) ** 2).sum())
    return Triplet(d_ap, d_an, float(alpha), loss, triplet_kind(d_ap, d_an, alpha))


def all_triplets(
    embeddings: np.ndarray, names: list[str], alpha: float = DEFAULT_ALPHA
) -> list[tuple[int, int, int, Triplet]]:
    """Every valid (anchor, positive, negative) index triple of a labelled set with its evaluation.

    embeddings: (K, D); names: K labels (a positive shares the anchor's name, a negative does not).
    """
    alpha = _check_alpha(alpha)
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or len(names) != len(embeddings):
        raise ShapeError(
            f"embeddings must be (K, D) with K = len(names), got {embeddings.shape} and {len(names)}"
        )
    squared = ((embeddings[:, None, :] - embeddings[None, :, :]) ** 2).sum(axis=2)  # (K, K)
    result = []
    for a, name in enumerate(names):
        for p, other in enumerate(names):
            if p == a or other != name:
                continue
            for n, negative_name in enumerate(names):
                if negative_name == name:
                    continue
                d_ap, d_an = float(squared[a, p]), float(squared[a, n])
                loss = max(d_ap - d_an + alpha, 0.0)
                result.append((a, p, n, Triplet(d_ap, d_an, alpha, loss, triplet_kind(d_ap, d_an, alpha))))
    return result
