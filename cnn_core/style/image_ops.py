"""Image chores around style transfer: checks, [0, 1] floats, resizing, padding, keeping colours.

Images are (H, W, 3) RGB: uint8 at the edges of the app, float32 in [0, 1] inside the networks.
"""

from __future__ import annotations

import numbers

import numpy as np
from PIL import Image

from cnn_core.errors import ParameterError
from cnn_core.images import check_rgb, check_scaled_size, scaled_size

#: The smallest side an image may have: the networks shrink it 4x (fast stylisers) or more (features).
MIN_SIDE = 32
#: The largest working size (longer side, pixels) any style method accepts. Memory grows with the pixel
#: count: a Gatys run (EfficientNet-Lite0 features, Adam) took 87 MiB more at 256 px, 314 MiB at 512 px
#: and 1,238 MiB at 1024 px (peak RSS over the built network, measured on the CPU).
MAX_SIDE = 1024


def check_style_image(image: np.ndarray, name: str = "image") -> np.ndarray:
    """``check_rgb`` with the style networks' minimum: (H, W, 3) uint8 RGB, both sides ≥ MIN_SIDE.

    >>> check_style_image(np.zeros((20, 40, 3), np.uint8), "content")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ImageError: the content is 40x20 pixels; style transfer needs at least 32x32
    """
    return check_rgb(image, name, min_side=MIN_SIDE, purpose="style transfer")


def is_grayscale(image: np.ndarray) -> bool:
    """True when an (H, W, 3) image has R = G = B everywhere (a grey picture stored as RGB).

    >>> is_grayscale(np.full((2, 2, 3), 7, np.uint8)), is_grayscale(np.eye(3, dtype=np.uint8)[None])
    (True, False)
    """
    return bool(np.all(image[..., 0] == image[..., 1]) and np.all(image[..., 1] == image[..., 2]))


def check_size(size: int, name: str = "size") -> int:
    """Validate a working size (longer side in pixels): a whole number with MIN_SIDE ≤ size ≤ MAX_SIDE.

    >>> check_size(4096)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: size must be between 32 and 1024 pixels, got 4096 (memory grows with ...
    """
    if not isinstance(size, numbers.Integral) or not MIN_SIDE <= size <= MAX_SIDE:
        raise ParameterError(
            f"{name} must be between {MIN_SIDE} and {MAX_SIDE} pixels, got {size} (memory grows with the "
            "pixels: a Gatys run at 1024 px takes about 1.2 GiB)"
        )
    return int(size)


def to_unit(image: np.ndarray) -> np.ndarray:
    """uint8 (H, W, 3) → float32 in [0, 1].

    >>> to_unit(np.array([[[0, 51, 255]]], np.uint8))
    array([[[0. , 0.2, 1. ]]], dtype=float32)
    """
    return np.asarray(image, dtype=np.float32) / 255.0


def to_uint8(image: np.ndarray) -> np.ndarray:
    """float (H, W, 3) in [0, 1] → uint8, clipped and rounded.

    >>> to_uint8(np.array([[[-0.2, 0.5, 1.3]]]))
    array([[[  0, 128, 255]]], dtype=uint8)
    """
    return (np.clip(image, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resize an (H, W, 3) uint8 image to (height, width, 3) with Lanczos filtering."""
    if image.shape[:2] == (height, width):
        return image
    return np.asarray(Image.fromarray(image).resize((width, height), Image.Resampling.LANCZOS))


def fit_longer_side(image: np.ndarray, side: int) -> np.ndarray:
    """Scale an (H, W, 3) uint8 image so its longer side is ``side`` pixels (aspect kept).

    >>> fit_longer_side(np.zeros((300, 600, 3), np.uint8), 256).shape
    (128, 256, 3)
    """
    height, width = image.shape[:2]
    check_scaled_size(width, height, side, min_side=MIN_SIDE, purpose="style transfer")
    return resize(image, *scaled_size(width, height, side))


def center_square(image: np.ndarray, side: int) -> np.ndarray:
    """The largest centred square of an (H, W, 3) uint8 image, resized to ``side`` x ``side``."""
    height, width = image.shape[:2]
    crop = min(height, width)
    top, left = (height - crop) // 2, (width - crop) // 2
    return resize(image[top : top + crop, left : left + crop], side, side)


def pad_to_multiple(image: np.ndarray, multiple: int) -> np.ndarray:
    """Mirror-pad an (H, W, C) array at the bottom and right so H and W are multiples of ``multiple``.

    >>> pad_to_multiple(np.arange(6.0).reshape(1, 6, 1), 4)[0, :, 0]
    array([0., 1., 2., 3., 4., 5., 4., 3.])
    """
    height, width = image.shape[:2]
    pad_h, pad_w = (-height) % multiple, (-width) % multiple
    return np.pad(image, ((0, pad_h), (0, pad_w), (0, 0)), mode="reflect")


def keep_colours(generated: np.ndarray, content: np.ndarray) -> np.ndarray:
    """The generated image's luminance with the content's colour (Gatys et al. 2016, "Preserving Color").

    Both (H, W, 3) uint8 (content is resized to the generated size). In YCbCr (ITU-R BT.601), Y comes
    from ``generated`` and Cb, Cr from ``content``.
    """
    content = resize(content, generated.shape[1], generated.shape[0])
    luma = np.asarray(Image.fromarray(generated).convert("YCbCr"))[..., :1]  # (H, W, 1)
    chroma = np.asarray(Image.fromarray(content).convert("YCbCr"))[..., 1:]  # (H, W, 2)
    merged = np.concatenate([luma, chroma], axis=-1)
    return np.asarray(Image.fromarray(merged, mode="YCbCr").convert("RGB"))


def blend(first: np.ndarray, second: np.ndarray, t: float) -> np.ndarray:
    """``(1 − t)·first + t·second`` for two uint8 images of one shape, t in [0, 1].

    >>> blend(np.zeros((1, 1, 3), np.uint8), np.full((1, 1, 3), 200, np.uint8), 0.25)[0, 0]
    array([50, 50, 50], dtype=uint8)
    """
    if not 0.0 <= t <= 1.0:
        raise ParameterError(f"strength must be between 0 and 1, got {t}")
    mixed = (1.0 - t) * first.astype(np.float32) + t * second.astype(np.float32)
    return np.clip(mixed + 0.5, 0, 255).astype(np.uint8)
