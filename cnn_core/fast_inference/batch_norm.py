"""Batch norm folded into the convolution before it (inference mode: the statistics are constants).

A conv ``z = W * x + b`` followed by ``y = γ (z − μ) / √(σ² + ε) + β`` is one conv with

    W' = W · s,    b' = (b − μ) · s + β,    s = γ / √(σ² + ε)    (one s per output channel)

(Jacob et al., CVPR 2018, "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-
Only Inference", section 3.2). The folded conv saves one pass over the activations per layer.
"""

from __future__ import annotations

import numpy as np


def fold_batch_norm(
    kernel: np.ndarray,
    bias: np.ndarray | None,
    gamma: np.ndarray,
    beta: np.ndarray,
    mean: np.ndarray,
    variance: np.ndarray,
    epsilon: float,
) -> tuple[np.ndarray, np.ndarray]:
    """``(W', b')`` of the conv that equals conv ``(kernel, bias)`` followed by batch norm.

    ``kernel``: (..., C) with the output channel last (Keras: (kh, kw, in, C); depthwise kernels
    (kh, kw, C, 1) must be reshaped to (kh, kw, 1, C) first); ``bias``: (C,) or None for none; ``gamma``,
    ``beta``, ``mean``, ``variance``: (C,). Computed in float64 and returned in the kernel's dtype.

    >>> w, b = fold_batch_norm(np.ones((1, 1, 1, 2)), None, np.array([2.0, 1.0]), np.array([0.0, 1.0]),
    ...                        np.array([1.0, 0.0]), np.array([4.0, 1.0]), 0.0)
    >>> w.ravel().tolist(), b.tolist()
    ([1.0, 1.0], [-1.0, 1.0])
    """
    scale = np.asarray(gamma, np.float64) / np.sqrt(np.asarray(variance, np.float64) + epsilon)  # (C,)
    shift = 0.0 if bias is None else np.asarray(bias, np.float64)
    folded_bias = (shift - np.asarray(mean, np.float64)) * scale + np.asarray(beta, np.float64)
    dtype = np.asarray(kernel).dtype
    return (np.asarray(kernel, np.float64) * scale).astype(dtype), folded_bias.astype(dtype)
