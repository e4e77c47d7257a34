"""PCA colour augmentation (Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep CNNs", 2012).

Treat every pixel as a point x = (R, G, B) / 255. The 3x3 covariance of those points over an image (or
a whole data set), Σ = (1/n) Σ (x − μ)(x − μ)ᵀ, has eigenvalues λ₁ ≥ λ₂ ≥ λ₃ and unit eigenvectors
p₁, p₂, p₃: the directions in which the colours of the photo vary most. One augmentation draws
αᵢ ~ N(0, σ) (σ = 0.1 in the paper) once per image and adds the same colour to every pixel:

    x' = x + [p₁ p₂ p₃] [α₁λ₁, α₂λ₂, α₃λ₃]ᵀ

so a photo that varies mostly along an orange-blue axis is shifted mostly along that axis: the shift
follows the photo's own colours instead of a fixed R, G, B jitter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.errors import ParameterError
from cnn_core.images import check_rgb

#: the paper's standard deviation of the α's
PCA_SIGMA = 0.1


@dataclass(frozen=True)
class ColourPCA:
    """The colour statistics of RGB pixels in [0, 1]: ``mean`` (3,), ``eigenvalues`` (3,) descending,
    ``eigenvectors`` (3, 3) with eigenvector i in column i."""

    mean: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray


def colour_pca(images: np.ndarray) -> ColourPCA:
    """Eigen-decomposition of the RGB covariance of every pixel of ``images`` (H, W, 3) or (N, H, W, 3)
    uint8 (the population covariance, 1/n). Each eigenvector's sign is fixed so its largest entry is > 0.

    >>> grey_ramp = np.repeat(np.arange(0, 256, 5, dtype=np.uint8)[None, :, None], 3, axis=2)
    >>> pca = colour_pca(grey_ramp)
    >>> np.round(pca.eigenvectors[:, 0], 4).tolist(), bool(pca.eigenvalues[1] < 1e-12)
    ([0.5774, 0.5774, 0.5774], True)
    """
    images = np.asarray(images)
    if images.ndim == 3:
        check_rgb(images)
    elif images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
        raise ParameterError(f"images must be (N, H, W, 3) uint8, got shape {images.shape} {images.dtype}")
    pixels = images.reshape(-1, 3).astype(np.float64) / 255.0  # (n, 3)
    mean = pixels.mean(axis=0)
    centred = pixels - mean
    covariance = centred.T @ centred / len(pixels)  # (3, 3)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)  # ascending
    eigenvalues, eigenvectors = eigenvalues[::-1].clip(min=0.0), eigenvectors[:, ::-1]
    signs = np.sign(eigenvectors[np.abs(eigenvectors).argmax(axis=0), np.arange(3)])
    return ColourPCA(mean, eigenvalues, eigenvectors * signs)


def pca_shift(pca: ColourPCA, alphas: np.ndarray) -> np.ndarray:
    """The colour added to every pixel: [p₁ p₂ p₃] (α ⊙ λ), (3,) in [0, 1] units, for α (3,).

    >>> pca = ColourPCA(np.zeros(3), np.array([0.04, 0.01, 0.0]), np.eye(3))
    >>> pca_shift(pca, np.array([1.0, -2.0, 5.0])).tolist()
    [0.04, -0.02, 0.0]
    """
    return pca.eigenvectors @ (np.asarray(alphas, np.float64) * pca.eigenvalues)


def pca_colour_augment(
    image: np.ndarray, rng: np.random.Generator, sigma: float = PCA_SIGMA, pca: ColourPCA | None = None
) -> np.ndarray:
    """One PCA colour augmentation of an (H, W, 3) uint8 image: α ~ N(0, σ) (3,), x' = x + P(α ⊙ λ),
    back to uint8 by rounding and clipping to 0..255. ``pca`` defaults to the image's own statistics
    (pass a data set's ``colour_pca`` to use AlexNet's data-set-wide version).
    """
    check_rgb(image)
    if not (sigma >= 0 and np.isfinite(sigma)):
        raise ParameterError(f"PCA colour σ must be a finite number ≥ 0, got {sigma}")
    pca = pca if pca is not None else colour_pca(image)
    shift = pca_shift(pca, rng.normal(0.0, sigma, size=3)) * 255.0  # (3,) in pixel units
    return np.clip(np.rint(image.astype(np.float64) + shift), 0, 255).astype(np.uint8)
