"""The 1x1 convolution ("Network in Network", Lin et al. 2013): a fully connected layer at every pixel.

A 1x1 filter on an (H, W, C) volume looks at one pixel's C numbers only: filter k gives
    z[i, j, k] = Σ_c x[i, j, c] · w[c, k] + b[k],    a = ReLU(z),
an inner product of the pixel's channel vector with the filter, (1 x C)·(C x 1) = 1 x 1: the same dense
layer C → K applied at all H·W positions with shared weights. The course's examples: 6x6x32 * 1x1x32 → 6x6x1,
and 28x28x192 shrunk to 28x28x32 with 32 filters: 192·32 + 32 = 6,176 parameters and
28·28·32·192 = 4,816,896 multiplies (``cnn_core.conv.parameters``, as for the bottleneck in ``costs``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.conv.arithmetic import require_positive_int
from cnn_core.conv.parameters import conv_multiplies, conv_params
from cnn_core.errors import ParameterError, ShapeError

#: the course's first example: a 6x6x32 volume and one 1x1x32 filter
EXAMPLE_SHAPE = (6, 6, 32)
EXAMPLE_FILTERS = 1
#: the page's first seed: filter 1 is negative at half the pixels, so ReLU visibly zeroes some
EXAMPLE_SEED = 28
#: the course's shrinking example: 28x28x192 → 28x28x32
SHRINK_EXAMPLE = {"height": 28, "width": 28, "channels_in": 192, "filters": 32}
#: the example's whole numbers: inputs 0..4 (like a ReLU output), weights ±1 or ±2, biases −3..3
INPUT_MAX, BIAS_MAX = 4, 3
WEIGHTS = np.array([-2.0, -1.0, 1.0, 2.0])


@dataclass(frozen=True)
class OneByOneExample:
    """A random volume x (H, W, C), filters w (C, K) and biases b (K,), all small whole numbers."""

    x: np.ndarray
    w: np.ndarray
    b: np.ndarray


def random_example(
    seed: int, shape: tuple[int, int, int] = EXAMPLE_SHAPE, filters: int = EXAMPLE_FILTERS
) -> OneByOneExample:
    """A reproducible example: the same seed gives the same numbers on every machine (numpy's PCG64).

    >>> example = random_example(0)
    >>> example.x.shape, example.w.shape, example.b.shape
    ((6, 6, 32), (32, 1), (1,))
    """
    for name, value in zip(("height", "width", "channels"), shape, strict=True):
        require_positive_int(name, value)
    require_positive_int("filters", filters)
    require_positive_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, INPUT_MAX + 1, shape).astype(np.float64)
    w = rng.choice(WEIGHTS, (shape[2], filters))
    b = rng.integers(-BIAS_MAX, BIAS_MAX + 1, filters).astype(np.float64)
    return OneByOneExample(x, w, b)


@dataclass(frozen=True)
class PixelDot:
    """Filter k at pixel (row, col): the C inputs, the C weights, their products, z = Σ products + b, ReLU."""

    inputs: np.ndarray  # (C,) x[row, col, :]
    weights: np.ndarray  # (C,) w[:, k]
    products: np.ndarray  # (C,)
    bias: float
    z: float
    activation: float


def pixel_dot(example: OneByOneExample, row: int, col: int, k: int) -> PixelDot:
    """z = x[row, col, :] · w[:, k] + b[k] and ReLU(z), term by term.

    >>> e = OneByOneExample(np.arange(6.0).reshape(1, 2, 3), np.array([[1.0], [-1], [2]]), np.array([-1.0]))
    >>> part = pixel_dot(e, 0, 1, 0)  # x[0, 1] = (3, 4, 5): 3 − 4 + 10 − 1 = 8
    >>> part.products.tolist(), part.z, part.activation
    ([3.0, -4.0, 10.0], 8.0, 8.0)
    """
    h, w, _ = example.x.shape
    for name, value, size in (("row", row, h), ("column", col, w), ("filter", k, example.w.shape[1])):
        if not 0 <= value < size:
            raise ParameterError(f"{name} must be in 0..{size - 1}, got {value}")
    inputs, weights = example.x[row, col], example.w[:, k]
    products = inputs * weights
    z = float(products.sum() + example.b[k])
    return PixelDot(inputs, weights, products, float(example.b[k]), z, max(z, 0.0))


def conv1x1(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """All pixels at once: x (H, W, C) @ w (C, K) + b (K,) → (H, W, K), the pre-activation z.

    >>> conv1x1(np.ones((2, 2, 3)), np.full((3, 1), 2.0), np.array([1.0]))[:, :, 0].tolist()
    [[7.0, 7.0], [7.0, 7.0]]
    """
    if x.ndim != 3 or w.ndim != 2 or w.shape[0] != x.shape[2] or b.shape != (w.shape[1],):
        raise ShapeError(f"need x (H, W, C), w (C, K), b (K,); got {x.shape}, {w.shape}, {b.shape}")
    return np.einsum("ijc,ck->ijk", x, w) + b  # (H, W, K)


@dataclass(frozen=True)
class OneByOneCost:
    """A 1x1 conv with ``filters`` filters on height x width x channels_in: its output shape and costs."""

    output_shape: tuple[int, int, int]
    params: int
    multiplies: int


def one_by_one_cost(height: int, width: int, channels_in: int, filters: int) -> OneByOneCost:
    """params = C_in·K + K, multiplies = H·W·K·C_in (every output value is one C_in-long dot product).

    >>> one_by_one_cost(28, 28, 192, 32)
    OneByOneCost(output_shape=(28, 28, 32), params=6176, multiplies=4816896)
    """
    return OneByOneCost(
        output_shape=(height, width, filters),
        params=conv_params(1, channels_in, filters),
        multiplies=conv_multiplies(height, width, filters, 1, channels_in),
    )
