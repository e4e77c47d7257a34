"""Image chores: checks, padding, resizing, keeping colours."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnn_core.errors import ImageError, ParameterError
from cnn_core.style.image_ops import (
    center_square,
    check_size,
    check_style_image,
    fit_longer_side,
    keep_colours,
    pad_to_multiple,
)


def test_check_style_image_rejects_grayscale_rgba_and_tiny_images():
    with pytest.raises(ImageError, match="got shape"):
        check_style_image(np.zeros((50, 50), np.uint8))
    with pytest.raises(ImageError, match=r"\(50, 50, 4\)"):
        check_style_image(np.zeros((50, 50, 4), np.uint8), "style image")
    with pytest.raises(
        ImageError, match=r"the style image is 31x50 pixels; style transfer needs at least 32x32"
    ):
        check_style_image(np.zeros((50, 31, 3), np.uint8), "style image")


def test_check_size_bounds():
    assert check_size(256) == 256
    with pytest.raises(ParameterError, match="size must be between 32 and 1024 pixels, got 4096"):
        check_size(4096)


def test_pad_to_multiple_mirrors_without_repeating_the_edge():
    x = np.arange(5 * 6).reshape(5, 6, 1).astype(np.float32)
    padded = pad_to_multiple(x, 4)
    assert padded.shape == (8, 8, 1)
    np.testing.assert_array_equal(padded[:5, :6], x)
    np.testing.assert_array_equal(padded[5, :6, 0], x[3, :, 0])  # row 5 mirrors row 3


def test_resizing_keeps_aspect_and_squares_centre():
    image = np.zeros((100, 300, 3), np.uint8)
    image[:, 100:200] = 255  # white centre third
    assert fit_longer_side(image, 150).shape == (50, 150, 3)
    assert center_square(image, 64).min() >= 250  # the centred 100x100 square is all white


def test_keep_colours_takes_luminance_from_generated_and_colour_from_content():
    generated = np.full((40, 40, 3), (130, 130, 130), np.uint8)  # mid grey
    content = np.full((20, 20, 3), (60, 70, 140), np.uint8)  # dark blue, another size
    out = keep_colours(generated, content)
    ycbcr = np.asarray(Image.fromarray(out).convert("YCbCr")).astype(int)
    expected_chroma = np.asarray(Image.fromarray(content).convert("YCbCr"))[0, 0, 1:].astype(int)
    assert out.shape == generated.shape
    assert abs(ycbcr[0, 0, 0] - 130) <= 2
    assert np.all(np.abs(ycbcr[0, 0, 1:] - expected_chroma) <= 2)
    assert out[0, 0, 2] > out[0, 0, 0]  # still blue
