"""The 1x1 bottleneck and conv-vs-FC comparisons, with the course's numbers."""

from __future__ import annotations

import re

import pytest

from cnn_core.conv.costs import bottleneck_cost, conv_vs_dense
from cnn_core.errors import ParameterError, ShapeError


def test_course_bottleneck_example():
    cost = bottleneck_cost(28, 28, 192, 5, 32, 16)
    assert cost.direct_multiplies == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400  # "about 120 M"
    assert (
        cost.bottleneck_multiplies == 28 * 28 * 16 * 192 + 28 * 28 * 32 * 5 * 5 * 16 == 12_443_648
    )  # "12.4 M"
    assert cost.direct_params == 5 * 5 * 192 * 32 + 32
    assert cost.bottleneck_params == (192 * 16 + 16) + (5 * 5 * 16 * 32 + 32)
    assert cost.saving == pytest.approx(120_422_400 / 12_443_648)


def test_course_conv_vs_fully_connected():
    result = conv_vs_dense(32, 32, 3, 5, 6)
    assert result.output_shape == (28, 28, 6)
    assert result.conv_params == (5 * 5 * 3 + 1) * 6 == 456
    assert result.dense_params == 3072 * 4704 + 4704  # "about 14 M"
    assert (result.conv_inputs_per_output, result.dense_inputs_per_output) == (75, 3072)
    assert result.ratio == pytest.approx(14_455_392 / 456)


def test_stride_and_padding_change_the_output():
    assert conv_vs_dense(32, 32, 3, 3, 8, s=2, p=1).output_shape == (16, 16, 8)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: bottleneck_cost(28, 28, 192, 5, 32, 0), ParameterError, "bottleneck must be ≥ 1, got 0"),
        (lambda: bottleneck_cost(28, 0, 192, 5, 32, 16), ParameterError, "out_w must be ≥ 1, got 0"),
        (
            lambda: conv_vs_dense(4, 4, 3, 5, 6),
            ShapeError,
            "the filter spans 5 pixels but the padded input has only 4",
        ),
        (lambda: conv_vs_dense(32, 32, 3, 5, 6, s=0), ParameterError, "stride must be ≥ 1, got 0"),
    ],
)
def test_bad_numbers(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()
