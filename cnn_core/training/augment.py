"""The notes' data augmentations, each one Keras 3 preprocessing layer (PCA colour: ours), and a pipeline.

Techniques (notes, "Data Augmentation"): mirroring ``RandomFlip``; random cropping ``RandomCrop`` of
CROP_FRACTION of each side, resized back; rotation ``RandomRotation`` (±ROTATION_TURNS of a turn);
shearing ``RandomShear``; local warping ``RandomElasticTransform``; colour shifting
``RandomColorJitter``, ``RandomHue``, ``RandomBrightness``; PCA colour augmentation (``pca_colour``); and
two published combinations, ``RandAugment`` (Cubuk et al. 2020) and ``AugMix`` (Hendrycks et al. 2020).
``combined`` is this project's training pipeline: mirror, crop, rotation, colour jitter, PCA colour.

Every draw is seeded: ``augment_images(images, name, seed)`` gives the same pictures for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from cnn_core.errors import ParameterError
from cnn_core.training.pca_colour import PCA_SIGMA, pca_colour_augment

CROP_FRACTION = 0.75
ROTATION_TURNS = 0.08  # ±29°
SHEAR = 0.25
#: the most random draws of one technique in a grid
MAX_DRAWS = 64

TECHNIQUES: dict[str, str] = {
    "mirror": "RandomFlip('horizontal')",
    "crop": f"RandomCrop({CROP_FRACTION:.0%} of each side), resized back",
    "rotation": f"RandomRotation(±{ROTATION_TURNS} turn)",
    "shear": f"RandomShear({SHEAR}, {SHEAR})",
    "warp": "RandomElasticTransform(factor 1, scale 1) — local warping",
    "colour": "RandomColorJitter(brightness, contrast, saturation, hue 0.2)",
    "hue": "RandomHue(0.3)",
    "brightness": "RandomBrightness(0.4)",
    "pca": f"PCA colour augmentation (AlexNet), α ~ N(0, {PCA_SIGMA})",
    "randaugment": "RandAugment(2 operations, magnitude 0.5)",
    "augmix": "AugMix(3 chains of depth ≤ 3)",
    "combined": "mirror → crop → rotation → colour jitter → PCA colour",
}


def _layers(name: str, size: tuple[int, int], seed: int) -> list[Callable]:
    """The Keras layers of technique ``name`` for images of ``size`` (H, W), seeded with ``seed``."""
    import keras

    L = keras.layers
    height, width = size
    crop = [
        L.RandomCrop(round(height * CROP_FRACTION), round(width * CROP_FRACTION), seed=seed),
        L.Resizing(height, width),
    ]
    jitter = L.RandomColorJitter(
        (0, 255), brightness_factor=0.2, contrast_factor=0.2, saturation_factor=0.2, hue_factor=0.2, seed=seed
    )
    table: dict[str, Callable[[], list[Callable]]] = {
        "mirror": lambda: [L.RandomFlip("horizontal", seed=seed)],
        "crop": lambda: crop,
        "rotation": lambda: [L.RandomRotation(ROTATION_TURNS, seed=seed)],
        "shear": lambda: [L.RandomShear(SHEAR, SHEAR, seed=seed)],
        "warp": lambda: [L.RandomElasticTransform(factor=1.0, scale=1.0, seed=seed)],
        "colour": lambda: [jitter],
        "hue": lambda: [L.RandomHue(0.3, value_range=(0, 255), seed=seed)],
        "brightness": lambda: [L.RandomBrightness(0.4, value_range=(0, 255), seed=seed)],
        "randaugment": lambda: [L.RandAugment(value_range=(0, 255), num_ops=2, factor=0.5, seed=seed)],
        "augmix": lambda: [L.AugMix(value_range=(0, 255), seed=seed)],
        "combined": lambda: [
            L.RandomFlip("horizontal", seed=seed),
            *crop,
            L.RandomRotation(ROTATION_TURNS, seed=seed + 1),
            jitter,
        ],
        "pca": list,
    }
    return table[name]()


def augment_images(images: np.ndarray, name: str, seed: int, pca_sigma: float = PCA_SIGMA) -> np.ndarray:
    """One random draw of technique ``name`` for each of ``images`` (N, H, W, 3) uint8 → same shape, uint8.

    Each image gets its own random parameters (the seeded layers are called once per image); Keras
    layers run in training mode (random); values are rounded and clipped to 0..255. PCA colour uses
    each image's own colour statistics.
    """
    if name not in TECHNIQUES:
        raise ParameterError(f"unknown augmentation '{name}'; choose one of {', '.join(TECHNIQUES)}")
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
        raise ParameterError(f"images must be (N, H, W, 3) uint8, got shape {images.shape} {images.dtype}")
    layers = _layers(name, images.shape[1:3], seed)
    out = np.empty_like(images)
    state = random.getstate()
    random.seed(seed)  # AugMix picks its operations with Python's global ``random``
    try:
        for i, image in enumerate(images):  # one image at a time: RandomCrop draws one offset per batch
            x = image[None].astype(np.float32)  # (1, H, W, 3)
            for layer in layers:
                x = np.asarray(layer(x, training=True))
            out[i] = np.clip(np.rint(x[0]), 0, 255).astype(np.uint8)
    finally:
        random.setstate(state)
    if name in ("pca", "combined"):
        rng = np.random.default_rng(seed)
        out = np.stack([pca_colour_augment(image, rng, pca_sigma) for image in out])
    return out


def augment_grid(image: np.ndarray, name: str, n: int, seed: int, pca_sigma: float = PCA_SIGMA) -> np.ndarray:
    """``n`` random draws of technique ``name`` applied to one (H, W, 3) uint8 image → (n, H, W, 3) uint8.

    >>> augment_grid(np.zeros((8, 8, 3), np.uint8), "pca", 2, seed=0).shape
    (2, 8, 8, 3)
    """
    if not 1 <= n <= MAX_DRAWS:
        raise ParameterError(f"number of draws must be in 1..{MAX_DRAWS}, got {n}")
    return augment_images(np.repeat(np.asarray(image)[None], n, axis=0), name, seed, pca_sigma)
