"""The 1x1 convolution against tf.nn.conv2d, a per-pixel float64 loop, Keras parameter counts and the
course's numbers (192·32 + 32 = 6,176 parameters, 28·28·32·192 = 4,816,896 multiplies)."""

import numpy as np
import pytest
import tensorflow as tf

from cnn_core.conv.one_by_one import (
    OneByOneCost,
    OneByOneExample,
    conv1x1,
    one_by_one_cost,
    pixel_dot,
    random_example,
)
from cnn_core.conv.reference import cross_correlate2d
from cnn_core.errors import ParameterError, ShapeError
from tests.numerics import U64, assert_within, gamma


def test_the_course_numbers():
    assert one_by_one_cost(28, 28, 192, 32) == OneByOneCost((28, 28, 32), 6_176, 4_816_896)


def test_parameter_count_matches_keras():
    import keras

    conv = keras.layers.Conv2D(32, 1)
    conv.build((None, 28, 28, 192))
    dense = keras.layers.Dense(32)  # a dense layer on the last axis: the same weights at every pixel
    dense.build((None, 28, 28, 192))
    assert conv.count_params() == dense.count_params() == one_by_one_cost(28, 28, 192, 32).params


@pytest.mark.parametrize("filters", [1, 3])
def test_example_matches_tensorflow_exactly(filters):
    """Whole numbers ≤ 4·2 summed 32 at a time are exact in float32: TensorFlow must agree to the bit."""
    example = random_example(7, filters=filters)
    reference = tf.nn.conv2d(
        example.x[None].astype(np.float32), example.w[None, None].astype(np.float32), 1, "VALID"
    ).numpy()[0] + example.b.astype(np.float32)
    np.testing.assert_array_equal(conv1x1(example.x, example.w, example.b), reference)
    np.testing.assert_array_equal(cross_correlate2d(example.x, example.w[None, None], example.b), reference)
    for row, col, k in [(0, 0, 0), (2, 3, filters - 1), (5, 5, 0)]:
        part = pixel_dot(example, row, col, k)
        assert part.z == reference[row, col, k]
        assert part.activation == max(reference[row, col, k], 0.0)


def test_real_valued_volume_against_tensorflow():
    """Float inputs: float32 TensorFlow vs the float64 sum of the same float32 numbers, within
    (γ₃₂ + γ₃₂ in float64)·Σ|x w| (both orders of summation are allowed to differ)."""
    rng = np.random.default_rng(3)
    x32 = rng.normal(size=(5, 4, 32)).astype(np.float32)
    w32 = rng.normal(size=(32, 6)).astype(np.float32)
    reference = tf.nn.conv2d(x32[None], w32[None, None], 1, "VALID").numpy()[0]
    ours = conv1x1(x32.astype(np.float64), w32.astype(np.float64), np.zeros(6))
    magnitude = conv1x1(np.abs(x32).astype(np.float64), np.abs(w32).astype(np.float64), np.zeros(6))
    assert_within(reference, ours, (gamma(32) + gamma(32, U64)) * magnitude)


def test_pixel_dot_by_hand():
    """x[0, 1] = (3, 4, 5), w = (1, −1, 2), b = −10: 3 − 4 + 10 − 10 = −1 → ReLU 0."""
    example = OneByOneExample(
        np.arange(6.0).reshape(1, 2, 3), np.array([[1.0], [-1], [2]]), np.array([-10.0])
    )
    part = pixel_dot(example, 0, 1, 0)
    assert part.products.tolist() == [3.0, -4.0, 10.0]
    assert (part.z, part.activation) == (-1.0, 0.0)


def test_the_seed_reproduces_the_example():
    first, again, other = random_example(5), random_example(5), random_example(6)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.w, again.w)
    assert not np.array_equal(first.x, other.x)
    assert first.x.min() >= 0 and first.x.max() <= 4 and set(np.unique(first.w)) <= {-2.0, -1.0, 1.0, 2.0}


def test_bad_arguments():
    with pytest.raises(ParameterError, match="seed must be ≥ 0, got -1"):
        random_example(-1)
    with pytest.raises(ParameterError, match="filters must be ≥ 1, got 0"):
        random_example(0, filters=0)
    with pytest.raises(ParameterError, match=r"row must be in 0\.\.5, got 6"):
        pixel_dot(random_example(0), 6, 0, 0)
    with pytest.raises(ParameterError, match="channels_in must be ≥ 1, got 0"):
        one_by_one_cost(28, 28, 0, 32)
    with pytest.raises(ShapeError, match="need x"):
        conv1x1(np.ones((2, 2, 3)), np.ones((4, 1)), np.ones(1))
