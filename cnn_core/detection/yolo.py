"""YOLOv3 input and output: letterboxing, decoding the raw heads, mapping boxes back to the photo.

Decoding (Redmon & Farhadi 2018, "YOLOv3: An Incremental Improvement", eq. in §2.1): a head with an
S x S grid over a size x size input has stride s = size / S. For the cell at column c_x, row c_y and an
anchor of width p_w, height p_h (network pixels), the box centre, size and scores are

    b_x = (σ(t_x) + c_x)·s,  b_y = (σ(t_y) + c_y)·s,  b_w = p_w·e^{t_w},  b_h = p_h·e^{t_h},
    score(class k) = σ(t_o) · σ(t_k)        (objectness × class probability).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.errors import ParameterError
from cnn_core.images import check_rgb

#: Smallest image side accepted for detection: below this there is nothing for a 16-pixel cell to see.
MIN_SIDE = 32
LETTERBOX_GREY = 0.5


@dataclass(frozen=True)
class YoloHead:
    """One output scale: its anchors (A, 2) as (w, h) in network-input pixels, and the class count."""

    anchors: np.ndarray
    classes: int


@dataclass(frozen=True)
class Letterbox:
    """How the photo was placed on the square network input: scaled by ``scale``, offset (dx, dy)."""

    size: int
    scale: float
    dx: int
    dy: int
    width: int
    height: int


@dataclass(frozen=True)
class Candidates:
    """Every decoded anchor box of every head (N = Σ S²·A boxes; 2,535 for YOLOv3-tiny at 416).

    ``boxes``: (N, 4) x1, y1, x2, y2 in network-input pixels; ``objectness``: (N,) σ(t_o);
    ``class_probs``: (N, C) σ(t_k); ``head``, ``row``, ``col``, ``anchor``: (N,) ints locating each box.
    """

    boxes: np.ndarray
    objectness: np.ndarray
    class_probs: np.ndarray
    head: np.ndarray
    row: np.ndarray
    col: np.ndarray
    anchor: np.ndarray


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^{−x}), computed without overflow.

    >>> sigmoid(np.array([0.0, -1000.0, 1000.0]))
    array([0.5, 0. , 1. ])
    """
    x = np.asarray(x)
    return np.exp(-np.logaddexp(0.0, -x)).astype(x.dtype if x.dtype.kind == "f" else np.float64)


def check_size(size: int) -> int:
    """The network input side: a whole multiple of 32 between 128 and 1024 (416 by default).

    >>> check_size(400)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: size must be a multiple of 32 between 128 and 1024, got 400
    """
    if isinstance(size, bool) or not isinstance(size, int) or size % 32 or not 128 <= size <= 1024:
        raise ParameterError(f"size must be a multiple of 32 between 128 and 1024, got {size!r}")
    return size


def check_score_threshold(threshold: float) -> float:
    """The score threshold as a float in [0, 1); ParameterError otherwise.

    >>> check_score_threshold(1.5)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: score threshold must be in [0, 1), got 1.5
    """
    if not 0.0 <= threshold < 1.0:
        raise ParameterError(f"score threshold must be in [0, 1), got {threshold}")
    return float(threshold)


def letterbox(image: np.ndarray, size: int) -> tuple[np.ndarray, Letterbox]:
    """Resize ``image`` (H, W, 3) uint8 to fit ``size`` x ``size`` keeping its aspect, pad with grey.

    scale = min(size / W, size / H); the photo is resized bilinearly (as darknet does) to
    (round(W·scale), round(H·scale)) and centred on a 0.5-grey square. Returns the (size, size, 3)
    float32 RGB blob in [0, 1] and the placement.

    >>> blob, box = letterbox(np.zeros((50, 100, 3), np.uint8), 128)
    >>> blob.shape, box.scale, box.dx, box.dy, float(blob[0, 0, 0]), float(blob[64, 64, 0])
    ((128, 128, 3), 1.28, 0, 32, 0.5, 0.0)
    """
    import cv2

    image = check_rgb(image, min_side=MIN_SIDE, purpose="detection")
    size = check_size(size)
    height, width = image.shape[:2]
    scale = min(size / width, size / height)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    dx, dy = (size - new_w) // 2, (size - new_h) // 2
    blob = np.full((size, size, 3), LETTERBOX_GREY, dtype=np.float32)
    blob[dy : dy + new_h, dx : dx + new_w] = resized.astype(np.float32) / 255.0
    return blob, Letterbox(size, scale, dx, dy, width, height)


def decode(outputs: list[np.ndarray], heads: list[YoloHead], size: int) -> Candidates:
    """Decode raw head outputs into boxes and scores with the formulas in the module docstring.

    ``outputs``: one (S, S, A, 5 + C) array per head (t_x, t_y, t_w, t_h, t_o, t_1 … t_C).

    >>> head = YoloHead(np.array([[32.0, 64.0]]), classes=1)
    >>> raw = np.zeros((2, 2, 1, 6), np.float32)  # every t = 0: centred boxes equal to the anchor
    >>> c = decode([raw], [head], 64)
    >>> c.boxes[3].tolist(), float(c.objectness[3]), int(c.row[3]), int(c.col[3])
    ([32.0, 16.0, 64.0, 80.0], 0.5, 1, 1)
    """
    parts = []
    for index, (out, head) in enumerate(zip(outputs, heads, strict=True)):
        grid, _, anchors, _ = out.shape
        stride = size / grid
        rows, cols = np.meshgrid(np.arange(grid), np.arange(grid), indexing="ij")  # (S, S) each
        cx = (sigmoid(out[..., 0]) + cols[..., None]) * stride  # (S, S, A)
        cy = (sigmoid(out[..., 1]) + rows[..., None]) * stride
        w = head.anchors[:, 0] * np.exp(out[..., 2])  # (S, S, A) via the (A,) anchors
        h = head.anchors[:, 1] * np.exp(out[..., 3])
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)  # (S, S, A, 4)
        where = np.moveaxis(np.indices((grid, grid, anchors)), 0, -1)  # (S, S, A, 3): row, col, anchor
        parts.append(
            (
                boxes.reshape(-1, 4),
                sigmoid(out[..., 4]).reshape(-1),
                sigmoid(out[..., 5:]).reshape(-1, head.classes),
                np.full(grid * grid * anchors, index),
                where.reshape(-1, 3),
            )
        )
    boxes, objectness, probs, head_ids, where = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    return Candidates(boxes, objectness, probs, head_ids, where[:, 0], where[:, 1], where[:, 2])


def class_scores(candidates: Candidates, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (box, class) pairs whose score σ(t_o)·σ(t_k) is above ``threshold``, best first.

    Returns (box index (K,), class id (K,), score (K,)); darknet likewise emits one detection per box
    and class above the threshold, and non-max suppression then runs per class.
    """
    threshold = check_score_threshold(threshold)
    scores = candidates.objectness[:, None] * candidates.class_probs  # (N, C)
    box_index, class_id = np.nonzero(scores > threshold)
    picked = scores[box_index, class_id]
    order = np.argsort(-picked, kind="stable")
    return box_index[order], class_id[order], picked[order]


def to_original(boxes: np.ndarray, placement: Letterbox) -> np.ndarray:
    """Map (N, 4) x1, y1, x2, y2 boxes from network pixels to the photo's pixels, clipped to it.

    x = (x_net − dx) / scale, y = (y_net − dy) / scale.

    >>> to_original(np.array([[0.0, 32.0, 128.0, 96.0]]), Letterbox(128, 1.28, 0, 32, 100, 50))
    array([[  0.,   0., 100.,  50.]])
    """
    offset = np.array([placement.dx, placement.dy, placement.dx, placement.dy], dtype=np.float64)
    mapped = (np.asarray(boxes, dtype=np.float64) - offset) / placement.scale
    limits = np.array(
        [placement.width, placement.height, placement.width, placement.height], dtype=np.float64
    )
    return np.clip(mapped, 0.0, limits)


def cell_vectors(output: np.ndarray, head: YoloHead, row: int, col: int, size: int) -> np.ndarray:
    """The course's y = [p_c, b_x, b_y, b_h, b_w, c_1 … c_C] for each anchor of one grid cell.

    ``output``: the (S, S, A, 5 + C) raw head. b_x, b_y = σ(t_x), σ(t_y) are in cell units (0–1
    inside the cell); b_h, b_w = p_h·e^{t_h} / s, p_w·e^{t_w} / s are in cell units too (may exceed 1);
    p_c = σ(t_o) and c_k = σ(t_k). Returns (A, 5 + C).
    """
    grid = output.shape[0]
    if not (0 <= row < grid and 0 <= col < grid):
        raise ParameterError(f"cell (row, col) must lie in the {grid}x{grid} grid, got ({row}, {col})")
    stride = size / grid
    t = output[row, col].astype(np.float64)  # (A, 5 + C)
    h = head.anchors[:, 1] * np.exp(t[:, 3]) / stride
    w = head.anchors[:, 0] * np.exp(t[:, 2]) / stride
    columns = [sigmoid(t[:, 4]), sigmoid(t[:, 0]), sigmoid(t[:, 1]), h, w]
    return np.column_stack([*columns, sigmoid(t[:, 5:])])
