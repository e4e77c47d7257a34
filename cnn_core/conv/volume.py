"""Convolution over a volume: one filter of f x f x n_c_prev on an (H, W, n_c_prev) input.

Each filter's output is the sum of its per-channel 2-D cross-correlations plus its bias,
z = Σ_c x[:, :, c] ⋆ w[:, :, c] + b, followed by the activation a = ReLU(z). Stacking the n_c filters'
outputs gives the (H_out, W_out, n_c) volume.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.conv.arithmetic import Padding
from cnn_core.conv.reference import as_volume, cross_correlate2d
from cnn_core.errors import ParameterError, ShapeError


@dataclass(frozen=True)
class FilterBreakdown:
    """How one filter's output is built: per-channel parts (C, H_out, W_out), their sum + b, and ReLU."""

    per_channel: np.ndarray
    bias: float
    z: np.ndarray
    activation: np.ndarray


def filter_breakdown(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, index: int, *, stride: int = 1, padding: Padding = 0
) -> FilterBreakdown:
    """Split filter ``index`` of w (f, f, C, K) on x (H, W, C) into its per-channel contributions.

    >>> x = np.ones((3, 3, 2)); w = np.ones((3, 3, 2, 1)); w[:, :, 1] = -2
    >>> part = filter_breakdown(x, w, np.array([1.0]), 0)
    >>> part.per_channel[:, 0, 0].tolist(), float(part.z[0, 0]), float(part.activation[0, 0])
    ([9.0, -18.0], -8.0, 0.0)
    """
    x = as_volume(x)
    if w.ndim != 4 or w.shape[2] != x.shape[2]:
        raise ShapeError(f"w must be (f, f, {x.shape[2]}, K) for this input, got shape {w.shape}")
    if not 0 <= index < w.shape[3]:
        raise ParameterError(f"filter index must be in 0..{w.shape[3] - 1}, got {index}")
    per_channel = np.stack(
        [
            cross_correlate2d(x[:, :, c], w[:, :, c, index], stride=stride, padding=padding)[:, :, 0]
            for c in range(x.shape[2])
        ]
    )  # (C, H_out, W_out)
    z = per_channel.sum(axis=0) + b[index]
    return FilterBreakdown(per_channel, float(b[index]), z, np.maximum(z, 0.0))
