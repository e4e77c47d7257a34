"""Box overlap and greedy non-max suppression, vectorised with numpy.

Boxes are (x1, y1, x2, y2) with x2 ≥ x1 and y2 ≥ y1; a box with zero width or height has zero area and
overlaps nothing. Intersection over union (course: "Intersection Over Union"):

    IoU(A, B) = |A ∩ B| / |A ∪ B| = I / (area A + area B − I),  and 0 when the union is empty.

Greedy NMS (course: "Non-max Suppression"): take the highest-scoring remaining box, keep it, and
discard every remaining box whose IoU with it exceeds the threshold; repeat. Per-class NMS runs the same
loop but a kept box only suppresses boxes of its own class. Ties in score keep the lower index first,
as ``tf.image.non_max_suppression`` does. MTCNN's last stage measures overlap as I / min(area A, area B)
instead (``kind="min"``), so that a box lying inside a kept one is dropped too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from cnn_core.errors import ParameterError, ShapeError

#: How overlap is measured: I / |A ∪ B| ("iou") or I / min(|A|, |B|) ("min").
OverlapKind = Literal["iou", "min"]


@dataclass(frozen=True)
class Overlap:
    """The pieces of one IoU: intersection box (or None), and the three areas."""

    intersection_box: tuple[float, float, float, float] | None
    intersection: float
    union: float
    iou: float


@dataclass(frozen=True)
class NmsStep:
    """One round of greedy NMS: the box kept and the boxes it removed, with their IoU against it."""

    kept: int
    suppressed: np.ndarray  # (k,) indices into the original boxes
    ious: np.ndarray  # (k,) overlap (IoU unless kind="min") of each suppressed box with the kept one


def as_boxes(boxes: ArrayLike, name: str = "boxes") -> np.ndarray:
    """Validate (N, 4) x1, y1, x2, y2 boxes and return them as float64.

    >>> as_boxes([[0, 0, 1, 1]]).dtype
    dtype('float64')
    >>> as_boxes([1, 2, 3])
    Traceback (most recent call last):
    ...
    cnn_core.errors.ShapeError: boxes must have shape (N, 4) as x1, y1, x2, y2, got (3,)
    """
    array = np.asarray(boxes, dtype=np.float64)
    if array.size == 0:
        array = array.reshape(0, 4)
    if array.ndim != 2 or array.shape[1] != 4:
        raise ShapeError(f"{name} must have shape (N, 4) as x1, y1, x2, y2, got {array.shape}")
    if not np.isfinite(array).all():
        raise ShapeError(f"{name} must be finite numbers")
    return array


def box_area(boxes: np.ndarray) -> np.ndarray:
    """Areas of (N, 4) boxes, (N,); inverted boxes count as empty.

    >>> box_area(np.array([[0, 0, 2, 3], [1, 1, 1, 5]])).tolist()
    [6.0, 0.0]
    """
    boxes = as_boxes(boxes)
    return np.clip(boxes[:, 2] - boxes[:, 0], 0, None) * np.clip(boxes[:, 3] - boxes[:, 1], 0, None)


def iou_matrix(a: np.ndarray, b: np.ndarray, kind: OverlapKind = "iou") -> np.ndarray:
    """Pairwise IoU of (N, 4) boxes ``a`` and (M, 4) boxes ``b`` → (N, M); I / min(area) for kind="min".

    >>> iou_matrix(np.array([[0, 0, 2, 2]]), np.array([[1, 1, 3, 3], [0, 0, 2, 2], [5, 5, 6, 6]]))
    array([[0.14285714, 1.        , 0.        ]])
    >>> iou_matrix(np.array([[0, 0, 4, 4]]), np.array([[1, 1, 3, 3]]), kind="min")
    array([[1.]])
    """
    a, b = as_boxes(a, "a"), as_boxes(b, "b")
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])  # (N, M, 2)
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])  # (N, M, 2)
    sides = np.clip(bottom_right - top_left, 0, None)
    inter = sides[..., 0] * sides[..., 1]  # (N, M)
    area_a, area_b = box_area(a)[:, None], box_area(b)[None, :]  # (N, 1), (1, M)
    if kind == "min":
        denominator = np.minimum(area_a, area_b)
    elif kind == "iou":
        denominator = area_a + area_b - inter  # the union
    else:
        raise ParameterError(f"kind must be 'iou' or 'min', got {kind!r}")
    return np.divide(inter, denominator, out=np.zeros_like(inter), where=denominator > 0)


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> Overlap:
    """Intersection box and areas of two boxes, for drawing the IoU.

    >>> overlap((0, 0, 2, 2), (1, 1, 3, 3))
    Overlap(intersection_box=(1.0, 1.0, 2.0, 2.0), intersection=1.0, union=7.0, iou=0.14285714285714285)
    """
    pair = as_boxes([a, b])
    x1, y1 = np.maximum(pair[0, :2], pair[1, :2])
    x2, y2 = np.minimum(pair[0, 2:], pair[1, 2:])
    inter = float(max(x2 - x1, 0.0) * max(y2 - y1, 0.0))
    union = float(box_area(pair).sum() - inter)
    box = (float(x1), float(y1), float(x2), float(y2)) if x2 > x1 and y2 > y1 else None
    return Overlap(box, inter, union, inter / union if union > 0 else 0.0)


def check_iou_threshold(iou_threshold: float) -> float:
    """The IoU threshold of NMS as a float in [0, 1]; ParameterError otherwise."""
    if not 0.0 <= iou_threshold <= 1.0:
        raise ParameterError(f"IoU threshold must be in [0, 1], got {iou_threshold}")
    return float(iou_threshold)


def nms_steps(
    boxes: np.ndarray,
    scores: np.ndarray,
    iou_threshold: float,
    class_ids: np.ndarray | None = None,
    *,
    kind: OverlapKind = "iou",
) -> list[NmsStep]:
    """Greedy NMS recorded round by round (see the module docstring).

    ``boxes``: (N, 4) x1, y1, x2, y2; ``scores``: (N,); ``class_ids``: (N,) ints for per-class NMS, or
    None to treat all boxes as one class. A box is suppressed when IoU (or the ``kind`` of overlap) >
    ``iou_threshold``. Each round costs one vectorised overlap of the kept box against the remaining ones.

    >>> steps = nms_steps(np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]]), [0.9, 0.8, 0.7], 0.5)
    >>> [(s.kept, s.suppressed.tolist(), s.ious.round(2).tolist()) for s in steps]
    [(0, [1], [0.81]), (2, [], [])]
    """
    boxes = as_boxes(boxes)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if scores.shape[0] != boxes.shape[0]:
        raise ShapeError(
            f"scores must have one value per box: {boxes.shape[0]} boxes, {scores.shape[0]} scores"
        )
    threshold = check_iou_threshold(iou_threshold)
    classes = np.zeros(len(boxes), dtype=np.int64) if class_ids is None else np.asarray(class_ids).reshape(-1)
    if classes.shape[0] != boxes.shape[0]:
        raise ShapeError(
            f"class_ids must have one value per box: {boxes.shape[0]} boxes, {classes.shape[0]} ids"
        )
    remaining = np.argsort(-scores, kind="stable")
    steps = []
    while remaining.size:
        kept, rest = remaining[0], remaining[1:]
        ious = iou_matrix(boxes[kept : kept + 1], boxes[rest], kind)[0]  # (len(rest),)
        hit = (ious > threshold) & (classes[rest] == classes[kept])
        steps.append(NmsStep(int(kept), rest[hit], ious[hit]))
        remaining = rest[~hit]
    return steps


def nms(
    boxes: np.ndarray,
    scores: np.ndarray,
    iou_threshold: float,
    class_ids: np.ndarray | None = None,
    *,
    kind: OverlapKind = "iou",
) -> np.ndarray:
    """Indices of the boxes greedy NMS keeps, best score first; arguments as in ``nms_steps``.

    >>> nms(np.array([[0, 0, 10, 10], [1, 1, 10, 10], [1, 1, 10, 10]]), [0.9, 0.8, 0.7], 0.5, [0, 0, 1])
    array([0, 2])
    """
    return np.array(
        [step.kept for step in nms_steps(boxes, scores, iou_threshold, class_ids, kind=kind)], dtype=np.int64
    )
