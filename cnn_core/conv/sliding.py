"""The filter sliding over the input, one output cell at a time: what the animation shows.

At output cell (i, j) the window's top-left corner in the padded input is (i·s, j·s). A conv step
multiplies the window element-wise by the kernel and sums: out[i, j] = Σ window ⊙ w (+ b). A pooling
step takes the window's max or mean instead.

Every step keeps copies of its window and its terms, so a pass over an H_out x W_out output with an
f x f filter holds H_out·W_out·(2·8·f² + STEP_OVERHEAD) bytes; sizes are checked against the memory cap
(``cnn_core.conv.memory``) before anything is allocated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from cnn_core.conv.arithmetic import Padding, require_positive_int
from cnn_core.conv.memory import FLOAT64, require_fits
from cnn_core.conv.reference import as_volume, pad2d, padding_2d, windows
from cnn_core.errors import ParameterError

Operation = Literal["cross-correlation", "convolution", "max", "average"]
OPERATIONS: tuple[Operation, ...] = get_args(Operation)
#: bytes one step costs besides its two f x f copies (its record and two array headers; measured ~440)
STEP_OVERHEAD = 512


@dataclass(frozen=True)
class SlideStep:
    """One position of the window: output cell (row, col), window top-left (top, left) in the padded input."""

    row: int
    col: int
    top: int
    left: int
    window: np.ndarray  # (f, f) values of the padded input under the filter
    terms: np.ndarray  # (f, f) what gets reduced: window ⊙ kernel for conv, the window itself for pooling
    value: float


@dataclass(frozen=True)
class Slide:
    """A whole sliding pass over a 2-D input: the padded input, every step and the finished output."""

    padded: np.ndarray  # (H + pad, W + pad)
    padding: tuple[tuple[int, int], tuple[int, int]]
    kernel: np.ndarray  # (f, f) as applied (flipped for true convolution; ones for pooling)
    steps: tuple[SlideStep, ...]
    output: np.ndarray  # (H_out, W_out)


def slide(
    x: np.ndarray,
    kernel_or_size: np.ndarray | int,
    *,
    stride: int = 1,
    padding: Padding = 0,
    operation: Operation = "cross-correlation",
) -> Slide:
    """Walk a filter (or a pooling window of the given size) over a 2-D ``x`` in row-major order.

    The sizes are checked first: a window larger than the padded input, or a pass whose steps would
    not fit the memory cap, raises a CNNLabError before any array is made.

    >>> result = slide(np.arange(16).reshape(4, 4), 2, stride=2, operation="max")
    >>> result.output.tolist(), len(result.steps), result.steps[1].top, result.steps[1].left
    ([[5.0, 7.0], [13.0, 15.0]], 4, 0, 2)
    """
    if operation not in OPERATIONS:
        raise ParameterError(f"operation must be one of {', '.join(OPERATIONS)}, got {operation!r}")
    pooling = operation in ("max", "average")
    if pooling:
        f = require_positive_int("f", kernel_or_size)
    else:
        kernel = np.asarray(kernel_or_size, dtype=np.float64)
        if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1]:
            raise ParameterError(f"the kernel must be square (f, f), got shape {kernel.shape}")
        f = kernel.shape[0]
    volume = as_volume(x)[:, :, :1]
    pads = padding_2d(volume.shape[:2], f, stride, padding)  # refuses a window larger than the input
    out_shape = tuple((n + sum(pad) - f) // stride + 1 for n, pad in zip(volume.shape[:2], pads, strict=True))
    require_fits("the steps of this pass", out_shape, 2 * FLOAT64 * f * f + STEP_OVERHEAD)
    if pooling:
        kernel = np.ones((f, f))
    elif operation == "convolution":
        kernel = np.flip(kernel, axis=(0, 1))
    fill = -np.inf if operation == "max" else 0.0
    padded = pad2d(volume, pads, fill)
    views = windows(padded, f, stride)[..., 0]  # (H_out, W_out, f, f)
    reduce = np.max if operation == "max" else np.sum
    steps = []
    for row in range(views.shape[0]):
        for col in range(views.shape[1]):
            window = views[row, col]
            terms = window if pooling else window * kernel
            if operation == "average":  # padded cells are left out of the mean, as in TensorFlow
                value = float(
                    window[_inside_mask(pads, volume.shape[:2], row * stride, col * stride, f)].mean()
                )
            else:
                value = float(reduce(terms))
            steps.append(SlideStep(row, col, row * stride, col * stride, window.copy(), terms.copy(), value))
    output = np.array([step.value for step in steps]).reshape(views.shape[:2])
    return Slide(padded[:, :, 0], pads, kernel, tuple(steps), output)


def _inside_mask(
    pads: tuple[tuple[int, int], tuple[int, int]], shape: tuple[int, int], top: int, left: int, f: int
) -> np.ndarray:
    """(f, f) True where the window at (top, left) of the padded input lies on real (unpadded) pixels."""
    rows = np.arange(top, top + f) - pads[0][0]
    cols = np.arange(left, left + f) - pads[1][0]
    return ((rows >= 0) & (rows < shape[0]))[:, None] & ((cols >= 0) & (cols < shape[1]))[None, :]
