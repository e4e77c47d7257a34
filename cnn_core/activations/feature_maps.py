"""What a trained CNN computes: feature maps, the patches that excite a unit most, Grad-CAM, layer-1 filters.

A unit of layer l, channel c, position (i, j) is ReLU(w_c · x_patch + b_c) over the input patch its
receptive field covers; "what does it detect" is answered by the image patches where it fires most
(Zeiler & Fergus 2014, the course's "nine patches"), cut at its receptive field. Grad-CAM (Selvaraju et
al., ICCV 2017) weighs each channel k of a layer by the mean gradient of the class score y^c over the map,
α_k = (1/Z) Σ_ij ∂y^c / ∂A^k_ij, and keeps the positive part of L = ReLU(Σ_k α_k A^k).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.receptive_field import LayerRF
from cnn_core.errors import ParameterError

if TYPE_CHECKING:
    import keras

#: Side (pixels) at which a Grad-CAM overlay is shown: twice the 224x224 input of the ImageNet networks.
GRADCAM_SIDE = 448


def feature_model(model: keras.Model, layer_names: list[str] | tuple[str, ...]) -> keras.Model:
    """The model from ``model``'s input to ``{name: that layer's output}`` for each of ``layer_names``."""
    import keras

    known = [layer.name for layer in model.layers]
    missing = [name for name in layer_names if name not in known]
    if missing or not layer_names:
        raise ParameterError(
            f"layer_names must be layers of {model.name}, got {missing or list(layer_names)}; "
            f"valid: {', '.join(known[1:])}"
        )
    return keras.Model(model.inputs[0], {name: model.get_layer(name).output for name in layer_names})


def map_layers(model: keras.Model) -> list[str]:
    """Names of the layers whose output is a feature map (N, h, w, C) with h, w > 1, in depth order."""
    return [
        layer.name
        for layer in model.layers[1:]
        if len(layer.output.shape) == 4 and layer.output.shape[1] != 1
    ]


def normalise_maps(maps: np.ndarray, shared: bool) -> np.ndarray:
    """Scale feature maps (h, w, C) to [0, 1]: by their common min/max (``shared``) or each by its own.

    >>> normalise_maps(np.array([[[0.0, 1.0], [2.0, 3.0]]]), shared=True)[0, :, 1]
    array([0.33333333, 1.        ])
    """
    axes = None if shared else (0, 1)
    low, high = maps.min(axis=axes, keepdims=True), maps.max(axis=axes, keepdims=True)
    return (maps - low) / np.where(high > low, high - low, 1.0)


def tile_maps(maps: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """Lay out maps (h, w, C) row-major on a grid with ``columns`` columns, NaN in the gaps.

    Channel c sits at rows ``r·(h + gap) .. + h`` and columns ``q·(w + gap) .. + w`` with
    ``(r, q) = divmod(c, columns)``; ``grid_unit`` inverts this.

    >>> tile_maps(np.ones((2, 2, 3)), columns=2).shape
    (5, 5)
    """
    h, w, channels = maps.shape
    rows = -(-channels // columns)
    grid = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan)
    for c in range(channels):
        r, q = divmod(c, columns)
        grid[r * (h + gap) : r * (h + gap) + h, q * (w + gap) : q * (w + gap) + w] = maps[:, :, c]
    return grid


def grid_unit(y: int, x: int, map_shape: tuple[int, int, int], columns: int, gap: int = 1) -> tuple | None:
    """The unit ``(channel, row, col)`` under grid pixel (y, x) of ``tile_maps``, or None in a gap.

    >>> grid_unit(0, 4, (2, 2, 3), columns=2), grid_unit(3, 4, (2, 2, 3), columns=2)
    ((1, 0, 1), None)
    """
    h, w, channels = map_shape
    (r, row), (q, col) = divmod(int(y), h + gap), divmod(int(x), w + gap)
    channel = r * columns + q
    if row >= h or col >= w or q >= columns or not 0 <= channel < channels or min(y, x) < 0:
        return None
    return channel, row, col


def cut_patch(image: np.ndarray, window: tuple[int, int, int, int], fill: int = 0) -> np.ndarray:
    """The pixels of ``window`` = (top, left, bottom, right) inclusive of an (H, W, 3) image; the parts of
    the window outside the image are ``fill``, so every patch of one layer has the same r x r size.

    >>> cut_patch(np.full((4, 4, 3), 9, np.uint8), (-1, 2, 1, 5))[:, :, 0]
    array([[0, 0, 0, 0],
           [9, 9, 0, 0],
           [9, 9, 0, 0]], dtype=uint8)
    """
    top, left, bottom, right = window
    height, width = image.shape[:2]
    patch = np.full((bottom - top + 1, right - left + 1, *image.shape[2:]), fill, dtype=image.dtype)
    y0, x0, y1, x1 = max(top, 0), max(left, 0), min(bottom, height - 1), min(right, width - 1)
    if y0 <= y1 and x0 <= x1:
        patch[y0 - top : y1 - top + 1, x0 - left : x1 - left + 1] = image[y0 : y1 + 1, x0 : x1 + 1]
    return patch


@dataclass(frozen=True)
class Patch:
    """One of the top activations of a channel: image index, unit position, its value, and the patch."""

    image: int
    row: int
    col: int
    activation: float
    pixels: np.ndarray


def top_patches(
    channel_maps: np.ndarray, images: np.ndarray, rf: LayerRF, k: int = 9, min_separation: int | None = None
) -> list[Patch]:
    """The ``k`` strongest units of one channel across a set of images, each cut at its receptive field.

    ``channel_maps`` (N, h, w) is the channel's activation on ``images`` (N, H, W, 3), the images the
    network saw; the part of a window beyond its image is grey. Units of one image closer than
    ``min_separation`` grid steps (default: half the field, r / 2j) to a stronger pick are skipped, so the
    patches show different places.
    """
    if channel_maps.ndim != 3 or channel_maps.shape[0] != images.shape[0]:
        raise ParameterError(
            f"channel_maps must be (N, h, w) for {images.shape[0]} images, got {channel_maps.shape}"
        )
    if k < 1:
        raise ParameterError(f"k must be ≥ 1, got {k}")
    separation = min_separation if min_separation is not None else max(1, -(-rf.rows.r // (2 * rf.rows.j)))
    picks: list[Patch] = []
    for flat in np.argsort(-channel_maps, axis=None, kind="stable"):
        n, row, col = np.unravel_index(flat, channel_maps.shape)
        if any(p.image == n and max(abs(p.row - row), abs(p.col - col)) < separation for p in picks):
            continue
        pixels = cut_patch(images[n], rf.window(int(row), int(col)), fill=128)
        picks.append(Patch(int(n), int(row), int(col), float(channel_maps[n, row, col]), pixels))
        if len(picks) == k:
            break
    return picks


def class_score_model(model: keras.Model, layer_name: str) -> tuple[keras.Model, keras.layers.Dense]:
    """Input → (feature map of ``layer_name``, input of the last Dense layer); the class scores are that
    Dense layer's pre-activation z = x·W + b (the logits, before any softmax)."""
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if not dense:
        raise ParameterError(f"{model.name} has no Dense layer to take class scores from")
    return keras.Model(model.inputs[0], [model.get_layer(layer_name).output, dense[-1].input]), dense[-1]


def grad_cam(model: keras.Model, image: np.ndarray, layer_name: str, class_index: int) -> np.ndarray:
    """Grad-CAM map (h, w) ≥ 0 of ``layer_name`` for class ``class_index`` on one model input ``image``
    (H, W, C) (already preprocessed for ``model``): ReLU(Σ_k α_k A^k), α_k the mean of ∂y^c/∂A^k."""
    import tensorflow as tf

    probe, dense = class_score_model(model, layer_name)
    if not 0 <= class_index < dense.units:
        raise ParameterError(f"class_index must be in 0..{dense.units - 1}, got {class_index}")
    with tf.GradientTape() as tape:
        maps, features = probe(image[None], training=False)  # (1, h, w, K), (1, F)
        tape.watch(maps)
        score = (tf.matmul(features, dense.kernel) + dense.bias)[0, class_index]
    alpha = tf.reduce_mean(tape.gradient(score, maps)[0], axis=(0, 1))  # (K,)
    return np.maximum(np.einsum("hwk,k->hw", maps[0].numpy(), alpha.numpy()), 0.0)


def heat_overlay(image: np.ndarray, heat: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    """Blend a heat map (h, w) onto an (H, W, 3) uint8 image: heat scaled to [0, 1] by its maximum,
    resized bilinearly, coloured blue → green → red ("jet": channel c = clip(1.5 − |4h − k_c|, 0, 1),
    k = 3, 2, 1 for R, G, B) and mixed in with weight ``alpha``.

    >>> heat_overlay(np.zeros((2, 2, 3), np.uint8), np.array([[0.0, 1.0]]), alpha=1.0)[0, :, :]
    array([[  0,   0, 127],
           [127,   0,   0]], dtype=uint8)
    """
    from PIL import Image

    scaled = heat / heat.max() if heat.max() > 0 else np.zeros_like(heat)
    size = (image.shape[1], image.shape[0])
    resized = Image.fromarray(scaled.astype(np.float32)).resize(size, Image.Resampling.BILINEAR)
    full = np.asarray(resized)[..., None]  # (H, W, 1)
    colour = np.clip(1.5 - np.abs(4 * full - np.array([3.0, 2.0, 1.0])), 0, 1) * 255  # (H, W, 3)
    return np.clip(image * (1 - alpha) + colour * alpha, 0, 255).astype(np.uint8)


def first_layer_filters(model: keras.Model) -> np.ndarray:
    """The first convolution's kernels as images (N, k, k, C) uint8, one per filter, each scaled
    symmetrically about 0 so that grey 128 is zero weight: 128 + 127·w / max|w|."""
    import keras

    conv = next((layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)), None)
    if conv is None:
        raise ParameterError(f"{model.name} has no Conv2D layer")
    kernel = np.moveaxis(np.asarray(conv.kernel), -1, 0)  # (N, k, k, C)
    scale = np.abs(kernel).max(axis=(1, 2, 3), keepdims=True)
    return np.round(128 + 127 * kernel / np.where(scale > 0, scale, 1)).astype(np.uint8)
