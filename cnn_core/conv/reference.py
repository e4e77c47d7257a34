"""Numpy reference implementations of 2-D cross-correlation, convolution and pooling.

Deep-learning "convolution" is cross-correlation over the padded input:
    out[i, j, k] = b[k] + Σ_{u,v,c} x[i·s + u·d, j·s + v·d, c] · w[u, v, c, k].
True convolution flips the kernel first: w[u, v] → w[f−1−u, f−1−v].
Padding follows ``cnn_core.conv.arithmetic.resolve_padding`` ("same" matches TensorFlow exactly).
Images are (H, W, C) and kernels (f, f, C_in, C_out); a 2-D image or kernel is treated as one channel.
The padded input and the output are checked against the memory cap (``cnn_core.conv.memory``) before
they are allocated.
"""

from __future__ import annotations

from typing import Literal, TypedDict, Unpack

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnn_core.conv.arithmetic import Padding, effective_filter_size, output_size, resolve_padding
from cnn_core.conv.memory import require_fits
from cnn_core.errors import ParameterError, ShapeError


def as_volume(x: np.ndarray) -> np.ndarray:
    """(H, W) → (H, W, 1); (H, W, C) unchanged."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        return x[:, :, None]
    if x.ndim != 3:
        raise ShapeError(f"an image must be (H, W) or (H, W, C), got shape {x.shape}")
    return x


def pad2d(x: np.ndarray, padding: tuple[tuple[int, int], tuple[int, int]], value: float = 0.0) -> np.ndarray:
    """Pad an (H, W, C) volume: padding = ((top, bottom), (left, right)), filled with ``value``."""
    x = as_volume(x)
    (top, bottom), (left, right) = padding
    require_fits("the padded input", (x.shape[0] + top + bottom, x.shape[1] + left + right, x.shape[2]))
    return np.pad(x, (*padding, (0, 0)), constant_values=value)


def padding_2d(
    shape: tuple[int, int], f: int, stride: int, padding: Padding, dilation: int = 1
) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, bottom), (left, right)) for an (H, W) input; checks that the filter fits on both axes."""
    for n in shape:
        output_size(n, f, padding, stride, dilation)
    rows, cols = (resolve_padding(n, f, stride, padding, dilation) for n in shape)
    return rows, cols


def windows(x_padded: np.ndarray, f: int, stride: int, dilation: int = 1) -> np.ndarray:
    """Every filter window of a padded (H, W, C) volume: (H_out, W_out, f, f, C), as a view."""
    span = effective_filter_size(f, dilation)
    view = sliding_window_view(x_padded, (span, span), axis=(0, 1))  # (H−span+1, W−span+1, C, span, span)
    view = view[::stride, ::stride, :, ::dilation, ::dilation]
    return view.transpose(0, 1, 3, 4, 2)


class ConvOptions(TypedDict, total=False):
    """The keyword options shared by ``cross_correlate2d`` and ``convolve2d``."""

    stride: int
    padding: Padding
    dilation: int


def cross_correlate2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    *,
    stride: int = 1,
    padding: Padding = 0,
    dilation: int = 1,
) -> np.ndarray:
    """What a conv layer computes (no flip). x: (H, W, C_in); w: (f, f, C_in, C_out); b: (C_out,).

    >>> image = np.array([[10, 10, 10, 0, 0, 0]] * 6)          # the course's 6x6 bright-left image
    >>> vertical = np.array([[1, 0, -1]] * 3)
    >>> cross_correlate2d(image, vertical)[:, :, 0][0]
    array([ 0., 30., 30.,  0.])
    """
    x = as_volume(x)
    w = np.asarray(w, dtype=np.float64)
    if w.ndim == 2:
        w = w[:, :, None, None]
    if w.ndim != 4 or w.shape[0] != w.shape[1]:
        raise ShapeError(f"kernel must be (f, f) or (f, f, C_in, C_out), got shape {w.shape}")
    if w.shape[2] != x.shape[2]:
        raise ShapeError(
            f"the filter has {w.shape[2]} channels but the input has {x.shape[2]}; they must match"
        )
    f = w.shape[0]
    pads = padding_2d(x.shape[:2], f, stride, padding, dilation)
    rows, cols = (output_size(n, f, padding, stride, dilation) for n in x.shape[:2])
    require_fits("the output", (rows, cols, w.shape[3]))
    padded = pad2d(x, pads)
    out = np.einsum("ijuvc,uvck->ijk", windows(padded, f, stride, dilation), w)  # (H_out, W_out, C_out)
    return out if b is None else out + np.asarray(b, dtype=np.float64)


def convolve2d(
    x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, **options: Unpack[ConvOptions]
) -> np.ndarray:
    """True (mathematical) convolution: cross-correlation with the kernel flipped in both spatial axes;
    ``options`` (stride, padding, dilation) as for ``cross_correlate2d``.

    >>> convolve2d(np.arange(9).reshape(3, 3), np.array([[1, 0], [0, 0]]))[:, :, 0]  # picks x[i + 1, j + 1]
    array([[4., 5.],
           [7., 8.]])
    """
    return cross_correlate2d(x, np.flip(w, axis=(0, 1)), b, **options)


def pool2d(
    x: np.ndarray,
    f: int,
    stride: int,
    *,
    mode: Literal["max", "average"] = "max",
    padding: Padding = "valid",
) -> np.ndarray:
    """Max or average pooling of each channel over f x f windows (no parameters to learn).

    Padded cells never win a max (they are −∞) and are left out of an average, as in TensorFlow.

    >>> pool2d(np.array([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]]), 2, 2)[:, :, 0]
    array([[9., 2.],
           [6., 3.]])
    """
    x = as_volume(x)
    pads = padding_2d(x.shape[:2], f, stride, padding)
    if mode == "max":
        return windows(pad2d(x, pads, -np.inf), f, stride).max(axis=(2, 3))
    if mode != "average":
        raise ParameterError(f"pooling mode must be 'max' or 'average', got {mode!r}")
    sums = windows(pad2d(x, pads), f, stride).sum(axis=(2, 3))
    counts = windows(pad2d(np.ones_like(x[:, :, :1]), pads), f, stride).sum(axis=(2, 3))
    return sums / counts
