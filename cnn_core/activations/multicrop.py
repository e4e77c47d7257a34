"""Multi-crop at test time: the "10-crop" evaluation of AlexNet (Krizhevsky et al. 2012) and ResNet (He et
al. 2016), averaging a classifier's softmax over ten views of one photo.

Geometry, exactly: the photo is resized (bilinear, ``classifier_input``) so that its shorter side is S
(256 by default) and the longer one keeps the aspect ratio, ``round(long · S / short)``; then five c x c
crops (c = 224) are cut from the resized H x W picture, with (top, left) corners

    centre (⌊(H − c)/2⌋, ⌊(W − c)/2⌋), top left (0, 0), top right (0, W − c),
    bottom left (H − c, 0), bottom right (H − c, W − c),

and the same five are mirrored left–right. The prediction is the mean of the ten softmax vectors,
p̄ = (1/10) Σ_k softmax(f(crop_k)): ten forward passes, so ten times the multiply-adds of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.classify import MIN_SIDE, classifier_input
from cnn_core.errors import ParameterError, ShapeError
from cnn_core.images import check_rgb
from cnn_core.zoo.efficientnet_lite import INPUT_SIZE

if TYPE_CHECKING:
    import keras

#: the shorter side the photo is resized to before cropping (AlexNet's and ResNet's evaluation)
TEN_CROP_SIDE = 256
#: shorter sides offered on the page: 224 leaves no room to move on a square photo, 320 crops 70 %
SIDE_CHOICES = (224, 256, 288, 320)
#: the ten views in the order of ``ten_crop_boxes`` (row k + 5 is row k mirrored)
CROP_NAMES = tuple(
    f"{name}{mirror}"
    for mirror in ("", ", mirrored")
    for name in ("centre", "top left", "top right", "bottom left", "bottom right")
)


def shorter_side_shape(height: int, width: int, side: int = TEN_CROP_SIDE) -> tuple[int, int]:
    """(h, w) of a ``height`` x ``width`` picture resized so that its shorter side is ``side``, the longer
    one ``round(long · side / short)`` (aspect ratio kept).

    >>> shorter_side_shape(480, 640), shorter_side_shape(640, 480, 224)
    ((256, 341), (299, 224))
    """
    if min(height, width) < 1 or side < 1:
        raise ParameterError(f"sizes must be ≥ 1, got {height}x{width} resized to {side}")
    if height <= width:
        return side, max(side, round(width * side / height))
    return max(side, round(height * side / width)), side


def ten_crop_boxes(height: int, width: int, crop: int = INPUT_SIZE) -> np.ndarray:
    """The ten crops of a ``height`` x ``width`` picture as (10, 4) int rows (top, left, bottom, right),
    bottom and right exclusive, in ``CROP_NAMES`` order: centre, the four corners, then the same five
    again (rows 5..9 are cut from the same places and mirrored by ``ten_crops``).

    >>> ten_crop_boxes(256, 341)[:5].tolist()
    [[16, 58, 240, 282], [0, 0, 224, 224], [0, 117, 224, 341], [32, 0, 256, 224], [32, 117, 256, 341]]
    """
    if crop < 1 or crop > min(height, width):
        raise ShapeError(f"a {crop}x{crop} crop does not fit a {height}x{width} picture")
    bottom, right = height - crop, width - crop  # the last top and left a crop can start at
    corners = np.array(
        [[bottom // 2, right // 2], [0, 0], [0, right], [bottom, 0], [bottom, right]]
    )  # (5, 2)
    boxes = np.concatenate([corners, corners + crop], axis=1)  # (5, 4)
    return np.concatenate([boxes, boxes])  # (10, 4)


def ten_crops(image: np.ndarray, crop: int = INPUT_SIZE) -> np.ndarray:
    """The ten ``crop`` x ``crop`` views of an (H, W, C) picture, (10, crop, crop, C), at
    ``ten_crop_boxes(H, W, crop)``; views 5..9 are views 0..4 flipped left–right.

    >>> views = ten_crops(np.arange(12.0).reshape(3, 4, 1), 2)
    >>> views[1, ..., 0].tolist(), views[6, ..., 0].tolist()
    ([[0.0, 1.0], [4.0, 5.0]], [[1.0, 0.0], [5.0, 4.0]])
    """
    if image.ndim != 3:
        raise ShapeError(f"image must be (H, W, C), got shape {image.shape}")
    boxes = ten_crop_boxes(image.shape[0], image.shape[1], crop)
    views = [image[top:bottom, left:right] for top, left, bottom, right in boxes]
    return np.stack(views[:5] + [view[:, ::-1] for view in views[5:]])


def average_softmax(probabilities: np.ndarray) -> np.ndarray:
    """The mean over the first axis of K probability vectors, p̄ = (1/K) Σ_k p_k: (K, ..., C) → (..., C).
    Used for the views of one photo (10-crop) and for the members of an ensemble alike.

    >>> average_softmax(np.array([[0.75, 0.25], [0.25, 0.75], [0.5, 0.5]])).tolist()
    [0.5, 0.5]
    """
    probabilities = np.asarray(probabilities)
    if probabilities.ndim < 2 or len(probabilities) == 0:
        raise ShapeError(f"probabilities must be (K, ..., C) with K ≥ 1, got shape {probabilities.shape}")
    if np.any(probabilities < 0) or not np.allclose(probabilities.sum(axis=-1), 1, atol=1e-3):
        raise ParameterError("probabilities must be ≥ 0 and sum to 1 over the last axis (softmax outputs)")
    return probabilities.mean(axis=0)


@dataclass(frozen=True)
class TenCrop:
    """One photo's 10-crop evaluation: the resized picture (H, W, 3) float32 in 0..255, the boxes (10, 4)
    cut from it, each view's softmax (10, C) and their mean (C,)."""

    resized: np.ndarray
    boxes: np.ndarray
    probabilities: np.ndarray
    average: np.ndarray

    @property
    def centre(self) -> np.ndarray:
        """(C,) the single-crop prediction: the centre crop alone."""
        return self.probabilities[0]


def ten_crop_input(image: np.ndarray, side: int = TEN_CROP_SIDE) -> np.ndarray:
    """An (H, W, 3) uint8 photo resized so that its shorter side is ``side``: (h, w, 3) float32, 0..255."""
    if side < INPUT_SIZE:
        raise ParameterError(f"the shorter side must be ≥ the {INPUT_SIZE}-pixel crop, got {side}")
    image = check_rgb(image, min_side=MIN_SIDE, purpose="the ImageNet classifier")
    height, width = image.shape[:2]
    return classifier_input(image, shorter_side_shape(height, width, side))


def ten_crop_classify(model: keras.Model, image: np.ndarray, side: int = TEN_CROP_SIDE) -> TenCrop:
    """Resize an (H, W, 3) uint8 photo's shorter side to ``side``, run ``model`` (224x224 input, softmax
    output) on its ten crops in one batch of 10 and average the ten softmax vectors."""
    resized = ten_crop_input(image, side)
    views = ten_crops(resized, INPUT_SIZE)  # (10, 224, 224, 3)
    probabilities = np.asarray(model(views, training=False), np.float64)  # (10, C)
    boxes = ten_crop_boxes(resized.shape[0], resized.shape[1], INPUT_SIZE)
    return TenCrop(resized, boxes, probabilities, average_softmax(probabilities))
