"""Output-size formulas against hand-computed cases and the shapes TensorFlow/Keras actually produce."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_core.conv.arithmetic import (
    axis_shape,
    conv_output_shape,
    course_same_padding,
    output_size,
    resolve_padding,
    unused_border,
)
from cnn_core.errors import ParameterError, ShapeError
from tests.numerics import assert_within, gamma


@pytest.mark.parametrize(
    ("n", "f", "p", "s", "d", "expected"),
    [
        (6, 3, 0, 1, 1, 4),  # course: 6x6 * 3x3 -> 4x4
        (6, 3, 1, 1, 1, 6),  # padded to 8x8 -> 6x6
        (7, 3, 0, 2, 1, 3),  # course strided example 7x7, f=3, s=2 -> 3x3
        (32, 5, 0, 1, 1, 28),  # LeNet conv1
        (227, 11, 0, 4, 1, 55),  # AlexNet conv1
        (6, 3, 0, 1, 2, 2),  # dilation 2 spans 5 pixels
        (8, 3, "same", 2, 1, 4),
        (6, 3, "valid", 1, 1, 4),
    ],
)
def test_hand_computed_sizes(n, f, p, s, d, expected):
    assert output_size(n, f, p, s, d) == expected


def test_same_padding_course_formula():
    assert course_same_padding(6, 3).exact == 1.0  # (f - 1) / 2
    assert course_same_padding(5, 5).exact == 2.0
    assert course_same_padding(6, 3, 2).exact == 3.5  # (n·s − n + f − s)/2 = (12 − 6 + 3 − 2)/2


def test_unused_border_when_stride_skips_pixels():
    assert unused_border(7, 3, 0, 2) == 0
    assert unused_border(8, 3, 0, 2) == 1
    assert axis_shape(8, 3, 0, 2).unused == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(n=2, f=3), ShapeError, "filter spans 3 pixels but the padded input has only 2"),
        (dict(n=6, f=3, s=0), ParameterError, "stride must be ≥ 1, got 0"),
        (dict(n=6, f=3, p=-1), ParameterError, "padding must be ≥ 0, got -1"),
        (dict(n=0, f=3), ParameterError, "n must be ≥ 1, got 0"),
        (dict(n=6, f=0), ParameterError, "f must be ≥ 1, got 0"),
        (dict(n=6, f=3, d=0), ParameterError, "dilation must be ≥ 1, got 0"),
        (dict(n=10**9, f=3), ParameterError, "n must be ≤ 1,000,000"),
        (
            dict(n=6, f=3, p="full"),
            ParameterError,
            "padding must be a number, 'valid', 'same' or 'course-same'",
        ),
        (dict(n=6.5, f=3), ParameterError, "n must be a whole number"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        output_size(**kwargs)


def _tf_output_size(n, f, p, s, d):
    x = tf.zeros((1, n, n, 1))
    w = tf.zeros((f, f, 1, 1))
    if p == "course-same":  # TensorFlow has no such mode: its explicit form, padded as resolve_padding says
        before, after = resolve_padding(n, f, s, p, d)
        padding = [[0, 0], [before, after], [before, after], [0, 0]]
    else:
        padding = p.upper() if isinstance(p, str) else [[0, 0], [p, p], [p, p], [0, 0]]
    return tf.nn.conv2d(x, w, strides=s, padding=padding, dilations=d).shape[1]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    f=st.integers(1, 7),
    p=st.one_of(st.integers(0, 4), st.sampled_from(["valid", "same", "course-same"])),
    s=st.integers(1, 4),
    d=st.integers(1, 3),
)
def test_output_size_matches_tensorflow(n, f, p, s, d):
    if s > 1 and d > 1:
        d = 1  # TensorFlow does not support stride and dilation > 1 together
    f_eff = d * (f - 1) + 1
    pads = sum(resolve_padding(n, f, s, p, d))
    if f_eff > n + pads:
        with pytest.raises(ShapeError):
            output_size(n, f, p, s, d)
        return
    assert output_size(n, f, p, s, d) == _tf_output_size(n, f, p, s, d)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize(("n", "f", "s"), [(13, 3, 2), (14, 4, 3), (5, 5, 1), (9, 2, 2)])
def test_padding_split_matches_keras_conv2d(n, f, s, padding):
    import keras

    layer = keras.layers.Conv2D(1, f, strides=s, padding=padding)
    keras_shape = layer.compute_output_shape((None, n, n + 1, 3))
    assert keras_shape[1:] == (output_size(n, f, padding, s), output_size(n + 1, f, padding, s), 1)
    # the "same" split: TensorFlow's output equals zero-padding by resolve_padding then a valid conv
    x = np.random.default_rng(0).normal(size=(1, n, n, 1)).astype(np.float32)
    w = np.random.default_rng(1).normal(size=(f, f, 1, 1)).astype(np.float32)
    before, after = resolve_padding(n, f, s, padding)
    pads = [[0, 0], [before, after], [before, after], [0, 0]]
    explicit = tf.nn.conv2d(x, w, s, pads)
    # both sum the same f·f products (padding adds exact zeros), maybe in other orders: 2·γ_{f²}·Σ|x w|
    magnitude = tf.nn.conv2d(np.abs(x).astype(np.float64), np.abs(w).astype(np.float64), s, pads)
    assert_within(tf.nn.conv2d(x, w, s, padding.upper()), explicit, 2 * gamma(f * f) * magnitude.numpy())


def test_one_and_three_dimensional_course_examples():
    import keras

    assert conv_output_shape((14,), 5, 16) == (10, 16)
    assert conv_output_shape((10,), 5, 32) == (6, 32)
    assert conv_output_shape((14, 14, 14), 5, 16) == (10, 10, 10, 16)
    assert conv_output_shape((10, 10, 10), 5, 32) == (6, 6, 6, 32)
    assert keras.layers.Conv1D(16, 5).compute_output_shape((None, 14, 1))[1:] == (10, 16)
    assert keras.layers.Conv3D(32, 5).compute_output_shape((None, 10, 10, 10, 16))[1:] == (6, 6, 6, 32)
    with pytest.raises(ParameterError, match="1, 2 or 3 spatial axes"):
        conv_output_shape((4, 4, 4, 4), 3, 1)
