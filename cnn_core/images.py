"""Turn whatever a user uploads into a clean RGB array, or explain in one sentence why not.

``decode_image`` is the single entry for uploads: it refuses empty, non-image, truncated, animated and
oversized files with an ``ImageError``, applies the EXIF orientation, converts every Pillow mode
(L, LA, P, RGBA, CMYK, I;16, I, F …) to RGB uint8 (transparency composited over white), and shrinks
large photos so their longest side is at most ``max_side``. Sample images come from packages that ship
them (scikit-image, scikit-learn, matplotlib), so nothing is downloaded. ``check_rgb`` is the one check,
used by every topic, that an array handed in is such an image.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnn_core.errors import ImageError

#: Refuse images with more pixels than this before decoding them (decompression-bomb guard): 50 MP.
MAX_PIXELS = 50_000_000
# Our own check in ``_open`` replaces Pillow's, so that the message can say how large the image is.
Image.MAX_IMAGE_PIXELS = None
#: Longest side of the working copy that pages compute on.
WORKING_SIDE = 1024
#: Formats whose extra frames are not an animation (phones store depth maps as a second MPO frame).
_STILL_MULTIFRAME_FORMATS = {"MPO"}


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageError("the file is empty (0 bytes)")
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as err:
        raise ImageError(
            "the file is not an image that can be read (try PNG, JPEG, GIF, BMP, TIFF or WebP)"
        ) from err
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"the image is {width}x{height} = {width * height / 1e6:.0f} megapixels; "
            f"the limit is {MAX_PIXELS / 1e6:.0f} megapixels"
        )
    if width < 1 or height < 1:
        raise ImageError(f"the image has no pixels ({width}x{height})")
    frames = getattr(image, "n_frames", 1)
    if frames > 1 and image.format not in _STILL_MULTIFRAME_FORMATS:
        raise ImageError(
            f"the image is animated ({frames} frames); upload a still image "
            "(for example one frame saved as PNG)"
        )
    return image


def _high_bit_depth_to_uint8(image: Image.Image) -> Image.Image:
    """Map 16/32-bit integer and float single-channel images to 8-bit grey.

    Integer images are scaled by their type's range (65535 → 255 for 16-bit); float images are
    stretched from their minimum to their maximum.
    """
    values = np.asarray(image)
    if values.dtype.kind == "f":
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
        scaled = (np.nan_to_num(values, nan=low) - low) / (high - low or 1.0) * 255.0
    else:
        scaled = values.astype(np.float64) / (65535.0 if values.max() > 255 else 255.0) * 255.0
    return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8), mode="L")


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode → RGB; transparency is composited over a white background."""
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}:
        image = _high_bit_depth_to_uint8(image)
    if image.mode == "P" or image.mode == "PA":
        image = image.convert("RGBA")
    if image.mode in {"RGBA", "LA", "La", "RGBa"}:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


def decode_image(data: bytes, *, max_side: int | None = WORKING_SIDE) -> np.ndarray:
    """Decode an uploaded file to an (H, W, 3) uint8 RGB array, upright, longest side ≤ ``max_side``.

    >>> import io; from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("L", (40, 20), 128).save(buffer, "PNG")
    >>> decode_image(buffer.getvalue()).shape
    (20, 40, 3)
    >>> decode_image(b"")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ImageError: the file is empty (0 bytes)
    """
    image = _open(data)
    if max_side is not None and image.format == "JPEG":
        image.draft("RGB", (max_side, max_side))  # let the JPEG decoder skip detail we would discard
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as err:
        raise ImageError(f"the image file is damaged or truncated ({err})") from err
    image = _to_rgb(image)
    if max_side is not None and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=np.uint8).copy()


def load_image(path: str | Path, *, max_side: int | None = WORKING_SIDE) -> np.ndarray:
    """Read and decode an image file from disk (see ``decode_image``)."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"no such image file: {path}")
    return decode_image(path.read_bytes(), max_side=max_side)


def encode_png(rgb: np.ndarray) -> bytes:
    """PNG bytes of an (H, W, 3) or (H, W) uint8 array, e.g. for a download button."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(rgb, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Luma of an (H, W, 3) uint8 image as (H, W) floats in [0, 1]: Y = 0.299 R + 0.587 G + 0.114 B.

    >>> to_gray(np.array([[[255, 255, 255], [0, 0, 0]]], dtype=np.uint8))
    array([[1., 0.]])
    """
    weights = np.array([0.299, 0.587, 0.114])
    return np.round(rgb.astype(np.float64) @ weights / 255.0, 12)


def check_rgb(
    image: np.ndarray, name: str = "image", *, min_side: int = 1, purpose: str = "this step"
) -> np.ndarray:
    """Return ``image`` when it is an (H, W, 3) uint8 RGB array with both sides ≥ ``min_side``, else raise
    ImageError; ``purpose`` names what needs the size ("detection").

    >>> check_rgb(np.zeros((20, 40), np.uint8), "content")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ImageError: content must be (H, W, 3) uint8 RGB, got shape (20, 40) uint8
    >>> check_rgb(np.zeros((20, 40, 3), np.uint8), min_side=32, purpose="detection")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ImageError: the image is 40x20 pixels; detection needs at least 32x32
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ImageError(f"{name} must be (H, W, 3) uint8 RGB, got shape {image.shape} {image.dtype}")
    height, width = image.shape[:2]
    if min(height, width) < min_side:
        raise ImageError(
            f"the {name} is {width}x{height} pixels; {purpose} needs at least {min_side}x{min_side}"
        )
    return image


def _skimage(name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from skimage import data

        image = getattr(data, name)()
        return image[0] if isinstance(image, tuple) else image  # stereo_motorcycle is a pair

    return load


def _matplotlib(filename: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from matplotlib.cbook import get_sample_data

        with Image.open(get_sample_data(filename, asfileobj=False)) as image:
            return np.asarray(image.convert("RGB"))

    return load


def _sklearn(filename: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from sklearn.datasets import load_sample_image

        return load_sample_image(filename)

    return load


_SAMPLES: dict[str, Callable[[], np.ndarray]] = {
    "astronaut": _skimage("astronaut"),
    "chelsea": _skimage("chelsea"),
    "coffee": _skimage("coffee"),
    "camera": _skimage("camera"),
    "rocket": _skimage("rocket"),
    "coins": _skimage("coins"),
    "horse": _skimage("horse"),
    "stereo_motorcycle": _skimage("stereo_motorcycle"),
    "china": _sklearn("china.jpg"),
    "flower": _sklearn("flower.jpg"),
    "grace_hopper": _matplotlib("grace_hopper.jpg"),
}
SAMPLE_NAMES: tuple[str, ...] = tuple(_SAMPLES)


def sample_image(name: str) -> np.ndarray:
    """A sample image shipped with scikit-image / scikit-learn as (H, W, 3) uint8 RGB."""
    if name not in _SAMPLES:
        raise ImageError(f"unknown sample image '{name}'; choose one of {', '.join(SAMPLE_NAMES)}")
    image = np.asarray(_SAMPLES[name]())
    if image.dtype == bool:
        image = np.where(image, 0, 255)  # the horse silhouette: True is the horse, drawn black on white
    image = image.astype(np.uint8)
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return image[..., :3]
