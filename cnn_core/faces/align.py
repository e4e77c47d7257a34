"""Align a face for the embedding network: eyes level, face scaled and centred in a 150x150 crop.

dlib's recogniser was trained on "face chips": crops in which the face's landmarks sit on dlib's mean
face shape, padded by 25% of the face on every side (``get_face_chip(img, shape, 150, 0.25)``). We map
MTCNN's five landmarks onto the same template: the rotation is fixed so the eyes are level,

    θ = −atan2(y_right_eye − y_left_eye, x_right_eye − x_left_eye),

and scale s and shift t are the least-squares fit of the rotated landmarks r_i to the template q_i:

    s = Σ (r_i − r̄)·(q_i − q̄) / Σ |r_i − r̄|²,   t = q̄ − s r̄.
"""

from __future__ import annotations

import cv2
import numpy as np

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.images import check_rgb

#: side (pixels) of the aligned face crop: dlib's face chip, read whole by the embedding network
CROP_SIZE = 150
PADDING = 0.25
#: dlib's mean face shape (``dlib/image_transforms/interpolation.h``) at MTCNN's five landmarks, in
#: units of the unpadded face: eye centres = means of points 36-41 and 42-47, nose tip = point 30,
#: mouth corners = points 48 and 54
MEAN_FACE_5 = np.array(
    [
        [0.225492, 0.215990],
        [0.754761, 0.215990],
        [0.490127, 0.515625],
        [0.254149, 0.780233],
        [0.726104, 0.780233],
    ]
)


def template(size: int = CROP_SIZE, padding: float = PADDING) -> np.ndarray:
    """The five target points (5, 2) in a ``size``-pixel crop: ``(mean + padding) / (1 + 2·padding) · size``.

    >>> template().round(1)[:2].tolist()  # the eyes
    [[47.5, 46.6], [100.5, 46.6]]
    """
    return (MEAN_FACE_5 + padding) / (1 + 2 * padding) * size


def alignment_matrix(landmarks: np.ndarray, size: int = CROP_SIZE, padding: float = PADDING) -> np.ndarray:
    """The (2, 3) affine matrix [s·R | t] taking photo pixels to crop pixels (see module docstring).

    landmarks: (5, 2) x, y rows (left eye, right eye, nose, mouth left, mouth right).

    >>> m = alignment_matrix(template())  # landmarks already on the template: identity
    >>> np.allclose(m, [[1, 0, 0], [0, 1, 0]])
    True
    """
    points = np.asarray(landmarks, dtype=np.float64)
    if points.shape != (5, 2) or not np.isfinite(points).all():
        raise ShapeError(f"landmarks must be (5, 2) finite x, y rows, got shape {points.shape}")
    if size < 16 or not 0 <= padding <= 1:
        raise ParameterError(f"size must be ≥ 16 and padding in [0, 1], got size={size}, padding={padding}")
    dx, dy = points[1] - points[0]
    angle = -np.arctan2(dy, dx)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    rotated = points @ rotation.T  # (5, 2)
    target = template(size, padding)
    r_centred, q_centred = rotated - rotated.mean(axis=0), target - target.mean(axis=0)
    denominator = (r_centred**2).sum()
    if denominator < 1e-6:
        raise ParameterError("landmarks must not all coincide")
    scale = (r_centred * q_centred).sum() / denominator
    shift = target.mean(axis=0) - scale * rotated.mean(axis=0)
    return np.concatenate([scale * rotation, shift[:, None]], axis=1)


def align_face(
    image: np.ndarray, landmarks: np.ndarray, size: int = CROP_SIZE, padding: float = PADDING
) -> np.ndarray:
    """The aligned (size, size, 3) uint8 crop of the face with ``landmarks`` in an (H, W, 3) uint8 image.

    Bilinear sampling; when the face shrinks by more than 2x the photo is first reduced with area
    averaging so the crop does not alias. Pixels outside the photo are black.
    """
    image = check_rgb(image)
    matrix = alignment_matrix(landmarks, size, padding)
    scale = float(np.hypot(*matrix[:, 0]))
    if scale < 0.5:
        height, width = image.shape[:2]
        new_size = (max(1, round(width * scale * 2)), max(1, round(height * scale * 2)))
        image = cv2.resize(image, new_size, interpolation=cv2.INTER_AREA)
        matrix = matrix @ np.diag(
            [width / new_size[0], height / new_size[1], 1.0]
        )  # small px → photo px → crop
    return cv2.warpAffine(
        image, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
