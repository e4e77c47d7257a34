"""The course's convolutional sliding windows: counts by hand, and the equivalence checked with Keras."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.sliding_windows import COURSE_NET, network_costs, sliding_window_cost
from cnn_core.errors import ParameterError
from tests.numerics import U64, assert_within, float64_twin, gamma

COURSE_SHAPES = {  # the course figure, FC layers already written as convolutions
    14: [(10, 10, 16), (5, 5, 16), (1, 1, 400), (1, 1, 400), (1, 1, 4)],
    16: [(12, 12, 16), (6, 6, 16), (2, 2, 400), (2, 2, 400), (2, 2, 4)],
}


@pytest.mark.parametrize("n", sorted(COURSE_SHAPES))
def test_course_shapes_14_and_16(n):
    assert [c.shape for c in network_costs(n)] == COURSE_SHAPES[n]


@pytest.mark.parametrize(("n", "windows"), [(14, 1), (16, 4), (28, 64), (15, 1)])
def test_window_counts(n, windows):
    cost = sliding_window_cost(n)
    assert cost.windows == windows == ((n - 14) // 2 + 1) ** 2
    assert cost.window_stride == 2


def test_multiplication_counts_by_hand():
    one_window = 10 * 10 * 16 * 5 * 5 * 3 + 400 * 5 * 5 * 16 + 400 * 400 + 4 * 400  # 441,600
    whole_16 = 12 * 12 * 16 * 75 + 2 * 2 * 400 * 400 + 2 * 2 * 400 * 400 + 2 * 2 * 4 * 400
    cost = sliding_window_cost(16)
    assert (cost.sliding_multiplies, cost.convolutional_multiplies) == (4 * one_window, whole_16)
    assert cost.saved_fraction == pytest.approx(1 - whole_16 / (4 * one_window))
    assert sliding_window_cost(28).convolutional_multiplies < sliding_window_cost(28).sliding_multiplies


def _course_model():
    """The course's classifier, fully convolutional (no activations), with random weights."""
    import keras

    layers = [
        keras.layers.Conv2D(layer.filters, layer.f, layer.stride)
        if layer.kind == "conv"
        else keras.layers.MaxPooling2D(layer.f, layer.stride)
        for layer in COURSE_NET
    ]
    return keras.Sequential([keras.Input((None, None, 3)), *layers])


def _rounding_error_bound(model, image: np.ndarray, u: float) -> np.ndarray:
    """A worst-case bound on the rounding error (unit roundoff ``u``) of each output of the course's
    network on ``image`` (1, H, W, 3), from Higham's eq. 3.5 layer by layer: a conv of fan-in n carries
    the error e of its input as |W| * e and adds γ_{n+1}·(|W| * |x| + |b|); a max-pool passes on the
    largest error of each window (|max a − max b| ≤ max |a − b|)."""
    import keras
    import tensorflow as tf

    x, e = np.abs(image.astype(np.float64)), np.zeros(image.shape)  # |activations| and their error bound
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            w, b = (np.abs(np.asarray(v, np.float64)) for v in layer.weights)
            n = w.shape[0] * w.shape[1] * w.shape[2]
            conv = lambda t, w=w, s=layer.strides: tf.nn.conv2d(t, w, s, "VALID").numpy()  # noqa: E731
            x, e = conv(x) + b, conv(e) + gamma(n + 1, u) * (conv(x + e) + b)
        else:
            size, stride = layer.pool_size, layer.strides
            pool = lambda t, k=size, s=stride: tf.nn.max_pool2d(tf.constant(t), k, s, "VALID").numpy()  # noqa: E731
            x, e = pool(x), pool(e)
    return e


def test_convolutional_pass_equals_running_each_window():
    """Output cell (i, j) on the 16x16 image is the classifier applied to the 14x14 crop at (2i, 2j).

    Checked in float64, where the worst-case rounding bound is tight (~1e-9 here); in float32 the same
    bound, 2²⁹ times larger, would allow as much as the outputs themselves."""
    import keras

    keras.utils.set_random_seed(0)
    model = _course_model()
    assert model.compute_output_shape((1, 16, 16, 3)) == (1, 2, 2, 4)
    exact = float64_twin(_course_model, model)
    image = np.random.default_rng(0).normal(size=(1, 16, 16, 3))
    whole = np.asarray(exact(image))  # (1, 2, 2, 4)
    whole_bound = _rounding_error_bound(exact, image, U64)
    for i in range(2):
        for j in range(2):
            crop = image[:, 2 * i : 2 * i + 14, 2 * j : 2 * j + 14]
            window = np.asarray(exact(crop))  # (1, 1, 1, 4)
            bound = whole_bound[0, i, j] + _rounding_error_bound(exact, crop, U64)[0, 0, 0]
            assert_within(window[0, 0, 0], whole[0, i, j], bound)


@pytest.mark.parametrize("n", [13, 0, 14.5, True])
def test_bad_image_size(n):
    with pytest.raises(ParameterError, match="image size must be a whole number ≥ 14"):
        sliding_window_cost(n)
