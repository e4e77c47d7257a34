"""Which detected faces a photo is about: the default pick, and when a choice is worth offering.

MTCNN asks "is this window a face?" everywhere in the photo, so a one-person portrait with clutter can
yield a second, small and less certain "face" (a badge, a pattern on papers on a desk). A detection is
therefore a *candidate* when it is the largest face, or when it is both

- large enough: its side s_k ≥ ρ · s_max (ρ = ``RELATIVE_SIZE``, the largest face's side s_max), and
- certain enough: its O-Net probability p_k ≥ p_min (``SECONDARY_SCORE``; the detector itself keeps
  every window with p > 0.8).

The faces of a group photo are of similar size and near-certain, so they all stay candidates and the page
offers them; a portrait keeps exactly one candidate, so nothing needs choosing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from cnn_core.errors import ParameterError, ShapeError

#: ρ: a secondary face's side must be at least this fraction of the largest face's side
RELATIVE_SIZE = 0.35
#: p_min: a secondary face's O-Net probability must be at least this
SECONDARY_SCORE = 0.95


def candidate_faces(
    boxes: ArrayLike,
    scores: ArrayLike,
    *,
    relative_size: float = RELATIVE_SIZE,
    secondary_score: float = SECONDARY_SCORE,
) -> list[int]:
    """Indices of the candidate faces, in detection order: the largest face, and every other face with
    side s_k ≥ ρ · s_max and probability p_k ≥ p_min. A face's side is the shorter side of its box.

    boxes: (N, 4) x1, y1, x2, y2 in pixels; scores: (N,) O-Net probabilities in [0, 1].

    >>> boxes = [[100, 80, 280, 300], [700, 650, 753, 703], [500, 90, 640, 260]]
    >>> candidate_faces(boxes, [0.999, 0.91, 0.97])  # sides 180, 53, 140: the 53-px "face" is dropped
    [0, 2]
    """
    boxes = np.asarray(boxes, dtype=np.float64)
    boxes = boxes.reshape(0, 4) if boxes.size == 0 else boxes
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ShapeError(f"boxes must be (N, 4) x1, y1, x2, y2, got shape {boxes.shape}")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(boxes),):
        raise ShapeError(f"scores must be ({len(boxes)},), one per box, got shape {scores.shape}")
    if not 0 < relative_size <= 1:
        raise ParameterError(f"relative_size must be in (0, 1], got {relative_size}")
    if not 0 <= secondary_score <= 1:
        raise ParameterError(f"secondary_score must be in [0, 1], got {secondary_score}")
    if not len(boxes):
        return []
    sides = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])  # (N,)
    largest = int(np.argmax(sides))
    kept = (sides >= relative_size * sides[largest]) & (scores >= secondary_score)  # (N,)
    kept[largest] = True
    return np.flatnonzero(kept).tolist()
