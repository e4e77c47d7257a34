"""Hand-set edge filters (the course's vertical/horizontal, Sobel, Scharr) and applying them to images.

A vertical-edge filter responds where bright pixels on the left meet dark pixels on the right:
on the course's 6x6 image (10s on the left half, 0s on the right) it gives a 4x4 map whose two middle
columns are 30 — the bright band marking the edge.
"""

from __future__ import annotations

import numpy as np

from cnn_core.conv.reference import cross_correlate2d
from cnn_core.errors import ShapeError

_VERTICAL = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=np.float64)
_SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float64)
_SCHARR = np.array([[3, 0, -3], [10, 0, -10], [3, 0, -3]], dtype=np.float64)

#: Named 3x3 filters; "horizontal" ones are the transposes of the vertical ones.
FILTERS: dict[str, np.ndarray] = {
    "vertical": _VERTICAL,
    "horizontal": _VERTICAL.T.copy(),
    "Sobel vertical": _SOBEL,
    "Sobel horizontal": _SOBEL.T.copy(),
    "Scharr vertical": _SCHARR,
    "Scharr horizontal": _SCHARR.T.copy(),
}


def course_edge_image() -> np.ndarray:
    """The course's 6x6 example: a bright left half (10) and a dark right half (0)."""
    return np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=np.float64)


def parse_kernel(rows: list[list[float]]) -> np.ndarray:
    """A square, finite kernel from a table of numbers (the custom filter editor)."""
    try:
        kernel = np.array(rows, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ShapeError(f"the filter must be a table of numbers ({err})") from err
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] == 0:
        raise ShapeError(f"the filter must be square, got shape {kernel.shape}")
    if not np.all(np.isfinite(kernel)):
        raise ShapeError("every entry of the filter must be a finite number")
    return kernel


def edge_response(gray: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlate an (H, W) grey image with ``kernel`` ("same" size); (H, W) signed response."""
    return cross_correlate2d(gray, kernel, padding="same")[:, :, 0]


def response_to_uint8(response: np.ndarray, *, signed: bool = False) -> np.ndarray:
    """Display an (H, W) response: |r| scaled to 0..255, or with ``signed`` 0 → grey 128 (±max → 0/255)."""
    peak = float(np.max(np.abs(response))) or 1.0
    scaled = 127.5 + 127.5 * response / peak if signed else 255.0 * np.abs(response) / peak
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
