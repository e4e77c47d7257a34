"""A classification data set from class folders or in-memory photos: one (N, S, S, 3) uint8 array.

Every photo is decoded by ``cnn_core.images`` (EXIF orientation, any mode → RGB, bad files refused),
centre-cropped to its largest square and resized to S x S (224 for EfficientNet-Lite0). A file that
cannot be read is left out with a message naming it, and the rest go on; a class left with no image,
fewer than two classes, or more photos than ``MAX_IMAGES`` is refused before any training starts.

The ready sample set is built from three CC0 texture photos that ship in the scikit-image wheel
(brick wall, grass, gravel; 512x512 grey): each is cut into a 4x4 grid of 128x128 tiles, so each class
starts with 16 real photographs and nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from cnn_core.errors import CNNLabError, ParameterError
from cnn_core.images import check_rgb, load_image

#: side of the square images the EfficientNet-Lite0 base sees
IMAGE_SIZE = 224
#: classes a data set may have (a softmax needs two; ten keep the page readable)
MIN_CLASSES, MAX_CLASSES = 2, 10
#: photos in one data set: 600 x 224 x 224 x 3 bytes = 90 MB of pixels, the memory cap
MAX_IMAGES = 600
#: the files of a class folder that are read as photos (what ``cnn_core.images`` decodes)
PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
#: the sample classes: scikit-image texture photos (CC0), each cut into TILES x TILES tiles
SAMPLE_CLASSES = ("brick", "grass", "gravel")
TILES = 4


@dataclass(frozen=True)
class ImageSet:
    """Photos and their labels: ``images`` (N, S, S, 3) uint8, ``labels`` (N,) int64 in 0..C-1.

    ``skipped`` holds one message per file that was left out ("a.jpg: the file is empty (0 bytes)").
    """

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())

    @property
    def counts(self) -> list[int]:
        """Photos per class, in class order."""
        return np.bincount(self.labels, minlength=len(self.class_names)).tolist()


def square_resize(image: np.ndarray, size: int = IMAGE_SIZE) -> np.ndarray:
    """The largest centred square of an (H, W, 3) uint8 image, resized to (size, size, 3) uint8.

    >>> square_resize(np.zeros((30, 60, 3), np.uint8), 8).shape
    (8, 8, 3)
    """
    check_rgb(image)
    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = Image.fromarray(image[top : top + side, left : left + side])
    return np.asarray(square.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0))


def _check_classes(names: Sequence[str], counts: Sequence[int]) -> None:
    if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
        raise ParameterError(
            f"a data set needs {MIN_CLASSES} to {MAX_CLASSES} classes, got {len(names)}"
            + (f" ({', '.join(names)})" if names else "")
        )
    empty = [name for name, count in zip(names, counts, strict=True) if count == 0]
    if empty:
        raise ParameterError(f"class '{empty[0]}' has no usable image; add photos or remove the class")
    if sum(counts) > MAX_IMAGES:
        raise ParameterError(f"the data set has {sum(counts)} photos; the limit is {MAX_IMAGES}")


def image_set(
    classes: Mapping[str, Sequence[np.ndarray]], size: int = IMAGE_SIZE, skipped: Sequence[str] = ()
) -> ImageSet:
    """An ImageSet from ``{class name: [(H, W, 3) uint8 photo, ...]}`` (classes in the mapping's order).

    >>> photos = {"dark": [np.zeros((5, 9, 3), np.uint8)], "light": [np.full((9, 5, 3), 255, np.uint8)]}
    >>> data = image_set(photos, size=4)
    >>> data.images.shape, data.labels.tolist(), data.counts
    ((2, 4, 4, 3), [0, 1], [1, 1])
    """
    names = tuple(classes)
    _check_classes(names, [len(photos) for photos in classes.values()])
    images = [square_resize(photo, size) for photos in classes.values() for photo in photos]
    labels = [label for label, photos in enumerate(classes.values()) for _ in photos]
    return ImageSet(np.stack(images), np.asarray(labels, np.int64), names, tuple(skipped))


def read_folder(data_dir: str | Path, size: int = IMAGE_SIZE) -> ImageSet:
    """An ImageSet from ``data_dir/<class>/<photo>`` (classes and photos in name order, hidden files and
    other file types ignored). An unreadable photo is skipped with a message naming it."""
    root = Path(data_dir)
    if not root.is_dir():
        raise ParameterError(f"data folder {root} does not exist or is not a folder")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    files = {
        folder.name: sorted(
            p
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES and not p.name.startswith(".")
        )
        for folder in folders
    }
    _check_classes(list(files), [len(paths) for paths in files.values()])  # before decoding anything
    photos: dict[str, list[np.ndarray]] = {}
    skipped: list[str] = []
    for name, paths in files.items():
        photos[name] = []
        for path in paths:
            try:
                photos[name].append(load_image(path, max_side=4 * size))
            except CNNLabError as err:
                skipped.append(f"{path.relative_to(root)}: {err}")
    return image_set(photos, size, skipped)


def split_indices(labels: np.ndarray, validation_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified split of ``labels`` (N,): (train indices, validation indices), both sorted.

    Each class c with n_c photos gives v_c = round(fraction · n_c) validation photos, at least 1 when
    n_c ≥ 2 and fraction > 0, and always leaves at least one photo for training.

    >>> train, val = split_indices(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.25, seed=0)
    >>> len(train), len(val), sorted(np.array([0, 0, 0, 0, 1, 1, 1, 1])[val].tolist())
    (6, 2, [0, 1])
    """
    if not 0.0 <= validation_fraction < 1.0:
        raise ParameterError(f"validation fraction must be in [0, 1), got {validation_fraction}")
    rng = np.random.default_rng(seed)
    train: list[int] = []
    val: list[int] = []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_val = round(validation_fraction * len(members))
        if validation_fraction > 0 and len(members) >= 2:
            n_val = max(n_val, 1)
        n_val = min(n_val, len(members) - 1)
        val += members[:n_val].tolist()
        train += members[n_val:].tolist()
    return np.asarray(sorted(train), np.int64), np.asarray(sorted(val), np.int64)


def sample_class(name: str) -> list[np.ndarray]:
    """The TILES² photos of one sample class, each (128, 128, 3) uint8 (see the module docstring)."""
    if name not in SAMPLE_CLASSES:
        raise ParameterError(f"unknown sample class '{name}'; choose one of {', '.join(SAMPLE_CLASSES)}")
    from skimage import data

    grey = np.asarray(getattr(data, name)(), np.uint8)  # (512, 512)
    tile = grey.shape[0] // TILES
    return [
        np.repeat(grey[r * tile : (r + 1) * tile, c * tile : (c + 1) * tile, None], 3, axis=2)
        for r in range(TILES)
        for c in range(TILES)
    ]


def sample_set(names: Sequence[str] = SAMPLE_CLASSES, size: int = IMAGE_SIZE) -> ImageSet:
    """The sample data set: the chosen texture classes, 16 photos each, at ``size`` x ``size``."""
    return image_set({name: sample_class(name) for name in names}, size)
