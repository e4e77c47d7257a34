"""Output sizes of convolutions and pooling: the floor rule, padding, stride and dilation.

For an n x n input, an f x f filter, padding p and stride s (course notation):
    n_out = ⌊(n + 2p − f) / s⌋ + 1
With dilation d the filter covers f_eff = d·(f − 1) + 1 pixels, and f_eff replaces f.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from cnn_core.errors import ParameterError, ShapeError

Padding = int | Literal["valid", "same"]

#: Largest size any argument may take; bigger values are typos, not layers.
MAX_SIZE = 1_000_000


def require_positive_int(name: str, value: object, minimum: int = 1) -> int:
    """Return ``value`` when it is an int in [minimum, MAX_SIZE]; otherwise raise ParameterError.

    >>> require_positive_int("stride", 0)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: stride must be ≥ 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ParameterError(f"{name} must be ≥ {minimum}, got {value}")
    if value > MAX_SIZE:
        raise ParameterError(f"{name} must be ≤ {MAX_SIZE:,}, got {value:,}")
    return value


def effective_filter_size(f: int, d: int = 1) -> int:
    """Pixels a dilated filter spans: f_eff = d·(f − 1) + 1.

    >>> effective_filter_size(3, 2)
    5
    """
    require_positive_int("f", f)
    require_positive_int("dilation", d)
    return d * (f - 1) + 1


def resolve_padding(n: int, f: int, s: int, padding: Padding, d: int = 1) -> tuple[int, int]:
    """Rows added (before, after) one spatial axis.

    "valid" adds none. "same" follows TensorFlow/Keras: the output has ⌈n/s⌉ cells and the total padding
    P = max((⌈n/s⌉ − 1)·s + f_eff − n, 0) is split with the extra row after. A number p adds p each side.

    >>> resolve_padding(6, 3, 1, "same"), resolve_padding(6, 4, 1, "same"), resolve_padding(7, 3, 2, 2)
    ((1, 1), (1, 2), (2, 2))
    """
    require_positive_int("n", n)
    require_positive_int("stride", s)
    f_eff = effective_filter_size(f, d)
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        total = max((math.ceil(n / s) - 1) * s + f_eff - n, 0)
        return (total // 2, total - total // 2)
    if isinstance(padding, str):
        raise ParameterError(f"padding must be a number, 'valid' or 'same', got {padding!r}")
    require_positive_int("padding", padding, minimum=0)
    return (padding, padding)


def output_size(n: int, f: int, p: Padding = 0, s: int = 1, d: int = 1) -> int:
    """n_out = ⌊(n + p_before + p_after − f_eff) / s⌋ + 1; ShapeError when the filter does not fit.

    >>> output_size(6, 3), output_size(7, 3, 0, 2), output_size(6, 3, "same"), output_size(7, 3, 1, 2, 2)
    (4, 3, 6, 3)
    """
    before, after = resolve_padding(n, f, s, p, d)
    f_eff = effective_filter_size(f, d)
    padded = n + before + after
    if f_eff > padded:
        raise ShapeError(
            f"the filter spans {f_eff} pixels but the padded input has only {padded} "
            f"(n={n}, padding {before}+{after}); use a smaller filter or more padding"
        )
    return (padded - f_eff) // s + 1


def same_padding(n: int, f: int, s: int = 1, d: int = 1) -> float:
    """Padding per side that keeps n_out = n (course formula): p = (n·s − n + f_eff − s) / 2.

    With s = 1 this is (f − 1)/2; a fractional result means no symmetric padding works.

    >>> same_padding(6, 3), same_padding(6, 4), same_padding(6, 3, 2)
    (1.0, 1.5, 3.5)
    """
    require_positive_int("n", n)
    require_positive_int("stride", s)
    return (n * s - n + effective_filter_size(f, d) - s) / 2


def unused_border(n: int, f: int, p: Padding = 0, s: int = 1, d: int = 1) -> int:
    """Rows of the padded input after the last window that no window reaches: (n + 2p − f_eff) mod s.

    >>> unused_border(7, 3, 0, 3)  # windows start at 0 and 3; row 6 is never read
    1
    """
    before, after = resolve_padding(n, f, s, p, d)
    output_size(n, f, p, s, d)  # validates that the filter fits
    return (n + before + after - effective_filter_size(f, d)) % s


@dataclass(frozen=True)
class AxisShape:
    """Everything the calculator shows about one spatial axis."""

    n: int
    f_eff: int
    padding: tuple[int, int]
    stride: int
    n_out: int
    unused: int

    @property
    def padded(self) -> int:
        return self.n + sum(self.padding)


def axis_shape(n: int, f: int, p: Padding = 0, s: int = 1, d: int = 1) -> AxisShape:
    """The output size of one axis together with the numbers that produced it."""
    return AxisShape(
        n=n,
        f_eff=effective_filter_size(f, d),
        padding=resolve_padding(n, f, s, p, d),
        stride=s,
        n_out=output_size(n, f, p, s, d),
        unused=unused_border(n, f, p, s, d),
    )


def conv_output_shape(
    spatial: tuple[int, ...], f: int, filters: int, p: Padding = 0, s: int = 1
) -> tuple[int, ...]:
    """Output shape of a 1-D, 2-D or 3-D convolution: each spatial axis by the floor rule, then filters.

    >>> conv_output_shape((14,), 5, 16), conv_output_shape((14, 14, 14), 5, 16)
    ((10, 16), (10, 10, 10, 16))
    """
    require_positive_int("filters", filters)
    if not 1 <= len(spatial) <= 3:
        raise ParameterError(f"a convolution has 1, 2 or 3 spatial axes, got {len(spatial)}")
    return (*(output_size(n, f, p, s) for n in spatial), filters)
