"""Sliding windows on a photo: window positions against hand counts, the dense layer as a 1x1 convolution
against a float64 matmul, and the convolutional class map against the classifier itself."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.conv_windows import conv_class_map, dense_as_conv, map_input_size
from cnn_core.detection.sliding_windows import window_boxes, window_grid
from cnn_core.errors import ParameterError, ShapeError
from cnn_core.images import sample_image
from tests.numerics import assert_within, gamma


@pytest.mark.parametrize(
    ("size", "window", "stride", "grid"),
    [
        ((16, 16), 14, 2, (2, 2)),  # the course's 16x16 image: 4 windows
        ((28, 28), 14, 2, (8, 8)),  # the course's 28x28 image: 64 windows
        ((512, 512), 160, 80, (5, 5)),  # 352 / 80 = 4.4 → 4 steps + the first window
        ((500, 741), 160, 80, (5, 8)),
        ((300, 451), 300, 1, (1, 152)),
        ((224, 224), 224, 32, (1, 1)),
    ],
)
def test_window_counts_by_hand(size, window, stride, grid):
    assert window_grid(*size, window, stride) == grid
    assert len(window_boxes(*size, window, stride)) == grid[0] * grid[1]


def test_window_boxes_by_hand():
    assert window_boxes(6, 7, 4, 3).tolist() == [[0, 0, 4, 4], [3, 0, 7, 4]]
    assert window_boxes(7, 4, 4, 3).tolist() == [[0, 0, 4, 4], [0, 3, 4, 7]]


def test_window_arguments_are_checked():
    with pytest.raises(ParameterError, match="window must fit the 40x30 image, got 31 pixels"):
        window_grid(30, 40, 31, 2)
    with pytest.raises(ParameterError, match="stride must be ≥ 1, got 0"):
        window_grid(30, 40, 10, 0)
    with pytest.raises(ParameterError, match="use a window of at least"):
        map_input_size(1000, 1000, 64)


def test_dense_as_1x1_conv_equals_the_matmul():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(5, 6, 1280)).astype(np.float32)
    kernel = rng.normal(scale=0.05, size=(1280, 1000)).astype(np.float32)
    bias = rng.normal(size=1000).astype(np.float32)
    ours = dense_as_conv(features, kernel, bias)
    f64, k64 = features.astype(np.float64), kernel.astype(np.float64)
    exact = f64 @ k64 + bias  # (5, 6, 1000), float64
    bound = gamma(1281) * (np.abs(f64) @ np.abs(k64) + np.abs(bias))  # a 1280-term dot product + the bias
    assert ours.shape == (5, 6, 1000)
    assert_within(ours, exact, bound)
    with pytest.raises(ShapeError, match="must agree"):
        dense_as_conv(features, kernel[:10], bias)


@pytest.fixture(scope="module")
def lite0():
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0()


@pytest.fixture(scope="module")
def trunk(lite0):
    from cnn_core.detection.conv_windows import any_size_trunk

    kernel, bias = lite0.get_layer("logits").get_weights()
    return any_size_trunk(lite0), kernel, bias


def test_one_window_map_is_the_classifier(lite0, trunk):
    """A 224x224 photo with a 224-pixel window: one window, and its scores are the classifier's own
    (GAP + dense there, 7x7 average pool + 1x1 convolution here: the same sums in another order)."""
    from cnn_core.activations.feature_maps import feature_model

    image = sample_image("chelsea")[38:262, 100:324].copy()
    result = conv_class_map(*trunk, image, 224)
    assert result.probabilities.shape == (1, 1, 1000)
    assert result.feature_size == (7, 7)
    assert result.boxes.tolist() == [[0, 0, 224, 224]]
    outputs = feature_model(lite0, ["avg_pool", "logits"])(image[None].astype(np.float32), training=False)
    pooled = np.asarray(outputs["avg_pool"], np.float64)[0]  # (1280,)
    logits = np.asarray(outputs["logits"])[0]
    kernel = trunk[1].astype(np.float64)
    # each path's logit is within γ_1330·Σ|w·f| of the exact sum (49 averaged + 1280 products + bias)
    bound = 2 * gamma(1330) * (np.abs(pooled) @ np.abs(kernel) + np.abs(trunk[2]))
    ours = np.log(result.probabilities[0, 0].astype(np.float64))
    reference = logits - np.log(np.exp(logits.astype(np.float64)).sum())
    # log-softmax moves each entry by its own logit's error plus at most the largest error
    assert_within(ours, reference, bound + bound.max() + 1e-5)


def test_window_positions_follow_the_trunk_stride(trunk):
    """A 448x448 photo, 224-pixel windows: a 14x14 trunk map → 8x8 windows, 32 pixels apart."""
    image = np.tile(sample_image("coffee")[:224, :224], (2, 2, 1))
    result = conv_class_map(*trunk, image, 224)
    assert result.probabilities.shape[:2] == (8, 8)
    assert result.feature_size == (14, 14)
    assert result.stride == 32
    assert result.boxes[:2].tolist() == [[0, 0, 224, 224], [32, 0, 256, 224]]
    assert result.boxes[8].tolist() == [0, 32, 224, 256]  # second row
    assert result.boxes[-1].tolist() == [224, 224, 448, 448]
    # photo pixels: a 112-pixel window halves everything (the photo is scaled by 224/112 = 2)
    small = conv_class_map(*trunk, image[::2, ::2].copy(), 112)
    assert small.stride == 16 and small.boxes[1].tolist() == [16, 0, 128, 112]
