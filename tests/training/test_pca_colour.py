"""PCA colour augmentation against a hand computation in plain numpy loops (float64)."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ParameterError
from cnn_core.images import sample_image
from cnn_core.training.pca_colour import colour_pca, pca_colour_augment, pca_shift


def _hand_covariance(image: np.ndarray) -> np.ndarray:
    """Σ_jk = (1/n) Σ_pixels (x_j − μ_j)(x_k − μ_k), one pixel at a time, x in [0, 1]."""
    pixels = [tuple(float(v) / 255.0 for v in pixel) for pixel in image.reshape(-1, 3)]
    n = len(pixels)
    mean = [sum(p[c] for p in pixels) / n for c in range(3)]
    return np.array(
        [[sum((p[j] - mean[j]) * (p[k] - mean[k]) for p in pixels) / n for k in range(3)] for j in range(3)]
    )


@pytest.fixture(scope="module")
def photo():
    return sample_image("chelsea")[::6, ::6]  # (50, 76, 3)


def test_eigen_decomposition_matches_the_hand_covariance(photo):
    covariance = _hand_covariance(photo)
    pca = colour_pca(photo)
    # Σ p_i = λ_i p_i for each pair, and the eigenvalues are the hand covariance's, descending
    for i in range(3):
        vector = pca.eigenvectors[:, i]
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(covariance @ vector, pca.eigenvalues[i] * vector, atol=1e-12)
    reference = sorted(np.linalg.eigvals(covariance).real, reverse=True)
    np.testing.assert_allclose(pca.eigenvalues, reference, rtol=1e-9, atol=1e-15)
    assert pca.eigenvalues[0] > pca.eigenvalues[1] > pca.eigenvalues[2] >= 0
    assert np.trace(covariance) == pytest.approx(pca.eigenvalues.sum(), rel=1e-12)


def test_one_augmentation_adds_the_sum_of_alpha_lambda_p_to_every_pixel(photo):
    sigma = 5.0
    pca = colour_pca(photo)
    out = pca_colour_augment(photo, np.random.default_rng(7), sigma)
    alphas = np.random.default_rng(7).normal(0.0, sigma, size=3)  # the same draws
    shift = [sum(alphas[i] * pca.eigenvalues[i] * pca.eigenvectors[c, i] for i in range(3)) for c in range(3)]
    expected = np.clip(np.rint(photo.astype(np.float64) + 255.0 * np.array(shift)), 0, 255)
    np.testing.assert_array_equal(out, expected.astype(np.uint8))
    assert np.abs(np.array(shift) * 255).max() > 1  # the draw moved colours visibly


def test_grey_pictures_shift_only_along_grey():
    ramp = np.repeat(np.linspace(0, 200, 64, dtype=np.uint8)[None, :, None], 3, axis=2)  # (1, 64, 3)
    pca = colour_pca(ramp)
    np.testing.assert_allclose(pca.eigenvectors[:, 0], np.full(3, 3**-0.5), atol=1e-12)
    shift = pca_shift(pca, np.array([1.0, 5.0, -5.0]))
    assert shift[0] == pytest.approx(shift[1], abs=1e-15) == pytest.approx(shift[2], abs=1e-15)


def test_data_set_statistics_and_sigma_zero(photo):
    other = sample_image("coffee")[: photo.shape[0], : photo.shape[1]]
    both = colour_pca(np.stack([photo, other]))
    joined = _hand_covariance(np.concatenate([photo, other]))
    np.testing.assert_allclose(both.eigenvalues, sorted(np.linalg.eigvalsh(joined), reverse=True), atol=1e-14)
    unchanged = pca_colour_augment(photo, np.random.default_rng(0), 0.0, pca=both)
    np.testing.assert_array_equal(unchanged, photo)


def test_bad_arguments_are_named(photo):
    with pytest.raises(ParameterError, match="σ must be a finite number ≥ 0, got -1"):
        pca_colour_augment(photo, np.random.default_rng(0), -1.0)
    with pytest.raises(ParameterError, match="images must be \\(N, H, W, 3\\) uint8"):
        colour_pca(np.zeros((2, 4, 4, 3), np.float32))
