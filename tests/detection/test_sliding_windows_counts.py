"""The course's convolutional sliding windows: counts by hand, and the equivalence checked with Keras."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.sliding_windows import COURSE_NET, network_costs, sliding_window_cost
from cnn_core.errors import ParameterError

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


def test_convolutional_pass_equals_running_each_window():
    """Output cell (i, j) on the 16x16 image is the classifier applied to the 14x14 crop at (2i, 2j)."""
    import keras

    keras.utils.set_random_seed(0)
    layers = [
        keras.layers.Conv2D(layer.filters, layer.f, layer.stride)
        if layer.kind == "conv"
        else keras.layers.MaxPooling2D(layer.f, layer.stride)
        for layer in COURSE_NET
    ]
    model = keras.Sequential([keras.Input((None, None, 3)), *layers])
    image = np.random.default_rng(0).normal(size=(1, 16, 16, 3)).astype(np.float32)
    whole = np.asarray(model(image))  # (1, 2, 2, 4)
    assert whole.shape == (1, 2, 2, 4)
    for i in range(2):
        for j in range(2):
            window = np.asarray(model(image[:, 2 * i : 2 * i + 14, 2 * j : 2 * j + 14]))  # (1, 1, 1, 4)
            np.testing.assert_allclose(whole[0, i, j], window[0, 0, 0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n", [13, 0, 14.5, True])
def test_bad_image_size(n):
    with pytest.raises(ParameterError, match="image size must be a whole number ≥ 14"):
        sliding_window_cost(n)
