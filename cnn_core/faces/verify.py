"""Face verification (1:1): is f(x₁) close enough to f(x₂)?

The similarity function d(x₁, x₂) = ‖f(x₁) − f(x₂)‖₂, the plain (not squared) Euclidean distance, with
threshold τ: "same person" when d ≤ τ. dlib's network was trained so that τ = 0.6 on this distance
separates people (King 2017). The course notes and FaceNet write the squared distance ‖f(x₁) − f(x₂)‖₂²
(``triplet.squared_distance``); the same rule there reads d² ≤ τ² = 0.36. Cosine similarity
``f₁·f₂ / (‖f₁‖ ‖f₂‖)`` is shown for comparison. Verification as binary classification (Taigman et al.,
DeepFace 2014) feeds the element-wise ``|f(x₁) − f(x₂)|`` to a logistic unit; we expose that vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.errors import ParameterError, ShapeError

#: τ on the plain Euclidean distance ‖·‖₂ (0.36 on the squared distance)
DEFAULT_THRESHOLD = 0.6


def _vectors(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ShapeError(f"embeddings must be two vectors of one length, got {a.shape} and {b.shape}")
    return a, b


def euclidean_distance(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖₂ of two (D,) vectors.

    >>> euclidean_distance(np.array([0.0, 3.0]), np.array([4.0, 0.0]))
    5.0
    """
    a, b = _vectors(a, b)
    return float(np.linalg.norm(a - b))


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """a·b / (‖a‖ ‖b‖) of two (D,) vectors, in [−1, 1] (0 when either is all zeros).

    >>> cosine_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
    0.7071...
    """
    a, b = _vectors(a, b)
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / norms) if norms > 0 else 0.0


def check_threshold(threshold: float) -> float:
    """τ must be a finite positive distance (on the plain Euclidean distance ‖·‖₂)."""
    if not np.isfinite(threshold) or threshold <= 0:
        raise ParameterError(f"threshold must be a positive distance, got {threshold}")
    return float(threshold)


@dataclass(frozen=True)
class Verdict:
    """The comparison of two descriptors: distance, cosine, τ, the decision d ≤ τ, and |f₁ − f₂| (D,)."""

    distance: float
    cosine: float
    threshold: float
    same_person: bool
    abs_difference: np.ndarray


def verify(a: np.ndarray, b: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> Verdict:
    """Compare two (D,) descriptors: d = ‖a − b‖₂ (not squared) against τ = ``threshold``.

    >>> v = verify(np.array([0.1, 0.2]), np.array([0.4, 0.6]), 0.6)
    >>> round(v.distance, 3), v.same_person, v.abs_difference.round(2).tolist()
    (0.5, True, [0.3, 0.4])
    """
    threshold = check_threshold(threshold)
    distance = euclidean_distance(a, b)
    return Verdict(
        distance=distance,
        cosine=cosine_similarity(a, b),
        threshold=threshold,
        same_person=distance <= threshold,
        abs_difference=np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)),
    )


def pairwise_distances(vectors: np.ndarray) -> np.ndarray:
    """All Euclidean distances of (N, D) descriptors as an (N, N) matrix with a zero diagonal.

    >>> pairwise_distances(np.array([[0.0, 0.0], [3.0, 4.0]])).tolist()
    [[0.0, 5.0], [5.0, 0.0]]
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ShapeError(f"vectors must be (N, D), got {vectors.shape}")
    return np.linalg.norm(vectors[:, None, :] - vectors[None, :, :], axis=2)  # (N, N, D) → (N, N)
