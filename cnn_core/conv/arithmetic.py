"""Output sizes of convolutions and pooling: the floor rule, padding, stride and dilation.

For an n x n input, an f x f filter, padding p and stride s (course notation):
    n_out = ⌊(n + 2p − f) / s⌋ + 1
With dilation d the filter covers f_eff = d·(f − 1) + 1 pixels, and f_eff replaces f.

Two meanings of "same" padding, kept apart:
* the course's (sections "Padding", "Strided Convolutions"): pad so that the output size equals the input
  size n, p = ((s − 1)·n − s + f)/2 per side (``course_same_padding``, mode "course-same");
* TensorFlow/Keras ``padding="same"``: the output has ⌈n/s⌉ cells, which is n only at stride 1
  (``tf_same_padding``, mode "same", the name Keras uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cnn_core.errors import ParameterError, ShapeError

Padding = int | Literal["valid", "same", "course-same"]

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

    "valid" adds none; "same" is TensorFlow/Keras's (``tf_same_padding``), "course-same" the course's
    (``course_same_padding``); a number p adds p each side.

    >>> resolve_padding(6, 3, 2, "same"), resolve_padding(6, 3, 2, "course-same"), resolve_padding(7, 3, 2, 2)
    ((0, 1), (4, 4), (2, 2))
    """
    require_positive_int("n", n)
    require_positive_int("stride", s)
    if padding == "valid":
        effective_filter_size(f, d)
        return (0, 0)
    if padding == "same":
        return tf_same_padding(n, f, s, d).padding
    if padding == "course-same":
        return course_same_padding(n, f, s, d).padding
    if isinstance(padding, str):
        raise ParameterError(f"padding must be a number, 'valid', 'same' or 'course-same', got {padding!r}")
    require_positive_int("padding", padding, minimum=0)
    effective_filter_size(f, d)
    return (padding, padding)


@dataclass(frozen=True)
class CourseSame:
    """The course's same padding of one axis: the padding that makes the output size n.

    ``exact`` is the formula's value ((s − 1)·n − s + f_eff)/2; ``p`` the whole padding per side that gives
    n (None when only an uneven split does); ``padding`` what is applied, (before, after).
    """

    n: int
    exact: float
    p: int | None
    padding: tuple[int, int]

    @property
    def total_min(self) -> int:
        """The least total padding whose output is n: (s − 1)·n − s + f_eff."""
        return round(2 * self.exact)


def course_same_padding(n: int, f: int, s: int = 1, d: int = 1) -> CourseSame:
    """Padding that keeps the output size n (course): p = ⌈((s − 1)·n − s + f_eff)/2⌉ each side.

    The output is n exactly when the total padding P satisfies s·(n − 1) ≤ n + P − f_eff < s·n, that is
    P_min ≤ P ≤ P_min + s − 1 with P_min = (s − 1)·n − s + f_eff ≥ 0. When P_min is odd, rounding p up
    adds one row: with s ≥ 2 the floor of ⌊(s·(n − 1) + 1)/s⌋ drops it and the output is still n; with
    s = 1 it gives n + 1, so no symmetric padding works and the rows are split unevenly, the extra one
    after (as TensorFlow does).

    >>> course_same_padding(6, 3, 2)  # 3.5 rounds up to 4: ⌊(6 + 8 − 3)/2⌋ + 1 = 6
    CourseSame(n=6, exact=3.5, p=4, padding=(4, 4))
    >>> course_same_padding(6, 4)  # stride 1, even filter: 1 row before, 2 after
    CourseSame(n=6, exact=1.5, p=None, padding=(1, 2))
    """
    require_positive_int("n", n)
    require_positive_int("stride", s)
    total = (s - 1) * n - s + effective_filter_size(f, d)  # ≥ 0: (s − 1)(n − 1) + f_eff − 1
    p = -(-total // 2)
    if 2 * p <= total + s - 1:
        return CourseSame(n, total / 2, p, (p, p))
    return CourseSame(n, total / 2, None, (total // 2, total - total // 2))


@dataclass(frozen=True)
class TfSame:
    """TensorFlow/Keras ``padding="same"`` on one axis: n_out = ⌈n/s⌉ and the rows (before, after)."""

    n_out: int
    total: int
    padding: tuple[int, int]


def tf_same_padding(n: int, f: int, s: int = 1, d: int = 1) -> TfSame:
    """TensorFlow's "SAME": n_out = ⌈n/s⌉, total P = max((n_out − 1)·s + f_eff − n, 0), P//2 before and
    the rest after. The output is n only at stride 1.

    >>> tf_same_padding(6, 3, 2), tf_same_padding(6, 4).padding
    (TfSame(n_out=3, total=1, padding=(0, 1)), (1, 2))
    """
    require_positive_int("n", n)
    require_positive_int("stride", s)
    n_out = -(-n // s)
    total = max((n_out - 1) * s + effective_filter_size(f, d) - n, 0)
    return TfSame(n_out, total, (total // 2, total - total // 2))


def output_size(n: int, f: int, p: Padding = 0, s: int = 1, d: int = 1) -> int:
    """n_out = ⌊(n + p_before + p_after − f_eff) / s⌋ + 1; ShapeError when the filter does not fit.

    >>> output_size(6, 3), output_size(7, 3, 0, 2), output_size(6, 3, "same", 2), output_size(7, 3, 1, 2, 2)
    (4, 3, 3, 3)
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
