"""How many weights and multiplications a layer costs.

Conv layer (course notation): each of the n_c filters is f x f x n_c_prev, plus one bias each:
    params = f·f·n_c_prev·n_c + n_c,   multiplies = n_H·n_W·n_c · f·f·n_c_prev.
Fully connected layer from N inputs to M outputs: params = N·M + M, multiplies = N·M.
"""

from __future__ import annotations

from cnn_core.conv.arithmetic import require_positive_int


def conv_params(f: int, channels_in: int, filters: int, *, bias: bool = True) -> int:
    """Weights of a conv layer with ``filters`` filters of f x f x channels_in (+ one bias each).

    >>> conv_params(5, 3, 6)  # the course's 32x32x3 -> 28x28x6 layer
    456
    """
    for name, value in (("f", f), ("channels_in", channels_in), ("filters", filters)):
        require_positive_int(name, value)
    return f * f * channels_in * filters + (filters if bias else 0)


def dense_params(inputs: int, outputs: int, *, bias: bool = True) -> int:
    """Weights of a fully connected layer: inputs·outputs + outputs.

    >>> dense_params(400, 120)  # LeNet-5's FC3 in the course
    48120
    >>> dense_params(32 * 32 * 3, 28 * 28 * 6)  # the same shapes as a conv layer, fully connected
    14455392
    """
    require_positive_int("inputs", inputs)
    require_positive_int("outputs", outputs)
    return inputs * outputs + (outputs if bias else 0)


def conv_multiplies(out_h: int, out_w: int, filters: int, f: int, channels_in: int) -> int:
    """Multiplications of a conv layer: every output value is one f·f·channels_in dot product.

    >>> conv_multiplies(28, 28, 32, 5, 192)  # the course's 5x5 "same" conv on 28x28x192
    120422400
    """
    for name, value in (
        ("out_h", out_h),
        ("out_w", out_w),
        ("filters", filters),
        ("f", f),
        ("channels_in", channels_in),
    ):
        require_positive_int(name, value)
    return out_h * out_w * filters * f * f * channels_in
