"""What a filter's output on a small image shows, in words: the captions of the edge and flip grids.

A cell counts as zero when |out| ≤ 64·ε₆₄·Σ|x|·|w| over its window (float64 rounding of a sum of f² terms
stays far below that), so that 0.1 + 0.2 − 0.3 in a custom filter does not read as an edge.

Cells and columns are numbered from 1 in the sentences, as a class counts them on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.conv.reference import convolve2d, cross_correlate2d

#: rounding allowance of a float64 window sum, in units of Σ|x|·|w|
ZERO_SLACK = 64 * np.finfo(np.float64).eps


@dataclass(frozen=True)
class MapSummary:
    """Where an (H, W) filter output is nonzero: the (0-based) rows and columns holding a nonzero cell,
    the nonzero values' range, and whether the nonzero cells fill whole columns or whole rows."""

    shape: tuple[int, int]
    nonzero: np.ndarray  # (H, W) bool
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    low: float
    high: float

    @property
    def count(self) -> int:
        return int(self.nonzero.sum())

    @property
    def full_columns(self) -> bool:
        """Nonzero cells fill whole columns (a vertical band), some columns staying zero."""
        return bool(self.count and self.nonzero[:, self.cols].all() and len(self.cols) < self.shape[1])

    @property
    def full_rows(self) -> bool:
        """Nonzero cells fill whole rows (a horizontal band), some rows staying zero."""
        return bool(self.count and self.nonzero[self.rows, :].all() and len(self.rows) < self.shape[0])


def _magnitude(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """(H_out, W_out) Σ|x|·|w| over each window: the scale of each cell's rounding error."""
    return cross_correlate2d(np.abs(image), np.abs(kernel))[:, :, 0]


def _zero_mask(image: np.ndarray, kernel: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.abs(out) <= ZERO_SLACK * _magnitude(image, kernel)


def summarize_map(image: np.ndarray, kernel: np.ndarray, out: np.ndarray) -> MapSummary:
    """Summarise ``out`` (H_out, W_out), the valid cross-correlation (or convolution) of ``image`` (H, W)
    with ``kernel`` (f, f).

    >>> image = np.array([[10, 10, 10, 0, 0, 0]] * 6); vertical = np.array([[1, 0, -1]] * 3)
    >>> s = summarize_map(image, vertical, cross_correlate2d(image, vertical)[:, :, 0])
    >>> s.cols, s.rows, s.low, s.high, s.full_columns
    ((1, 2), (0, 1, 2, 3), 30.0, 30.0, True)
    """
    nonzero = ~_zero_mask(image, kernel, out)
    values = out[nonzero]
    return MapSummary(
        shape=(out.shape[0], out.shape[1]),
        nonzero=nonzero,
        rows=tuple(int(i) for i in np.flatnonzero(nonzero.any(axis=1))),
        cols=tuple(int(j) for j in np.flatnonzero(nonzero.any(axis=0))),
        low=float(values.min()) if values.size else 0.0,
        high=float(values.max()) if values.size else 0.0,
    )


def _numbers(indices: tuple[int, ...]) -> str:
    """0-based indices as 1-based words: (1, 2) → '2 and 3'; (0, 1, 2) → '1, 2 and 3'."""
    words = [str(i + 1) for i in indices]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _values(summary: MapSummary) -> str:
    if summary.low == summary.high:
        return f"all {summary.low:g}"
    return f"from {summary.low:g} to {summary.high:g}"


def _sign(summary: MapSummary) -> str:
    if summary.low > 0:
        return "positive"
    if summary.high < 0:
        return "negative"
    return "of both signs"


def _straddling(boundaries: np.ndarray, f: int, n_out: int) -> tuple[int, ...]:
    """Output positions whose f-wide window contains a boundary between input positions c and c + 1."""
    return tuple(j for j in range(n_out) if any(j <= c < j + f - 1 for c in boundaries))


def _edges(boundaries: np.ndarray, kind: str, axis: str) -> str:
    """Boundaries after 0-based positions, in words: 'the vertical edge between image columns 3 and 4'."""
    if len(boundaries) == 1:
        c = int(boundaries[0])
        return f"the {kind} edge between image {axis} {c + 1} and {c + 2}"
    return f"the {kind} edges after image {axis} {_numbers(tuple(int(c) for c in boundaries))}"


def _band(summary: MapSummary, image: np.ndarray, f: int, vertical: bool) -> str:
    h, w = summary.shape
    axis, other, kind = ("columns", "row", "vertical") if vertical else ("rows", "column", "horizontal")
    where = summary.cols if vertical else summary.rows
    text = (
        f"{axis.capitalize()} {_numbers(where)} of the {h}x{w} result are nonzero ({_values(summary)}, "
        f"{_sign(summary)}) in every {other}, the other {axis} 0: a {kind} band."
    )
    changes = image[:, 1:] != image[:, :-1] if vertical else (image[1:] != image[:-1]).T
    boundaries = np.flatnonzero(changes.any(axis=0))
    if len(boundaries) and where == _straddling(boundaries, f, w if vertical else h):
        text += f" These are exactly the windows that straddle {_edges(boundaries, kind, axis)}."
    return text


def describe_map(image: np.ndarray, kernel: np.ndarray, out: np.ndarray) -> str:
    """One or two sentences saying what ``out`` (the valid cross-correlation of ``image`` (H, W) with the
    square ``kernel`` (f, f)) shows: where it is nonzero, its values and sign, and which edges of the image
    the nonzero windows straddle.

    >>> image = np.array([[10, 10, 10, 0, 0, 0]] * 6); horizontal = np.array([[1, 0, -1]] * 3).T
    >>> print(describe_map(image, horizontal, cross_correlate2d(image, horizontal)[:, :, 0]))
    Every cell of the 4x4 result is 0: this image is the same in every row (nothing changes from top to
    bottom), and in every window the filter's weights cancel on it.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    summary = summarize_map(image, kernel, out)
    h, w = summary.shape
    if summary.count == 0:
        same_rows, same_cols = (image == image[:1]).all(), (image == image[:, :1]).all()
        if same_rows and same_cols:
            return (
                f"Every cell of the {h}x{w} result is 0: this image is one flat shade, with no edge to find."
            )
        if same_rows or same_cols:
            line, change = ("row", "top to bottom") if same_rows else ("column", "left to right")
            return (
                f"Every cell of the {h}x{w} result is 0: this image is the same in every {line} (nothing "
                f"changes from {change}), and in every window the filter's weights cancel on it."
            )
        return f"Every cell of the {h}x{w} result is 0: in every window the filter's weights cancel here."
    if summary.full_columns or summary.full_rows:
        return _band(summary, image, kernel.shape[0], vertical=summary.full_columns)
    values = f"{_values(summary)}, {_sign(summary)}"
    if summary.count == h * w:
        return f"Every cell of the {h}x{w} result is nonzero ({values})."
    return (
        f"{summary.count} of the {h * w} cells are nonzero ({values}), in rows {_numbers(summary.rows)} "
        f"and columns {_numbers(summary.cols)}."
    )


def describe_flip(image: np.ndarray, kernel: np.ndarray) -> str:
    """How true convolution (kernel flipped) compares with cross-correlation of ``image`` (H, W) here.

    >>> image = np.array([[10, 10, 10, 0, 0, 0]] * 6)
    >>> print(describe_flip(image, np.array([[1, 0, -1]] * 3)))
    The flipped kernel is the negative of the kernel (it is antisymmetric), so every value of the
    convolution is the cross-correlation's with its sign changed.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    corr = cross_correlate2d(image, kernel)[:, :, 0]
    conv = convolve2d(image, kernel)[:, :, 0]
    flipped = np.flip(kernel)
    zero = _zero_mask(image, kernel, corr) & _zero_mask(image, flipped, conv)
    if zero.all():
        return "Both maps are all 0 here: this kernel finds nothing on this image, flipped or not."
    if np.array_equal(flipped, -kernel):
        return (
            "The flipped kernel is the negative of the kernel (it is antisymmetric), so every value of the "
            "convolution is the cross-correlation's with its sign changed."
        )
    if np.array_equal(flipped, kernel):
        return "This kernel equals its flip, so both maps are the same."
    slack = ZERO_SLACK * (_magnitude(image, kernel) + _magnitude(image, flipped))
    same, negated = (bool((np.abs(corr - conv) <= slack).all()), bool((np.abs(corr + conv) <= slack).all()))
    if same:
        return "The kernel differs from its flip, but on this image both maps agree."
    if negated:
        return "On this image the convolution is the cross-correlation with every sign changed."
    return "Flipping the kernel changes the map: the two differ in more than sign."
