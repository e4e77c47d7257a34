"""Feature maps, top patches, Grad-CAM, first-layer filters and the trained LeNet-5, each against an
independent reference (the definition of a unit, CAM for a GAP → Dense head, brute-force sorting)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnn_core.activations.classify import classifier_input
from cnn_core.activations.digits import digit_field, lenet_input
from cnn_core.activations.feature_maps import (
    cut_patch,
    feature_model,
    first_layer_filters,
    grad_cam,
    grid_unit,
    map_layers,
    normalise_maps,
    tile_maps,
    top_patches,
)
from cnn_core.activations.receptive_field import receptive_fields
from cnn_core.errors import ImageError, ParameterError
from cnn_core.images import sample_image
from cnn_core.zoo.lenet5_mnist import mnist_split
from tests.numerics import assert_within, gamma


@pytest.fixture(scope="module")
def digits():
    _, x_test, _, y_test = mnist_split()
    return x_test, y_test


def test_grad_cam_equals_cam_for_a_global_average_pooling_head(lite0):
    """With A → GAP → Dense, ∂y^c/∂A^k_ij = w_kc / Z, so Grad-CAM = ReLU(Σ_k w_kc A^k) / Z: CAM
    (Zhou et al. 2016)."""
    x = classifier_input(sample_image("chelsea"))
    maps = np.asarray(feature_model(lite0, ["top_activation"])(x[None])["top_activation"][0])  # (7, 7, 1280)
    w = np.asarray(lite0.get_layer("logits").kernel)[:, 285]
    cam = np.maximum(maps.astype(np.float64) @ w, 0) / 49
    # float32 Grad-CAM: α_k = mean of 49 gradients w_k / 49 (≤ 50 roundings), then Σ_k α_k A^k over
    # 1280 channels: within γ_1330 · Σ_k |w_k A^k| / 49 of CAM (Higham eq. 3.5); ReLU adds nothing
    bound = gamma(1330) * (np.abs(maps).astype(np.float64) @ np.abs(w)) / 49
    assert_within(grad_cam(lite0, x, "top_activation", 285), cam, bound)
    with pytest.raises(ParameterError, match=r"class_index must be in 0\.\.999, got 1000"):
        grad_cam(lite0, x, "top_activation", 1000)


def test_top_patches_are_units_by_definition_and_the_strongest(lenet_mnist, digits):
    """A conv1 unit is ReLU(Σ w·patch + b) over its 5x5 field: recompute each of the nine from its patch."""
    x_test, _ = digits
    images = x_test[:200]
    maps = np.asarray(feature_model(lenet_mnist, ["conv1"])(images)["conv1"])[..., 4]  # (200, 28, 28)
    rf = {t.name: t for t in receptive_fields(lenet_mnist)}["conv1"]
    pictures = np.round(images * 255).astype(np.uint8)
    patches = top_patches(maps, np.repeat(pictures, 3, axis=-1), rf, k=9, min_separation=1)
    kernel, bias = (np.asarray(w) for w in lenet_mnist.get_layer("conv1").weights)
    for patch in patches:
        region = images[patch.image, patch.row : patch.row + 5, patch.col : patch.col + 5, 0]
        assert np.array_equal(patch.pixels[..., 0], pictures[patch.image, patch.row : patch.row + 5,
                                                             patch.col : patch.col + 5, 0])  # fmt: skip
        weights = kernel[:, :, 0, 4].astype(np.float64)
        unit = max(float((region * weights).sum() + bias[4]), 0.0)
        # Keras sums the 25 products and the bias in float32: within γ_26 · (Σ|w·x| + |b|)
        bound = gamma(26) * (float(np.abs(region * weights).sum()) + abs(float(bias[4])))
        assert patch.activation == pytest.approx(unit, rel=0, abs=bound)
    assert [p.activation for p in patches] == pytest.approx(np.sort(maps, axis=None)[::-1][:9])


def test_top_patches_spread_out_and_refuse_bad_shapes(lenet_mnist, digits):
    rf = {t.name: t for t in receptive_fields(lenet_mnist)}["pool2"]  # r 16, j 4 → 2 grid steps apart
    maps = np.zeros((2, 5, 5))
    maps[0, 2, 2], maps[0, 2, 3], maps[0, 0, 0], maps[1, 2, 3] = 9, 8, 7, 6
    images = np.zeros((2, 32, 32, 3), np.uint8)
    picks = top_patches(maps, images, rf, k=3)
    assert [(p.image, p.row, p.col) for p in picks] == [(0, 2, 2), (0, 0, 0), (1, 2, 3)]
    assert picks[0].pixels.shape == (16, 16, 3)
    with pytest.raises(ParameterError, match="channel_maps must be"):
        top_patches(maps[0], images, rf)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 9), st.integers(1, 4), st.integers(0, 2))
def test_grid_unit_inverts_tile_maps(h, w, channels, columns, gap):
    maps = np.arange(h * w * channels, dtype=float).reshape(h, w, channels)
    grid = tile_maps(maps, columns, gap)
    for y in range(grid.shape[0]):
        for x in range(grid.shape[1]):
            unit = grid_unit(y, x, maps.shape, columns, gap)
            if unit is None:
                assert np.isnan(grid[y, x])
            else:
                assert grid[y, x] == maps[unit[1], unit[2], unit[0]]


def test_normalise_cut_and_filters(lite0, lenet_mnist):
    maps = np.stack([np.full((2, 2), 3.0), np.array([[1.0, 2.0], [3.0, 5.0]])], axis=-1)
    assert normalise_maps(maps, shared=False)[..., 0].max() == 0.0  # a flat map stays at the bottom
    assert normalise_maps(maps, shared=True)[1, 1, 1] == 1.0
    image = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    assert np.array_equal(cut_patch(image, (1, 1, 2, 3)), image[1:3, 1:4])
    filters = first_layer_filters(lite0)
    kernel = np.moveaxis(np.asarray(lite0.get_layer("stem_conv").kernel), -1, 0)
    assert filters.shape == (32, 3, 3, 3)
    i = int(np.argmax(np.abs(kernel[0])))
    assert filters[0].ravel()[i] in (1, 255)  # the largest |w| of a filter maps to an extreme
    assert first_layer_filters(lenet_mnist).shape == (6, 5, 5, 1)
    assert map_layers(lenet_mnist) == ["conv1", "pool1", "conv2", "pool2"]


def test_lenet5_test_accuracy_is_the_reported_one(lenet_mnist, digits):
    x_test, y_test = digits
    probabilities = lenet_mnist.predict(x_test, verbose=0)
    top_two = np.sort(probabilities, axis=1)[:, -2:]
    # each digit's two best classes differ by more than 0.05 (by 0.09 at least), against float32
    # rounding of ~1e-6: on any CPU the same digits are right, so the count is exact
    assert (top_two[:, 1] - top_two[:, 0]).min() > 0.05
    right = (probabilities.argmax(axis=1) == y_test).sum()
    assert (right, len(y_test)) == (974, 1000)  # assets/README.md: 97.4 % on 1,000 held-out digits


def test_digit_photos_are_prepared_like_mnist(lenet_mnist, digits):
    """A test digit drawn dark on light paper, 6x larger and off-centre, is still recognised."""
    x_test, y_test = digits
    right = 0
    for field, label in zip(x_test[:30, 2:30, 2:30, 0], y_test[:30], strict=True):
        paper = np.full((240, 300), 255, np.uint8)
        paper[30:198, 100:268] = 255 - np.kron(np.round(field * 255), np.ones((6, 6))).astype(np.uint8)
        prepared = lenet_input(digit_field(np.repeat(paper[..., None], 3, axis=-1)))
        right += int(lenet_mnist.predict(prepared[None], verbose=0).argmax() == label)
    assert right >= 28
    with pytest.raises(ImageError, match="no digit found"):
        digit_field(np.full((50, 50, 3), 255, np.uint8))
