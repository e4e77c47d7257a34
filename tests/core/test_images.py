"""Upload decoding: every Pillow mode, EXIF rotation, and clear refusals of bad files."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from cnn_core import images
from cnn_core.errors import ImageError
from cnn_core.images import (
    DECODE_ERRORS,
    SAMPLE_NAMES,
    check_rgb,
    decode_image,
    encode_png,
    fit_height,
    load_image,
    sample_image,
    to_gray,
)


def _encode(image: Image.Image, fmt: str = "PNG", **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image", "expected_pixel"),
    [
        (Image.new("L", (8, 6), 200), (200, 200, 200)),
        (Image.new("LA", (8, 6), (0, 0)), (255, 255, 255)),  # fully transparent → white background
        (Image.new("RGBA", (8, 6), (255, 0, 0, 255)), (255, 0, 0)),
        (Image.new("RGBA", (8, 6), (0, 0, 0, 128)), (127, 127, 127)),  # half black over white
        (Image.new("P", (8, 6), 0), (0, 0, 0)),
        (Image.new("1", (8, 6), 1), (255, 255, 255)),
        (Image.new("I;16", (8, 6), 65535), (255, 255, 255)),
        (Image.new("I", (8, 6), 257 * 100), (100, 100, 100)),
    ],
)
def test_modes_become_rgb_uint8(image, expected_pixel):
    rgb = decode_image(_encode(image, "TIFF" if image.mode == "I" else "PNG"))
    assert rgb.shape == (6, 8, 3) and rgb.dtype == np.uint8
    assert tuple(rgb[0, 0]) == pytest.approx(expected_pixel, abs=1)


def test_cmyk_jpeg_and_sixteen_bit_rgb_png():
    cmyk = decode_image(_encode(Image.new("CMYK", (10, 10), (0, 255, 255, 0)), "JPEG", quality=100))
    assert cmyk[5, 5, 0] > 200 and cmyk[5, 5, 1] < 60  # pure red
    sixteen = np.zeros((5, 7, 3), np.uint16)
    sixteen[..., 2] = 65535  # blue in OpenCV's BGR order → red in RGB
    ok, png = cv2.imencode(".png", sixteen)
    assert ok
    rgb = decode_image(png.tobytes())
    assert rgb.shape == (5, 7, 3) and tuple(rgb[0, 0]) == (255, 0, 0)


def test_exif_orientation_is_applied():
    image = Image.new("RGB", (40, 20), (0, 0, 0))
    image.paste((255, 255, 255), (0, 0, 10, 20))  # white strip on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    rgb = decode_image(_encode(image, "JPEG", exif=exif, quality=95))
    assert rgb.shape == (40, 20, 3)
    assert rgb[:5, :, 0].mean() > 200  # the left strip is now at the top


def test_large_photos_are_downscaled_to_the_working_size():
    rgb = decode_image(_encode(Image.new("RGB", (3000, 1500))), max_side=1024)
    assert rgb.shape == (512, 1024, 3)
    assert decode_image(_encode(Image.new("RGB", (3000, 1500))), max_side=None).shape == (1500, 3000, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"hello, I am a text file pretending to be a PNG", "not an image"),
        (_encode(Image.new("RGB", (64, 64), (9, 9, 9)))[:80], "damaged or truncated"),
    ],
)
def test_bad_files_are_refused_clearly(data, message):
    with pytest.raises(ImageError, match=message):
        decode_image(data)


def test_decompression_bomb_is_refused_before_decoding():
    huge = _encode(Image.new("1", (20000, 20000)))  # 400 megapixels, a few kB of PNG
    with pytest.raises(ImageError, match="20000x20000 = 400 megapixels; the limit is 50"):
        decode_image(huge)


def test_animation_is_refused_but_a_single_frame_gif_is_fine():
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageError, match="animated \\(3 frames\\)"):
        decode_image(buffer.getvalue())
    assert decode_image(_encode(frames[0], "GIF")).shape == (10, 10, 3)


def test_samples_files_and_helpers(tmp_path):
    for name in SAMPLE_NAMES:
        image = sample_image(name)
        assert image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8
    with pytest.raises(ImageError, match="unknown sample image 'nope'"):
        sample_image("nope")
    path = tmp_path / "cat.png"
    path.write_bytes(encode_png(sample_image("chelsea")))
    np.testing.assert_array_equal(load_image(path), sample_image("chelsea"))
    with pytest.raises(ImageError, match="no such image file"):
        load_image(tmp_path / "missing.png")
    assert to_gray(np.full((1, 1, 3), 255, np.uint8))[0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("image", "min_side", "message"),
    [
        (np.zeros((40, 30), np.uint8), 1, r"photo must be \(H, W, 3\) uint8 RGB, got shape \(40, 30\) uint8"),
        (np.zeros((40, 30, 4), np.uint8), 1, r"got shape \(40, 30, 4\) uint8"),
        (np.zeros((40, 30, 3), np.float32), 1, r"got shape \(40, 30, 3\) float32"),
        (np.zeros((40, 30, 3), np.uint8), 32, "the photo is 30x40 pixels; the test needs at least 32x32"),
        (np.zeros((0, 30, 3), np.uint8), 1, "the photo is 30x0 pixels; the test needs at least 1x1"),
    ],
)
def test_check_rgb_names_the_argument_and_echoes_the_value(image, min_side, message):
    with pytest.raises(ImageError, match=message):
        check_rgb(image, "photo", min_side=min_side, purpose="the test")


def test_check_rgb_returns_a_good_image_unchanged():
    image = np.zeros((32, 33, 3), np.uint8)
    assert check_rgb(image, min_side=32) is image


@pytest.mark.parametrize("error", DECODE_ERRORS, ids=lambda error: error.__name__)
def test_every_kind_of_pillow_failure_becomes_an_image_error(error, monkeypatch):
    def fail(image):
        raise error("simulated failure")

    monkeypatch.setattr(ImageOps, "exif_transpose", fail)
    with pytest.raises(ImageError, match=r"damaged or truncated \(.*simulated failure"):
        decode_image(_encode(Image.new("RGB", (8, 8))))


def test_our_own_bugs_are_not_hidden_as_bad_files(monkeypatch):
    """The decode boundary holds Pillow's calls only: a ValueError from our own scaling stays itself."""

    def broken(values):
        raise ValueError("a bug of ours")

    monkeypatch.setattr(images, "_to_uint8", broken)
    with pytest.raises(ValueError, match="a bug of ours") as raised:
        decode_image(_encode(Image.new("I;16", (8, 6), 1000)))
    assert not isinstance(raised.value, ImageError)


def test_float_images_stretch_their_finite_range_and_clip_nan_and_infinity():
    values = np.array([[0.0, 2.0, 4.0], [np.nan, np.inf, -np.inf]], np.float32)
    rgb = decode_image(_encode(Image.fromarray(values, "F"), "TIFF"))
    # 255·(v − 0) / (4 − 0) for v = 0, 2, 4; NaN and −inf → the minimum 0, +inf → the maximum 4
    assert rgb[..., 0].tolist() == [[0, 128, 255], [0, 255, 0]]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            (3, 20000),
            "the image is 3x20000 pixels: scaled to 1024 pixels on its longer side it would be only 1 px "
            "wide, and every network here needs at least 32 px",
        ),
        (
            (2000, 40),
            r"the image is 2000x40 pixels: .* only 20 px high, and every network here needs at least 32",
        ),
    ],
)
def test_strips_too_thin_to_shrink_are_refused_with_the_files_own_size(size, message):
    data = _encode(Image.new("L", size))
    with pytest.raises(ImageError, match=message):
        decode_image(data)
    width, height = size
    assert decode_image(data, max_side=None).shape == (height, width, 3)  # the file itself is fine


def test_a_strip_that_keeps_32_pixels_when_shrunk_is_accepted():
    # 64·1024/2000 = 32.8 ≥ 32: the working copy is 1024 x 33 (Pillow rounds 32.8 up)
    assert decode_image(_encode(Image.new("L", (2000, 64)))).shape == (33, 1024, 3)


def test_a_file_that_cannot_be_read_gives_one_sentence(tmp_path, monkeypatch):
    path = tmp_path / "locked.png"
    path.write_bytes(_encode(Image.new("RGB", (8, 8))))

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", denied)
    with pytest.raises(ImageError, match=f"cannot read {path}: Permission denied"):
        load_image(path)


def test_fit_height_averages_the_pixels_each_new_pixel_covers():
    image = np.arange(4 * 6, dtype=np.uint8).reshape(4, 6) * 10  # 4 rows, 6 columns
    small = fit_height(image, 2)  # 2 rows: width round(6·2/4) = 3, each pixel the mean of a 2x2 block
    expected = image.reshape(2, 2, 3, 2).astype(float).mean(axis=(1, 3))
    np.testing.assert_array_equal(small, np.round(expected).astype(np.uint8))
    assert fit_height(np.zeros((3000, 7, 3), np.uint8), 150).shape == (150, 1, 3)  # never 0 wide
