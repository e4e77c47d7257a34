"""Numpy reference ops against tf.nn.conv2d / max_pool2d / avg_pool2d on randomised cases."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_core.conv.reference import convolve2d, cross_correlate2d, pool2d
from cnn_core.errors import ParameterError, ShapeError
from tests.numerics import U64, assert_within, gamma


def _tf_padding(p):
    return p.upper() if isinstance(p, str) else [[0, 0], [p, p], [p, p], [0, 0]]


@settings(max_examples=40, deadline=None)
@given(
    h=st.integers(3, 12),
    w=st.integers(3, 12),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    f=st.integers(1, 3),
    p=st.one_of(st.integers(0, 2), st.sampled_from(["valid", "same"])),
    s=st.integers(1, 3),
    d=st.integers(1, 2),
    seed=st.integers(0, 2**16),
)
def test_cross_correlation_matches_tf_conv2d(h, w, c_in, c_out, f, p, s, d, seed):
    if s > 1:
        d = 1
    if d * (f - 1) + 1 > min(h, w):
        return
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(h, w, c_in))
    kernel = rng.normal(size=(f, f, c_in, c_out))
    bias = rng.normal(size=c_out)

    def tf_conv(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
        return tf.nn.conv2d(x[None], kernel, strides=s, padding=_tf_padding(p), dilations=d)[0].numpy()

    expected = tf_conv(x, kernel) + bias
    ours = cross_correlate2d(x, kernel, bias, stride=s, padding=p, dilation=d)
    # float64 on both sides, f·f·c_in products and the bias in any order: each within γ_n·Σ|terms|
    bound = 2 * gamma(f * f * c_in + 1, U64) * (tf_conv(np.abs(x), np.abs(kernel)) + np.abs(bias))
    assert_within(ours, expected, bound)


def test_course_vertical_edge_example_by_hand():
    image = np.array([[10, 10, 10, 0, 0, 0]] * 6)
    vertical = np.array([[1, 0, -1]] * 3)
    np.testing.assert_array_equal(cross_correlate2d(image, vertical)[:, :, 0], [[0, 30, 30, 0]] * 4)


def test_true_convolution_flips_the_kernel():
    x = np.arange(9.0).reshape(3, 3)
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    # hand computed: out[0,0] = 0·4 + 1·3 + 3·2 + 4·1 = 13 (the kernel rotated by 180°)
    assert convolve2d(x, kernel)[0, 0, 0] == 13.0
    assert cross_correlate2d(x, kernel)[0, 0, 0] == 0 * 1 + 1 * 2 + 3 * 3 + 4 * 4
    # convolution is commutative for full padding; cross-correlation is not
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(5, 5)), rng.normal(size=(3, 3))
    from scipy.signal import convolve2d as scipy_convolve

    bound = 2 * gamma(9, U64) * scipy_convolve(np.abs(a), np.abs(b), mode="valid")  # 9 float64 products each
    assert_within(convolve2d(a, b)[:, :, 0], scipy_convolve(a, b, mode="valid"), bound)


@settings(max_examples=40, deadline=None)
@given(
    h=st.integers(2, 11),
    w=st.integers(2, 11),
    c=st.integers(1, 3),
    f=st.integers(1, 3),
    s=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
    seed=st.integers(0, 2**16),
)
def test_pooling_matches_tf(h, w, c, f, s, padding, seed):
    if f > min(h, w):
        return
    x = np.random.default_rng(seed).normal(size=(h, w, c))
    batch = tf.constant(x[None])  # a float64 tensor: from a numpy array, TF 2.21's max-pool returns float32
    tf_max = tf.nn.max_pool2d(batch, f, s, padding.upper())[0].numpy()
    tf_avg = tf.nn.avg_pool2d(batch, f, s, padding.upper())[0].numpy()
    np.testing.assert_array_equal(pool2d(x, f, s, mode="max", padding=padding), tf_max)  # a max is exact
    # float64 means of ≤ f·f values: the sum and the division (or a product by 1/count) round each side
    magnitude = tf.nn.avg_pool2d(np.abs(x)[None], f, s, padding.upper())[0].numpy()
    assert_within(
        pool2d(x, f, s, mode="average", padding=padding), tf_avg, 2 * gamma(f * f + 1, U64) * magnitude
    )


def test_pooling_course_example_by_hand():
    x = np.array([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]])
    np.testing.assert_array_equal(pool2d(x, 2, 2)[:, :, 0], [[9, 2], [6, 3]])
    np.testing.assert_array_equal(pool2d(x, 2, 2, mode="average")[:, :, 0], [[3.75, 1.25], [3.75, 2.0]])


def test_errors():
    with pytest.raises(ShapeError, match="filter has 3 channels but the input has 1"):
        cross_correlate2d(np.zeros((4, 4)), np.zeros((3, 3, 3, 1)))
    with pytest.raises(ShapeError, match="kernel must be"):
        cross_correlate2d(np.zeros((4, 4)), np.zeros((3, 2)))
    with pytest.raises(ParameterError, match="pooling mode"):
        pool2d(np.zeros((4, 4)), 2, 2, mode="median")
    with pytest.raises(ShapeError, match="filter spans 5 pixels"):
        pool2d(np.zeros((4, 4)), 5, 1)
