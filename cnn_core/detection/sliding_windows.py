"""Sliding windows vs their convolutional implementation (Sermanet et al. 2014, "OverFeat").

The course's classifier looks at a 14x14x3 window: conv 5x5 (16) → max-pool 2x2 → FC 400 → FC 400 →
softmax 4. Written as convolutions (FC 400 = 400 filters of 5x5x16, the next FCs = 1x1 convolutions),
the same network runs on a larger image in one pass and its output grid holds one prediction per
window: a 16x16 image gives 2x2 outputs = the 4 windows at stride 2, and the windows share every
computation on their overlap. For an n x n image the window stride is the product of the layer strides
(2) and there are ((n − 14) / 2 + 1)² windows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.conv.arithmetic import output_size, require_positive_int
from cnn_core.conv.parameters import conv_multiplies
from cnn_core.errors import ParameterError


@dataclass(frozen=True)
class Layer:
    """One layer of the course network, in its convolutional form."""

    name: str
    kind: str  # "conv" or "pool"
    f: int
    stride: int
    filters: int  # output channels (pooling keeps its input's)


#: The course network, every FC layer already written as a convolution.
COURSE_NET: tuple[Layer, ...] = (
    Layer("conv 5x5", "conv", 5, 1, 16),
    Layer("max-pool 2x2", "pool", 2, 2, 16),
    Layer("FC 400 as conv 5x5", "conv", 5, 1, 400),
    Layer("FC 400 as conv 1x1", "conv", 1, 1, 400),
    Layer("softmax 4 as conv 1x1", "conv", 1, 1, 4),
)
WINDOW = 14


@dataclass(frozen=True)
class LayerCost:
    """The output volume of one layer on the whole image and its multiplications."""

    name: str
    shape: tuple[int, int, int]
    multiplies: int


@dataclass(frozen=True)
class SlidingWindowCost:
    """The comparison for one image size: window count, per-layer costs, and total multiplications."""

    image: int
    window_stride: int
    windows: int
    layers: tuple[LayerCost, ...]
    sliding_multiplies: int  # windows x one 14x14 pass
    convolutional_multiplies: int  # one pass over the whole image

    @property
    def saved_fraction(self) -> float:
        """Share of the sliding-window multiplications the convolutional pass avoids."""
        return 1.0 - self.convolutional_multiplies / self.sliding_multiplies


def network_costs(n: int, channels: int = 3, net: tuple[Layer, ...] = COURSE_NET) -> tuple[LayerCost, ...]:
    """Output shape and multiplications of each layer of ``net`` on an n x n x ``channels`` input.

    Valid convolutions and pools: n_out = ⌊(n − f) / s⌋ + 1; a conv costs n_out²·filters·f²·c_in
    multiplies (pooling none).

    >>> [(c.shape, c.multiplies) for c in network_costs(14)]  # doctest: +NORMALIZE_WHITESPACE
    [((10, 10, 16), 120000), ((5, 5, 16), 0), ((1, 1, 400), 160000), ((1, 1, 400), 160000),
     ((1, 1, 4), 1600)]
    """
    costs = []
    size = require_positive_int("image size", n)
    for layer in net:
        size = output_size(size, layer.f, 0, layer.stride)
        cost = conv_multiplies(size, size, layer.filters, layer.f, channels) if layer.kind == "conv" else 0
        channels = layer.filters
        costs.append(LayerCost(layer.name, (size, size, channels), cost))
    return tuple(costs)


def sliding_window_cost(n: int) -> SlidingWindowCost:
    """Windows and multiplications for an n x n x 3 image, sliding the 14x14 classifier vs one conv pass.

    >>> cost = sliding_window_cost(16)
    >>> cost.windows, cost.sliding_multiplies, cost.convolutional_multiplies, round(cost.saved_fraction, 3)
    (4, 1766400, 1459200, 0.174)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < WINDOW:
        raise ParameterError(f"image size must be a whole number ≥ {WINDOW} (the window), got {n!r}")
    stride = 1
    for layer in COURSE_NET:
        stride *= layer.stride
    layers = network_costs(n)
    grid = layers[-1].shape[0]
    per_window = sum(cost.multiplies for cost in network_costs(WINDOW))
    whole = sum(cost.multiplies for cost in layers)
    return SlidingWindowCost(n, stride, grid * grid, layers, grid * grid * per_window, whole)


def window_grid(height: int, width: int, window: int, stride: int) -> tuple[int, int]:
    """How many window positions fit down and across an image: ⌊(H − w) / s⌋ + 1 rows, ⌊(W − w) / s⌋ + 1
    columns, for square windows of ``window`` pixels moved ``stride`` pixels at a time.

    >>> window_grid(512, 741, 160, 80)  # ⌊352 / 80⌋ + 1 = 5, ⌊581 / 80⌋ + 1 = 8
    (5, 8)
    """
    window = require_positive_int("window", window)
    stride = require_positive_int("stride", stride)
    if window > min(height, width):
        raise ParameterError(f"window must fit the {width}x{height} image, got {window} pixels")
    return output_size(height, window, 0, stride), output_size(width, window, 0, stride)


def window_boxes(height: int, width: int, window: int, stride: int) -> np.ndarray:
    """The (rows·cols, 4) x1, y1, x2, y2 boxes of every window position, row by row (``window_grid``).

    >>> window_boxes(4, 5, 3, 2).tolist()
    [[0, 0, 3, 3], [2, 0, 5, 3]]
    """
    rows, cols = window_grid(height, width, window, stride)
    y, x = np.mgrid[0:rows, 0:cols] * stride  # (rows, cols) each
    corners = np.stack([x.ravel(), y.ravel()], axis=1)  # (rows·cols, 2)
    return np.concatenate([corners, corners + window], axis=1)
