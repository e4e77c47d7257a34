"""Gram matrices and the course's costs against hand-computed cases and slow loop versions."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from cnn_core.style.gram import gram_matrix, mean_gram, softmax_smoothing
from cnn_core.style.losses import content_cost, layer_style_cost, style_cost, total_variation


def _gram_loops(a: np.ndarray) -> np.ndarray:
    """G[k, k'] = Σ_i Σ_j a[i, j, k] a[i, j, k'] for one image (H, W, C), written as the course does."""
    h, w, c = a.shape
    g = np.zeros((c, c))
    for k in range(c):
        for k2 in range(c):
            g[k, k2] = sum(a[i, j, k] * a[i, j, k2] for i in range(h) for j in range(w))
    return g


def test_gram_by_hand():
    # 2x1 positions, 3 channels: F = [[1, 0, 2], [3, 1, 0]] → FᵀF
    a = np.array([[[[1.0, 0.0, 2.0]], [[3.0, 1.0, 0.0]]]], np.float32)
    expected = [[10, 3, 2], [3, 1, 0], [2, 0, 4]]
    np.testing.assert_allclose(gram_matrix(a).numpy()[0], expected)
    np.testing.assert_allclose(mean_gram(a).numpy()[0], np.array(expected) / 2)


def test_gram_matches_loops_and_is_symmetric(rng):
    a = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    g = gram_matrix(a).numpy()
    for n in range(2):
        np.testing.assert_allclose(g[n], _gram_loops(a[n]), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(g[n], g[n].T, rtol=1e-6)


def test_content_cost_course_formula(rng):
    a_c, a_g = rng.normal(size=(2, 1, 3, 4, 5))
    expected = np.sum((a_c - a_g) ** 2) / (4 * 3 * 4 * 5)
    assert content_cost(a_c.astype(np.float32), a_g.astype(np.float32)).numpy() == pytest.approx(
        expected, rel=1e-5
    )
    assert content_cost(a_c.astype(np.float32), a_c.astype(np.float32)).numpy() == 0.0


def test_layer_style_cost_is_the_course_formula_at_equal_sizes(rng):
    a_s, a_g = rng.normal(size=(2, 3, 4, 5))
    n_h, n_w, n_c = a_s.shape
    expected = np.sum((_gram_loops(a_s) - _gram_loops(a_g)) ** 2) / (2 * n_h * n_w * n_c) ** 2
    got = layer_style_cost(a_s[None].astype(np.float32), a_g[None].astype(np.float32)).numpy()
    assert got == pytest.approx(expected, rel=1e-4)


def test_style_cost_is_blind_to_position_but_not_to_channel_correlations(rng):
    a = rng.normal(size=(1, 4, 4, 3)).astype(np.float32)
    shuffled = a.reshape(1, 16, 3)[:, rng.permutation(16)].reshape(1, 4, 4, 3)  # same activations, moved
    assert layer_style_cost(a, shuffled).numpy() == pytest.approx(0.0, abs=1e-7)
    assert layer_style_cost(a, a[..., ::-1]).numpy() > 1e-3  # channels swapped: different correlations


def test_style_cost_weights_layers_by_lambda(rng):
    feats_s = {name: rng.normal(size=(1, 3, 3, 2)).astype(np.float32) for name in ("a", "b")}
    feats_g = {name: rng.normal(size=(1, 3, 3, 2)).astype(np.float32) for name in ("a", "b")}
    grams = {name: mean_gram(value) for name, value in feats_s.items()}
    per_layer = {name: layer_style_cost(feats_s[name], feats_g[name]).numpy() for name in feats_s}
    got = style_cost(grams, feats_g, {"a": 0.25, "b": 2.0}).numpy()
    assert got == pytest.approx(0.25 * per_layer["a"] + 2.0 * per_layer["b"], rel=1e-5)


def test_style_cost_compares_images_of_different_sizes_by_per_position_grams():
    tile = np.array([[[[1.0, 0.5]], [[0.0, 2.0]]]], np.float32)  # (1, 2, 1, 2)
    big = np.tile(tile, (1, 3, 4, 1))  # the same texture over 12x more positions
    assert layer_style_cost(tile, big).numpy() == pytest.approx(0.0, abs=1e-7)


def test_total_variation_matches_tensorflow(rng):
    images = rng.random((2, 5, 7, 3)).astype(np.float32)
    reference = tf.reduce_sum(tf.image.total_variation(tf.constant(images))).numpy() / images.size
    assert total_variation(images).numpy() == pytest.approx(reference, rel=1e-5)
    assert total_variation(np.ones((1, 4, 4, 3), np.float32)).numpy() == 0.0


def test_softmax_smoothing_by_hand():
    a = np.log(np.array([[[[1.0, 3.0]]]], np.float32))  # exp → 1, 3; softmax → 1/4, 3/4; × M = 2
    np.testing.assert_allclose(softmax_smoothing(a).numpy(), [[[[0.5, 1.5]]]], rtol=1e-6)
    np.testing.assert_allclose(softmax_smoothing(2 * a, temperature=2.0).numpy(), [[[[0.5, 1.5]]]], rtol=1e-6)
