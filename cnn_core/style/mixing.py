"""Mixing styles for the feed-forward stylisers: convex combinations of style codes.

A style is a code the network is conditioned on: a weight vector over the 26 learned styles (Dumoulin et
al., 2017), or a 100-number style vector predicted from a picture (Ghiasi et al., 2017). Both networks
accept any convex combination ``Σ wₖ·sₖ`` (wₖ ≥ 0, Σ wₖ = 1), which mixes the styles; "strength" is the
combination of the content's own style vector with the chosen one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cnn_core.errors import ParameterError, ShapeError

#: How many styles the conditional-instance-norm network learned.
NUM_STYLES = 26


def normalise_weights(weights: Sequence[float] | np.ndarray, name: str = "style weights") -> np.ndarray:
    """Non-negative weights scaled to sum 1, as float32.

    >>> normalise_weights([1, 3])
    array([0.25, 0.75], dtype=float32)
    >>> normalise_weights([0, 0])
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: style weights must be ≥ 0 and not all 0, got [0.0, 0.0]
    """
    values = np.asarray(weights, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ShapeError(f"{name} must be a non-empty list of numbers, got shape {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0) or values.sum() <= 0:
        raise ParameterError(f"{name} must be ≥ 0 and not all 0, got {values.tolist()}")
    return (values / values.sum()).astype(np.float32)


def style_weights(picks: Mapping[int, float], num_styles: int = NUM_STYLES) -> np.ndarray:
    """A (num_styles,) weight vector from ``{style index: weight}``, normalised to sum 1.

    >>> style_weights({3: 1.0, 12: 3.0})[[3, 12]]
    array([0.25, 0.75], dtype=float32)
    """
    vector = np.zeros(num_styles)
    for index, weight in picks.items():
        if not 0 <= int(index) < num_styles:
            raise ParameterError(f"style index must be 0 to {num_styles - 1}, got {index}")
        vector[int(index)] += weight
    return normalise_weights(vector)


def mix_vectors(vectors: np.ndarray | Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """The convex combination ``Σ wₖ·vₖ`` of K style vectors (K, D) with weights (K,) → (D,).

    Two vectors with weights (1 − t, t) interpolate between them.

    >>> mix_vectors([[0.0, 2.0], [4.0, 6.0]], [3, 1])
    array([1., 3.], dtype=float32)
    """
    stacked = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)  # (K, D)
    w = normalise_weights(weights)
    if w.size != stacked.shape[0]:
        raise ShapeError(f"got {stacked.shape[0]} style vectors but {w.size} weights")
    return w @ stacked


def with_strength(style_vector: np.ndarray, content_vector: np.ndarray, strength: float) -> np.ndarray:
    """``strength·style + (1 − strength)·content``: 0 keeps the content's own style, 1 the full style.

    >>> with_strength(np.array([1.0, 1.0]), np.array([0.0, 2.0]), 0.25)
    array([0.25, 1.75], dtype=float32)
    """
    if not 0.0 <= strength <= 1.0:
        raise ParameterError(f"strength must be between 0 and 1, got {strength}")
    return mix_vectors([content_vector, style_vector], [1.0 - strength, strength])
