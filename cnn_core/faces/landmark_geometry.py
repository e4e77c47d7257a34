"""What the 68 points mean, and how the eyes set the alignment of ``cnn_core.faces.align``.

The 68 points follow the iBUG 300-W markup (Sagonas et al., 2013), numbered 1..68: jaw 1–17, eyebrows
18–22 and 23–27, nose 28–36, eyes 37–42 and 43–48, lips 49–68. "Left" and "right" below are as seen in
the image (the person's right eye is on the image's left).

Alignment rotates the photo so that the eye centres e_L, e_R lie on one horizontal line, then scales it
so the face fits dlib's template:

    tilt α = atan2(e_R,y − e_L,y, e_R,x − e_L,x),   rotation θ = −α,
    scale ≈ (template eye distance) / ‖e_R − e_L‖

``align.alignment_matrix`` takes e_L, e_R from MTCNN's two eye points; the 68-point eyes give the eye
centres as the mean of each eye's six points (how dlib defines the eyes of its template).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.errors import ShapeError
from cnn_core.faces.align import alignment_matrix, template
from cnn_core.faces.landmarks import POINTS

#: the regions of the markup: (name, first point, last point), 1-based and inclusive
REGIONS: tuple[tuple[str, int, int], ...] = (
    ("jaw", 1, 17),
    ("eyebrow (image left)", 18, 22),
    ("eyebrow (image right)", 23, 27),
    ("nose bridge", 28, 31),
    ("nostrils", 32, 36),
    ("eye (image left)", 37, 42),
    ("eye (image right)", 43, 48),
    ("outer lips", 49, 60),
    ("inner lips", 61, 68),
)
#: 1-based first and last point of each eye, image left then image right
EYES = ((37, 42), (43, 48))


def region_of(number: int) -> str:
    """The region of point ``number`` (1..68).

    >>> region_of(1), region_of(37), region_of(68)
    ('jaw', 'eye (image left)', 'inner lips')
    """
    for name, first, last in REGIONS:
        if first <= number <= last:
            return name
    raise ShapeError(f"a point number must be in 1..{POINTS}, got {number}")


def _checked(points: np.ndarray) -> np.ndarray:
    points = np.asarray(points, np.float64)
    if points.shape != (POINTS, 2):
        raise ShapeError(f"points must be ({POINTS}, 2) x, y rows, got shape {points.shape}")
    return points


def eye_centres(points: np.ndarray) -> np.ndarray:
    """(2, 2): the mean of points 37–42 (image left) and of 43–48 (image right) of (68, 2) points."""
    points = _checked(points)
    return np.stack([points[first - 1 : last].mean(axis=0) for first, last in EYES])


def tilt_degrees(left_eye: np.ndarray, right_eye: np.ndarray) -> float:
    """α = atan2(Δy, Δx) of the line from the left to the right eye, in degrees (image y points down, so
    a positive α means the right eye is lower).

    >>> tilt_degrees(np.array([0.0, 0.0]), np.array([10.0, 10.0]))
    45.0
    """
    dx, dy = np.asarray(right_eye, np.float64) - np.asarray(left_eye, np.float64)
    return float(np.degrees(np.arctan2(dy, dx)))


@dataclass(frozen=True)
class EyeAlignment:
    """How the eyes of one face set its alignment, from the 68 points and from MTCNN's 5 points.

    ``tilt_68`` / ``tilt_mtcnn``: α in degrees; ``eye_distance_68`` / ``eye_distance_mtcnn``: ‖e_R − e_L‖
    in photo pixels; ``template_eye_distance``: the eyes' distance in dlib's 150x150 template;
    ``rotation`` and ``scale``: θ (degrees) and s of the matrix ``align.alignment_matrix`` builds (its s is
    the least-squares fit of all five MTCNN points to the template, not the eyes alone)."""

    eyes_68: np.ndarray
    eyes_mtcnn: np.ndarray
    tilt_68: float
    tilt_mtcnn: float
    eye_distance_68: float
    eye_distance_mtcnn: float
    template_eye_distance: float
    rotation: float
    scale: float

    @property
    def eyes_only_scale(self) -> float:
        """The scale the eyes alone would give: template eye distance / MTCNN's eye distance."""
        return self.template_eye_distance / self.eye_distance_mtcnn

    @property
    def eye_gaps(self) -> np.ndarray:
        """(2,) pixels between each MTCNN eye point and the matching 68-point eye centre."""
        return np.linalg.norm(self.eyes_68 - self.eyes_mtcnn, axis=1)


def eye_alignment(points: np.ndarray, mtcnn_points: np.ndarray) -> EyeAlignment:
    """Compare the eyes of (68, 2) ``points`` with MTCNN's (5, 2) ``mtcnn_points`` (left eye, right eye,
    nose, mouth left, mouth right) and the alignment built from the latter."""
    eyes_68 = eye_centres(points)
    mtcnn_points = np.asarray(mtcnn_points, np.float64)
    matrix = alignment_matrix(mtcnn_points)  # (2, 3) = [s·R(θ) | t]
    eyes_mtcnn = mtcnn_points[:2]
    target = template()
    return EyeAlignment(
        eyes_68=eyes_68,
        eyes_mtcnn=eyes_mtcnn,
        tilt_68=tilt_degrees(*eyes_68),
        tilt_mtcnn=tilt_degrees(*eyes_mtcnn),
        eye_distance_68=float(np.linalg.norm(eyes_68[1] - eyes_68[0])),
        eye_distance_mtcnn=float(np.linalg.norm(eyes_mtcnn[1] - eyes_mtcnn[0])),
        template_eye_distance=float(np.linalg.norm(target[1] - target[0])),
        rotation=float(np.degrees(np.arctan2(matrix[1, 0], matrix[0, 0]))),
        scale=float(np.hypot(matrix[0, 0], matrix[1, 0])),
    )
