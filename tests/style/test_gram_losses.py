"""Gram matrices and the course's costs against hand-computed cases and slow loop versions."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from cnn_core.style.gram import gram_matrix, mean_gram, softmax_smoothing
from cnn_core.style.losses import content_cost, layer_style_cost, style_cost, total_variation
from tests.numerics import U32, assert_within, gamma


def _gram_loops(a: np.ndarray) -> np.ndarray:
    """G[k, k'] = Σ_i Σ_j a[i, j, k] a[i, j, k'] for one image (H, W, C), written as the course does,
    in float64: for float32 inputs exact to 2⁻²⁹ of float32's error bound."""
    a = np.asarray(a, np.float64)
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


def _gram_error_bound(a: np.ndarray) -> np.ndarray:
    """|fl32(G) − G| ≤ γ_n · Σ |a_k a_k'| for each entry, n = H·W products (Higham eq. 3.5); one more
    rounding covers the float64 reference's own error."""
    return gamma(a.shape[0] * a.shape[1] + 1) * _gram_loops(np.abs(a))


def test_gram_matches_loops_and_is_symmetric(rng):
    a = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    g = gram_matrix(a).numpy()
    for n in range(2):
        bound = _gram_error_bound(a[n])
        assert_within(g[n], _gram_loops(a[n]), bound)
        # G[k, k'] and G[k', k] sum the same products, maybe in another order: each within the bound
        assert_within(g[n], g[n].T, 2 * bound)


def test_content_cost_course_formula(rng):
    a_c, a_g = rng.normal(size=(2, 1, 3, 4, 5)).astype(np.float32)
    expected = np.sum((a_c.astype(np.float64) - a_g) ** 2) / (4 * 3 * 4 * 5)
    # 60 terms ≥ 0, each rounded by the difference, the square, ≤ 59 additions and the division
    assert content_cost(a_c, a_g).numpy() == pytest.approx(expected, rel=gamma(62), abs=0)
    assert content_cost(a_c, a_c).numpy() == 0.0


def _mean_gram_and_error(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact mean Gram of activations (H, W, C), and the float32 error bound of mean_gram on them:
    γ_{n+2} · Σ|a_k a_k'| / n, n = H·W (n products and sums, the division, a later subtraction)."""
    n = a.shape[0] * a.shape[1]
    return _gram_loops(a) / n, gamma(n + 2) * _gram_loops(np.abs(a)) / n


def _style_cost_error_bound(a_s: np.ndarray, a_g: np.ndarray) -> float:
    """Float32 error bound of layer_style_cost = Σ D² / (4 C²), D = Ĝ_S − Ĝ_G, on (H, W, C) activations:
    each D is within e = the two mean-Gram errors, so each D² within (2|D| + e)·e, and squaring, the
    C² − 1 additions and the division add γ_{C²+1} (all terms ≥ 0)."""
    (g_s, e_s), (g_g, e_g) = _mean_gram_and_error(a_s), _mean_gram_and_error(a_g)
    d, e = np.abs(g_s - g_g), e_s + e_g
    c = a_s.shape[-1]
    return float(np.sum((2 * d + e) * e) + gamma(c * c + 1) * np.sum((d + e) ** 2)) / (4 * c * c)


def test_layer_style_cost_is_the_course_formula_at_equal_sizes(rng):
    a_s, a_g = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    n_h, n_w, n_c = a_s.shape
    expected = np.sum((_gram_loops(a_s) - _gram_loops(a_g)) ** 2) / (2 * n_h * n_w * n_c) ** 2
    got = layer_style_cost(a_s[None], a_g[None]).numpy()
    assert got == pytest.approx(expected, rel=0, abs=_style_cost_error_bound(a_s, a_g))


def test_style_cost_is_blind_to_position_but_not_to_channel_correlations(rng):
    a = rng.normal(size=(1, 4, 4, 3)).astype(np.float32)
    shuffled = a.reshape(1, 16, 3)[:, rng.permutation(16)].reshape(1, 4, 4, 3)  # same activations, moved
    assert layer_style_cost(a, shuffled).numpy() == pytest.approx(
        0.0, abs=_style_cost_error_bound(a[0], shuffled[0])
    )
    assert layer_style_cost(a, a[..., ::-1]).numpy() > 1e-3  # channels swapped: different correlations


def test_style_cost_weights_layers_by_lambda(rng):
    feats_s = {name: rng.normal(size=(1, 3, 3, 2)).astype(np.float32) for name in ("a", "b")}
    feats_g = {name: rng.normal(size=(1, 3, 3, 2)).astype(np.float32) for name in ("a", "b")}
    grams = {name: mean_gram(value) for name, value in feats_s.items()}
    per_layer = {name: layer_style_cost(feats_s[name], feats_g[name]).numpy() for name in feats_s}
    got = style_cost(grams, feats_g, {"a": 0.25, "b": 2.0}).numpy()
    expected = 0.25 * per_layer["a"] + 2.0 * per_layer["b"]
    # both sides hold each layer's cost to within its bound; the weights are powers of two (exact) and
    # each side rounds its one addition
    bound = {name: _style_cost_error_bound(feats_s[name][0], feats_g[name][0]) for name in feats_s}
    assert got == pytest.approx(expected, rel=2 * U32, abs=2 * (0.25 * bound["a"] + 2.0 * bound["b"]))


def test_style_cost_compares_images_of_different_sizes_by_per_position_grams():
    tile = np.array([[[[1.0, 0.5]], [[0.0, 2.0]]]], np.float32)  # (1, 2, 1, 2)
    big = np.tile(tile, (1, 3, 4, 1))  # the same texture over 12x more positions
    assert layer_style_cost(tile, big).numpy() == pytest.approx(
        0.0, abs=_style_cost_error_bound(tile[0], big[0])
    )


def test_total_variation_matches_tensorflow(rng):
    images = rng.random((2, 5, 7, 3)).astype(np.float32)
    reference = tf.reduce_sum(tf.image.total_variation(tf.constant(images, tf.float64))).numpy() / images.size
    # 348 terms ≥ 0, each rounded by its difference, ≤ 179 additions in its sum, the final + and ÷
    assert total_variation(images).numpy() == pytest.approx(reference, rel=gamma(182), abs=0)
    assert total_variation(np.ones((1, 4, 4, 3), np.float32)).numpy() == 0.0


def test_softmax_smoothing_by_hand():
    a = np.log(np.array([[[[1.0, 3.0]]]], np.float32))  # exp → 1, 3; softmax → 1/4, 3/4; × M = 2
    # rounding log 3, x − max, exp (≤ 2 ulp = 4u), the sum and the division: ≤ 8u, doubled for margin
    np.testing.assert_allclose(softmax_smoothing(a).numpy(), [[[[0.5, 1.5]]]], rtol=16 * U32)
    np.testing.assert_allclose(
        softmax_smoothing(2 * a, temperature=2.0).numpy(), [[[[0.5, 1.5]]]], rtol=16 * U32
    )
