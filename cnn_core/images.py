"""Turn whatever a user uploads into a clean RGB array, or explain in one sentence why not.

``decode_image`` is the single entry for uploads: it refuses empty, non-image, damaged, animated and
oversized files with an ``ImageError``, applies the EXIF orientation, converts every Pillow mode
(L, LA, P, RGBA, CMYK, I;16, I, F …) to RGB uint8 (transparency composited over white), and shrinks
large photos so their longest side is at most ``max_side``. Every call into Pillow that reads the file
(open, frame count, load, EXIF transpose, mode conversion, resizing) sits inside ``_decoding``, the
one place where Pillow's failures become our error; our own code stays outside it, so its bugs still
show. Messages quote the file's own size, never that of the shrunk working copy. Sample images come from
packages that ship them (scikit-image, scikit-learn, matplotlib), so nothing is downloaded.
``check_rgb`` is the one check, used by every topic, that an array handed in is such an image.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
#: Shortest side a shrunk working copy may have: detection and style transfer need 32 pixels, the
#: largest minimum of any step. A strip that shrinking would make thinner (3x20000 → 1x1024) is refused
#: here, where the file's own size is known.
MIN_WORKING_SIDE = 32
#: Formats whose extra frames are not an animation (phones store depth maps as a second MPO frame).
_STILL_MULTIFRAME_FORMATS = {"MPO"}
#: Formats whose frames are pages of a document rather than an animation.
_PAGED_FORMATS = {"TIFF"}
#: What Pillow raises for a file it cannot decode. Its plugins signal malformed data with IndexError,
#: TypeError, KeyError, EOFError or struct.error (``PIL.ImageFile`` names these "end of data" and
#: "unsupported mode") and SyntaxError; decoders with OSError ("image file is truncated"); limits with
#: ValueError (a compressed PNG text chunk that inflates past ``PngImagePlugin.MAX_TEXT_CHUNK``) or
#: DecompressionBombError.
DECODE_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
)
_HIGH_BIT_DEPTH_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}


@contextmanager
def _decoding() -> Iterator[None]:
    """The decode boundary: any failure of Pillow inside the block becomes an ImageError."""
    try:
        yield
    except UnidentifiedImageError as err:
        raise ImageError(
            "the file is not an image that can be read (try PNG, JPEG, GIF, BMP, TIFF or WebP)"
        ) from err
    except DECODE_ERRORS as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ImageError(f"the image file is damaged or truncated ({reason})") from err


def _open(data: bytes) -> Image.Image:
    """Open the file lazily (header and frame count only) and refuse it before any pixel is decoded."""
    if not data:
        raise ImageError("the file is empty (0 bytes)")
    with _decoding():
        image = Image.open(io.BytesIO(data))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"the image is {width}x{height} = {width * height / 1e6:.0f} megapixels; "
            f"the limit is {MAX_PIXELS / 1e6:.0f} megapixels"
        )
    if width < 1 or height < 1:
        raise ImageError(f"the image has no pixels ({width}x{height})")
    with _decoding():
        frames = getattr(image, "n_frames", 1)
    if frames > 1 and image.format in _PAGED_FORMATS:
        raise ImageError(
            f"the file holds {frames} pages; upload a single image (for example one page saved as PNG)"
        )
    if frames > 1 and image.format not in _STILL_MULTIFRAME_FORMATS:
        raise ImageError(
            f"the image is animated ({frames} frames); upload a still image "
            "(for example one frame saved as PNG)"
        )
    return image


def scaled_size(width: int, height: int, side: int) -> tuple[int, int]:
    """(w', h') of a ``width`` x ``height`` image scaled so its longer side is ``side``, the aspect kept:
    w' = max(1, round(s·width)), h' = max(1, round(s·height)) with s = side / max(width, height).

    >>> scaled_size(3000, 1500, 1024), scaled_size(3, 20000, 1024)
    ((1024, 512), (1, 1024))
    """
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def check_scaled_size(
    width: int, height: int, side: int, *, min_side: int, purpose: str, name: str = "image"
) -> None:
    """Refuse a ``width`` x ``height`` image whose copy scaled to ``side`` pixels on its longer side
    (``scaled_size``) would have a shorter side below ``min_side``. The message quotes the size before
    scaling, which later checks on the copy no longer know.

    >>> check_scaled_size(3, 20000, 1024, min_side=32, purpose="every network here")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ImageError: the image is 3x20000 pixels: scaled to 1024 pixels on its longer side it ...
    """
    scaled = min(scaled_size(width, height, side))
    if scaled >= min_side:
        return
    across = "wide" if width <= height else "high"
    raise ImageError(
        f"the {name} is {width}x{height} pixels: scaled to {side} pixels on its longer side it would be "
        f"only {scaled} px {across}, and {purpose} needs at least {min_side} px"
    )


def _to_uint8(values: np.ndarray) -> np.ndarray:
    """An (H, W) 16/32-bit integer or float image as uint8 grey.

    Integers are scaled by their type's range (65535 → 255 for 16-bit). Floats are stretched linearly
    from their smallest to their largest finite value, v ↦ 255·(v − lo) / (hi − lo); NaN and −inf
    become lo, +inf becomes hi.

    >>> _to_uint8(np.array([[0.0, 0.5, 1.0, np.nan, np.inf]], np.float32)).tolist()
    [[0, 128, 255, 0, 255]]
    """
    if values.dtype.kind == "f":
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        values = np.nan_to_num(values.astype(np.float64), nan=low, posinf=high, neginf=low)
        scaled = (values - low) / (high - low or 1.0) * 255.0
    else:
        scaled = values.astype(np.float64) / (65535.0 if values.max() > 255 else 255.0) * 255.0
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode → RGB; transparency is composited over a white background."""
    if image.mode in _HIGH_BIT_DEPTH_MODES:
        with _decoding():
            values = np.asarray(image)
        image = Image.fromarray(_to_uint8(values), mode="L")
    with _decoding():
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
    if max_side is not None and max(image.size) > max_side:
        check_scaled_size(*image.size, max_side, min_side=MIN_WORKING_SIDE, purpose="every network here")
    with _decoding():
        if max_side is not None and image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))  # let the JPEG decoder skip detail we would discard
        image.load()
        image = ImageOps.exif_transpose(image)
    image = _to_rgb(image)
    if max_side is not None and max(image.size) > max_side:
        size = scaled_size(*image.size, max_side)
        with _decoding():  # as Image.thumbnail, but at exactly the size check_scaled_size judged
            image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return np.asarray(image, dtype=np.uint8).copy()


def load_image(path: str | Path, *, max_side: int | None = WORKING_SIDE) -> np.ndarray:
    """Read and decode an image file from disk (see ``decode_image``)."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"no such image file: {path}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImageError(f"cannot read {path}: {err.strerror or err}") from err
    return decode_image(data, max_side=max_side)


def _area_resized(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """``image`` at ``width`` x ``height``: each new pixel the mean of the source pixels it covers when
    shrinking (OpenCV's area interpolation, no aliasing), bilinear when enlarging."""
    import cv2

    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)


def fit_height(image: np.ndarray, height: int) -> np.ndarray:
    """An (H, W, C) or (H, W) uint8 image scaled to ``height`` rows, the aspect kept:
    w' = max(1, round(W·height/H)).

    >>> fit_height(np.zeros((300, 400, 3), np.uint8), 150).shape
    (150, 200, 3)
    """
    return _area_resized(image, max(1, round(image.shape[1] * height / image.shape[0])), height)


def fit_width(image: np.ndarray, width: int) -> np.ndarray:
    """An (H, W, C) or (H, W) uint8 image scaled to ``width`` columns, the aspect kept:
    h' = max(1, round(H·width/W)).

    >>> fit_width(np.zeros((300, 400, 3), np.uint8), 60).shape
    (45, 60, 3)
    """
    return _area_resized(image, width, max(1, round(image.shape[0] * width / image.shape[1])))


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
