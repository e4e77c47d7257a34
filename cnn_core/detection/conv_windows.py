"""Sliding windows over a real photo, done convolutionally with EfficientNet-Lite0 (OverFeat's idea,
Sermanet et al. 2014, on the course's "Convolutional Implementation of Sliding Windows").

The classifier sees a 224x224 window: its convolutional trunk (stride 32) gives a 7x7x1280 map, global
average pooling gives 1280 numbers, and the dense layer gives 1000 logits, logits = W·f + b. To slide a
``window``-pixel window over the photo, scale the photo by 224 / window (so a window becomes 224x224) and
run the trunk once over all of it: an h x w x 1280 map with h = ⌈H'/32⌉. A 7x7 average pool with stride
1 over that map gives the pooled features of every 224-pixel window at stride 32, and the dense layer,
written as a 1x1 convolution (kernel W as 1x1x1280x1000), turns each position into its 1000 logits:
(h − 6) x (w − 6) windows at once, each moved 32 network pixels = 32·window/224 photo pixels from the
last. (Inside the whole image, a window's border units also see their neighbours' pixels, where the
cropped window would see zero padding, so the two agree closely rather than exactly.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.images import check_rgb

if TYPE_CHECKING:
    import keras

#: the classifier's input, its trunk's stride and the trunk's output size at 224x224
INPUT = 224
TRUNK_STRIDE = 32
POOL = INPUT // TRUNK_STRIDE
FEATURE_LAYER = "top_activation"
#: the photo, scaled so that a window becomes 224 pixels, may have at most this longer side
MAX_MAP_SIDE = 2048


def any_size_trunk(model: keras.Model) -> keras.Model:
    """EfficientNet-Lite0's trunk with ``model``'s weights, taking RGB 0..255 of any size (N, H, W, 3) →
    the ``top_activation`` map (N, ⌈H/32⌉, ⌈W/32⌉, 1280); ``model`` is left unchanged."""
    import keras

    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    twin = build_efficientnet_lite0((None, None, 3), weights=False)
    twin.set_weights(model.get_weights())
    return keras.Model(twin.inputs[0], twin.get_layer(FEATURE_LAYER).output)


def dense_as_conv(features: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A dense layer (kernel (C, K), bias (K,)) applied as a 1x1 convolution to ``features`` (h, w, C)
    → (h, w, K): every position's C numbers go through the same y = f·W + b.

    >>> f = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    >>> dense_as_conv(f, np.array([[1, 0], [1, 1]], np.float32), np.array([0, 10], np.float32))[1, 1]
    array([13., 17.], dtype=float32)
    """
    import tensorflow as tf

    if features.ndim != 3 or kernel.shape != (features.shape[-1], bias.shape[0]):
        raise ShapeError(
            f"features (h, w, C), kernel (C, K) and bias (K,) must agree, got {features.shape}, "
            f"{kernel.shape}, {bias.shape}"
        )
    as_filter = kernel.reshape(1, 1, *kernel.shape)  # (1, 1, C, K)
    out = tf.nn.conv2d(features[None].astype(np.float32), as_filter.astype(np.float32), 1, "VALID")
    return out.numpy()[0] + bias.astype(np.float32)


@dataclass(frozen=True)
class ConvMap:
    """The class map of one photo: ``probabilities`` (rows, cols, 1000), one per window; ``boxes``
    (rows·cols, 4) the windows in photo pixels, row by row; the network input size and the time."""

    probabilities: np.ndarray
    boxes: np.ndarray
    input_size: tuple[int, int]
    feature_size: tuple[int, int]
    stride: float  # photo pixels between neighbouring windows
    ms: float


def map_input_size(height: int, width: int, window: int) -> tuple[int, int]:
    """The photo's size once scaled by 224 / ``window`` (each side rounded, at least 224).

    >>> map_input_size(512, 741, 160)  # 512·1.4 = 716.8, 741·1.4 = 1037.4
    (717, 1037)
    """
    if not 1 <= window <= min(height, width):
        raise ParameterError(f"window must be 1..{min(height, width)} pixels for this photo, got {window}")
    scale = INPUT / window
    size = (max(INPUT, round(height * scale)), max(INPUT, round(width * scale)))
    if max(size) > MAX_MAP_SIDE:
        smallest = int(np.ceil(max(height, width) * INPUT / MAX_MAP_SIDE))
        raise ParameterError(
            f"a {window}-pixel window scales this photo to {size[1]}x{size[0]}, above {MAX_MAP_SIDE} "
            f"pixels; use a window of at least {smallest} pixels"
        )
    return size


def conv_class_map(
    trunk: keras.Model, kernel: np.ndarray, bias: np.ndarray, image: np.ndarray, window: int
) -> ConvMap:
    """Classify every ``window``-pixel window of ``image`` (H, W, 3) uint8 in one trunk pass (module
    docstring); ``kernel`` (1280, 1000) and ``bias`` (1000,) are the classifier's dense layer."""
    import tensorflow as tf

    image = check_rgb(image, min_side=16, purpose="the convolutional sliding windows")
    height, width = image.shape[:2]
    size = map_input_size(height, width, window)
    start = time.perf_counter()
    x = tf.image.resize(image.astype(np.float32), size)  # (H', W', 3) bilinear, as the classifier's input
    features = trunk(x[None], training=False)  # (1, h, w, 1280)
    pooled = tf.nn.avg_pool2d(features, POOL, 1, "VALID").numpy()[0]  # (h − 6, w − 6, 1280)
    logits = dense_as_conv(pooled, kernel, bias)  # (rows, cols, 1000)
    probabilities = tf.nn.softmax(logits).numpy()
    ms = (time.perf_counter() - start) * 1000
    rows, cols = probabilities.shape[:2]
    scale = np.array([width / size[1], height / size[0]] * 2)
    y, x0 = np.mgrid[0:rows, 0:cols] * TRUNK_STRIDE  # (rows, cols) network pixels
    corners = np.stack([x0.ravel(), y.ravel()], axis=1)
    boxes = np.clip(np.concatenate([corners, corners + INPUT], axis=1) * scale, 0, [width, height] * 2)
    return ConvMap(
        probabilities,
        boxes,
        size,
        (int(features.shape[1]), int(features.shape[2])),
        TRUNK_STRIDE * width / size[1],
        ms,
    )
