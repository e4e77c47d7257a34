"""Turn any picture of one handwritten digit into a LeNet-5 input the way MNIST was made.

MNIST (LeCun et al. 1998): the digit, light on dark, is scaled so its longer side is 20 pixels (keeping its
aspect ratio), placed in a 28x28 field so that its centre of mass is at the centre, and — for LeNet-5 —
padded by 2 to 32x32. Photos of dark ink on light paper are inverted first.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from cnn_core.errors import ImageError
from cnn_core.images import to_gray

DIGIT_SIDE, FIELD, PADDED = 20, 28, 32


def centre_of_mass(gray: np.ndarray) -> tuple[float, float]:
    """(row, col) centre of mass of a non-negative (H, W) array: Σ y·v / Σ v, Σ x·v / Σ v.

    >>> centre_of_mass(np.array([[0.0, 0.0], [0.0, 1.0]]))
    (1.0, 1.0)
    """
    total = gray.sum()
    rows, cols = np.indices(gray.shape)
    return float((rows * gray).sum() / total), float((cols * gray).sum() / total)


def digit_field(image: np.ndarray) -> np.ndarray:
    """An (H, W, 3) uint8 picture of one digit → (28, 28) float32 in [0, 1], MNIST style (see above)."""
    gray = to_gray(image)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if np.median(border) > 0.5:  # dark ink on light paper
        gray = 1.0 - gray
    gray = np.clip(gray - np.median(border if np.median(border) <= 0.5 else 1.0 - border), 0, None)
    if gray.max() < 0.1:
        raise ImageError("no digit found: the picture is blank (draw or upload one dark-on-light digit)")
    ink = np.argwhere(gray > 0.2 * gray.max())
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    crop = gray[top : bottom + 1, left : right + 1] / gray.max()
    scale = DIGIT_SIDE / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    resized = Image.fromarray(crop.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    digit = np.asarray(resized).clip(0, 1)
    cy, cx = centre_of_mass(digit)
    top, left = round(FIELD / 2 - cy - 0.5), round(FIELD / 2 - cx - 0.5)
    top, left = min(max(top, 0), FIELD - digit.shape[0]), min(max(left, 0), FIELD - digit.shape[1])
    field = np.zeros((FIELD, FIELD), np.float32)
    field[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    return field


def lenet_input(field: np.ndarray) -> np.ndarray:
    """A (28, 28) digit field in [0, 1] → the (32, 32, 1) float32 LeNet-5 input (2 pixels of zero padding).

    >>> lenet_input(np.ones((28, 28))).shape
    (32, 32, 1)
    """
    pad = (PADDED - FIELD) // 2
    return np.pad(np.asarray(field, np.float32), pad)[..., None]
