"""Face verification as binary classification: a logistic unit on the two descriptors' difference.

Taigman et al. ("DeepFace", CVPR 2014) and the course read the pair (x_i, x_j) with one sigmoid unit:

    ŷ = σ( Σ_k w_k · φ_k + b ),   σ(z) = 1 / (1 + e^(−z)),   ŷ = P(same person)

with the features φ_k of component k of the two descriptors f(x_i), f(x_j) ∈ R^128, either

    absolute difference   φ_k = |f(x_i)_k − f(x_j)_k|
    chi-square            φ_k = (f(x_i)_k − f(x_j)_k)² / (|f(x_i)_k| + |f(x_j)_k| + ε).

The textbook chi-square divides by f(x_i)_k + f(x_j)_k, which is only safe for histograms (entries ≥ 0).
dlib's descriptors have entries of both signs, so that sum can be 0 (infinite feature) or negative (a
negative "distance"). We divide by |f(x_i)_k| + |f(x_j)_k| instead: identical for entries ≥ 0, always
≥ |a − b| > 0 when a ≠ b, so 0 ≤ φ_k ≤ |a − b|; ε = 1e-12 only keeps 0/0 (both entries 0) at 0.

w and b are fit by L2-regularised logistic regression (Newton's method in float64) on labelled pairs,
minimising J(w, b) = (1/N) Σ_n [−y_n log ŷ_n − (1 − y_n) log(1 − ŷ_n)] + (λ/2) ‖w‖²  (b is not penalised).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from cnn_core.errors import ParameterError, ShapeError

Feature = Literal["abs", "chi2"]
FEATURES: dict[str, str] = {
    "abs": "|f(xᵢ)ₖ − f(xⱼ)ₖ|",
    "chi2": "(f(xᵢ)ₖ − f(xⱼ)ₖ)² / (|f(xᵢ)ₖ| + |f(xⱼ)ₖ| + ε)",
}
#: keeps the chi-square feature at 0 when both entries are 0 (it is never needed otherwise)
EPSILON = 1e-12
#: the L2 penalty λ on w; the features are standardised first, so λ is on a per-standard-deviation scale
DEFAULT_L2 = 0.01
MAX_ITERATIONS = 100


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim == 0 or a.shape[-1] == 0:
        raise ShapeError(f"descriptors must have one shape (..., D), got {a.shape} and {b.shape}")
    return a, b


def abs_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """φ_k = |a_k − b_k| for descriptors (..., D) → (..., D).

    >>> abs_difference(np.array([0.5, -0.25]), np.array([0.25, 0.5])).tolist()
    [0.25, 0.75]
    """
    a, b = _pair(a, b)
    return np.abs(a - b)


def chi_square(a: np.ndarray, b: np.ndarray, eps: float = EPSILON) -> np.ndarray:
    """φ_k = (a_k − b_k)² / (|a_k| + |b_k| + ε) for descriptors (..., D) → (..., D); see the module
    docstring for why the denominator takes absolute values.

    >>> chi_square(np.array([0.5, 0.1, 0.0]), np.array([0.25, -0.1, 0.0])).round(6).tolist()
    [0.083333, 0.2, 0.0]
    """
    a, b = _pair(a, b)
    return (a - b) ** 2 / (np.abs(a) + np.abs(b) + eps)


def features(a: np.ndarray, b: np.ndarray, kind: Feature) -> np.ndarray:
    """The pair features φ (..., D) of kind "abs" or "chi2"."""
    if kind == "abs":
        return abs_difference(a, b)
    if kind == "chi2":
        return chi_square(a, b)
    raise ParameterError(f"feature kind must be one of {', '.join(FEATURES)}, got {kind!r}")


def unsafe_denominators(a: np.ndarray, b: np.ndarray) -> int:
    """How many components of a pair of (D,) descriptors have a_k + b_k ≤ 0: where the textbook
    chi-square (a − b)² / (a + b) would be infinite or negative.

    >>> unsafe_denominators(np.array([0.1, -0.2, 0.3]), np.array([-0.1, 0.1, 0.0]))
    2
    """
    a, b = _pair(a, b)
    return int(np.count_nonzero(a + b <= 0))


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for large |z|.

    >>> sigmoid(np.array([0.0, np.log(3.0), -800.0])).round(6).tolist()
    [0.5, 0.75, 0.0]
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # ≤ 1: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _check_training(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 2 or y.shape != (len(x),) or len(x) == 0:
        raise ShapeError(f"features must be (N, D) with N ≥ 1 labels (N,), got {x.shape} and {y.shape}")
    if not np.isin(y, (0.0, 1.0)).all() or len(np.unique(y)) < 2:
        raise ParameterError("labels must be 0 (different) and 1 (same person), with both present")
    if not np.isfinite(l2) or l2 <= 0:
        raise ParameterError(f"the L2 penalty λ must be > 0, got {l2}")
    return x, y


def _objective(theta: np.ndarray, x1: np.ndarray, y: np.ndarray, l2: float) -> float:
    z = x1 @ theta  # (N,)
    # −y log σ(z) − (1 − y) log(1 − σ(z)) = log(1 + e^z) − y z
    return float(np.mean(np.logaddexp(0.0, z) - y * z) + l2 / 2 * theta[:-1] @ theta[:-1])


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = DEFAULT_L2, tol: float = 1e-10
) -> tuple[np.ndarray, float, int]:
    """Weights w (D,), bias b and the Newton steps taken that minimise J(w, b) (module docstring).

    x: (N, D) features; y: (N,) labels 1 (same person) or 0. Newton's method with step halving:
    θ ← θ − t H⁻¹ ∇J, with ∇J = X₁ᵀ(ŷ − y)/N + λ[w; 0] and H = X₁ᵀ diag(ŷ(1 − ŷ)) X₁ / N + λ diag(1,…,1, 0),
    X₁ = [x 1]; it stops when every gradient entry is below ``tol``.

    >>> w, b, _ = fit_logistic(np.array([[0.0], [1.0], [3.0], [4.0]]), np.array([1, 1, 0, 0]), 0.1)
    >>> round(float(w[0]), 4), round(b, 4), bool(sigmoid(2.0 * w[0] + b).round(6) == 0.5)
    (-1.4578, 2.9157, True)
    """
    x, y = _check_training(x, y, l2)
    x1 = np.hstack([x, np.ones((len(x), 1))])  # (N, D + 1)
    penalty = np.r_[np.full(x.shape[1], l2), 0.0]  # (D + 1,)
    theta = np.zeros(x1.shape[1])
    for step in range(1, MAX_ITERATIONS + 1):
        p = sigmoid(x1 @ theta)  # (N,)
        gradient = x1.T @ (p - y) / len(x) + penalty * theta
        if np.abs(gradient).max() < tol:
            return theta[:-1], float(theta[-1]), step - 1
        hessian = (x1.T * (p * (1 - p))) @ x1 / len(x) + np.diag(penalty)  # (D + 1, D + 1)
        move = np.linalg.solve(hessian, gradient)
        t, before = 1.0, _objective(theta, x1, y, l2)
        while _objective(theta - t * move, x1, y, l2) > before and t > 1e-8:
            t /= 2
        theta = theta - t * move
    raise ParameterError(f"logistic regression did not converge in {MAX_ITERATIONS} Newton steps (λ = {l2})")


@dataclass(frozen=True)
class PairClassifier:
    """A fitted ŷ = σ(Σ_k w_k φ_k + b) on raw features φ of one kind (the standardisation used in fitting
    is folded into w and b), with the penalty λ it was fit with."""

    kind: Feature
    weights: np.ndarray
    bias: float
    l2: float

    def probability(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """ŷ = P(same person) for descriptor pairs (..., D) → (...)."""
        return sigmoid(features(a, b, self.kind) @ self.weights + self.bias)

    def same_person(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The decision ŷ ≥ 0.5 (…) as bools."""
        return self.probability(a, b) >= 0.5


def fit_pair_classifier(
    a: np.ndarray, b: np.ndarray, same: np.ndarray, kind: Feature, l2: float = DEFAULT_L2
) -> PairClassifier:
    """Fit w, b on pairs (a[n], b[n]) of descriptors (N, D) labelled ``same`` (N,) bool.

    Features are standardised, φ' = (φ − m) / s (training mean m and spread s, s = 1 where a feature
    never varies), the logistic unit is fit on φ', then folded back: w = w' / s, b = b' − Σ w' m / s, so
    ŷ = σ(Σ_k w_k φ_k + b) holds on the raw features.
    """
    phi = features(a, b, kind)
    if phi.ndim != 2:
        raise ShapeError(f"descriptor pairs must be (N, D), got {phi.shape}")
    mean, spread = phi.mean(axis=0), phi.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    w, bias, _ = fit_logistic((phi - mean) / spread, np.asarray(same, dtype=np.float64), l2)
    return PairClassifier(kind, w / spread, float(bias - (w * mean / spread).sum()), float(l2))


@dataclass(frozen=True)
class Confusion:
    """Counts of decisions against the truth: same person called same (tp) or different (fn), different
    people called same (fp) or different (tn)."""

    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def accuracy(self) -> float:
        """(tp + tn) / all pairs."""
        return (self.tp + self.tn) / max(1, self.tp + self.fn + self.fp + self.tn)


def confusion(truth: np.ndarray, decided: np.ndarray) -> Confusion:
    """Confusion counts of bool decisions (N,) against bool truths (N,) (True = same person).

    >>> c = confusion(np.array([True, True, False, False]), np.array([True, False, True, False]))
    >>> (c.tp, c.fn, c.fp, c.tn), c.accuracy
    ((1, 1, 1, 1), 0.5)
    """
    truth, decided = np.asarray(truth, dtype=bool), np.asarray(decided, dtype=bool)
    if truth.shape != decided.shape or truth.ndim != 1:
        raise ShapeError(f"truth and decisions must be (N,) alike, got {truth.shape} and {decided.shape}")
    return Confusion(
        int(np.sum(truth & decided)),
        int(np.sum(truth & ~decided)),
        int(np.sum(~truth & decided)),
        int(np.sum(~truth & ~decided)),
    )
