"""Labelled face pairs for fitting a verifier when each person has a single photo.

No face data set with several photos per person can ship here, so same-person pairs are two augmented
copies of one aligned face (mirrored, zoomed and shifted, rotated a few degrees, brighter or darker) and
different-person pairs are copies of two different faces. Augmented copies of one photo share its pose,
expression, age and lighting, so they are easier to match than two real photos of one person: the pairs
show how a verifier's weights are fit, not how well it works on strangers.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnn_core.errors import ParameterError, ShapeError

#: augmented copies of each face: the first TRAIN_VIEWS are for fitting, the rest are held out
DEFAULT_VIEWS = 8
TRAIN_VIEWS_SHARE = 0.5


@dataclass(frozen=True)
class Augmentation:
    """One random change of an aligned crop: mirror, zoom (> 1 enlarges), rotation (degrees), shift
    (pixels) and brightness factor."""

    mirror: bool
    zoom: float
    angle: float
    shift: tuple[float, float]
    brightness: float


def random_augmentations(count: int, seed: int = 0) -> list[Augmentation]:
    """``count`` augmentations drawn from a fixed seed: mirror with probability ½, zoom 0.9-1.1, rotation
    ±8°, shift ±6 px, brightness ×0.7-1.3. The first one is the identity (the photo itself).

    >>> random_augmentations(2)[0]
    Augmentation(mirror=False, zoom=1.0, angle=0.0, shift=(0.0, 0.0), brightness=1.0)
    """
    if not 1 <= count <= 64:
        raise ParameterError(f"count must be in 1..64, got {count}")
    rng = np.random.default_rng(seed)
    found = [Augmentation(False, 1.0, 0.0, (0.0, 0.0), 1.0)]
    for _ in range(count - 1):
        found.append(
            Augmentation(
                bool(rng.random() < 0.5),
                float(rng.uniform(0.9, 1.1)),
                float(rng.uniform(-8, 8)),
                (float(rng.uniform(-6, 6)), float(rng.uniform(-6, 6))),
                float(rng.uniform(0.7, 1.3)),
            )
        )
    return found


def augment(crop: np.ndarray, change: Augmentation) -> np.ndarray:
    """The crop (S, S, 3) uint8 rotated and zoomed about its centre, shifted, mirrored and brightened;
    pixels that come from outside the crop repeat its edge.

    >>> crop = np.zeros((150, 150, 3), np.uint8); crop[:, :75] = 200
    >>> mirrored = augment(crop, Augmentation(True, 1.0, 0.0, (0.0, 0.0), 1.0))
    >>> int(mirrored[0, 0, 0]), int(mirrored[0, -1, 0])
    (0, 200)
    """
    crop = np.asarray(crop)
    if crop.ndim != 3 or crop.shape[2] != 3 or crop.shape[0] != crop.shape[1] or crop.dtype != np.uint8:
        raise ShapeError(f"crop must be (S, S, 3) uint8, got {crop.shape} {crop.dtype}")
    size = crop.shape[0]
    matrix = cv2.getRotationMatrix2D((size / 2, size / 2), change.angle, change.zoom)  # (2, 3)
    matrix[:, 2] += np.asarray(change.shift)
    moved = cv2.warpAffine(
        crop, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    if change.mirror:
        moved = moved[:, ::-1]
    return np.clip(moved.astype(np.float64) * change.brightness, 0, 255).round().astype(np.uint8)


@dataclass(frozen=True)
class PairSet:
    """Index pairs into a set of descriptors: ``first``, ``second`` (P,) and ``same`` (P,) bool, split into
    pairs for fitting (``train`` True) and held-out pairs."""

    first: np.ndarray
    second: np.ndarray
    same: np.ndarray
    train: np.ndarray


def make_pairs(people: np.ndarray, views: np.ndarray, train_views: int) -> PairSet:
    """Every unordered pair of items, labelled same when their person ids match.

    people: (M,) person id of each item; views: (M,) augmentation index of each item. A pair is for
    fitting when both items have a view < ``train_views``, held out when both have a view ≥ it (pairs
    that mix the two are dropped, so no held-out pair shares a picture with a fitting pair).

    >>> p = make_pairs(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), 1)
    >>> p.first.tolist(), p.second.tolist(), p.same.tolist(), p.train.tolist()
    ([0, 1], [2, 3], [False, False], [True, False])
    """
    people, views = np.asarray(people), np.asarray(views)
    if people.ndim != 1 or people.shape != views.shape:
        raise ShapeError(f"people and views must be (M,) alike, got {people.shape} and {views.shape}")
    first, second = np.triu_indices(len(people), k=1)  # (P,) each, i < j
    in_train = views < train_views  # (M,)
    keep = in_train[first] == in_train[second]
    first, second = first[keep], second[keep]
    return PairSet(first, second, people[first] == people[second], in_train[first])


@dataclass(frozen=True)
class AugmentedSet:
    """Augmented copies of K faces: ``crops`` (K·V, S, S, 3) uint8 in face-major order, the person id
    (K·V,) and view index (K·V,) of each."""

    crops: np.ndarray
    people: np.ndarray
    views: np.ndarray


def augmented_set(crops: np.ndarray, count: int = DEFAULT_VIEWS, seed: int = 0) -> AugmentedSet:
    """``count`` augmented copies (the same ``random_augmentations`` for every face) of each aligned crop
    (K, S, S, 3); face k is person k.

    >>> s = augmented_set(np.zeros((2, 150, 150, 3), np.uint8), 3)
    >>> s.crops.shape, s.people.tolist(), s.views.tolist()
    ((6, 150, 150, 3), [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2])
    """
    crops = np.asarray(crops)
    if crops.ndim != 4 or len(crops) == 0:
        raise ShapeError(f"crops must be (K, S, S, 3) with K ≥ 1, got {crops.shape}")
    changes = random_augmentations(count, seed)
    copies = np.stack([augment(crop, change) for crop in crops for change in changes])
    people = np.repeat(np.arange(len(crops)), count)  # (K·V,)
    return AugmentedSet(copies, people, np.tile(np.arange(count), len(crops)))


def train_views(count: int) -> int:
    """How many of ``count`` views are for fitting (at least 1, at most count − 1).

    >>> train_views(8), train_views(2)
    (4, 1)
    """
    return min(count - 1, max(1, round(count * TRAIN_VIEWS_SHARE)))
