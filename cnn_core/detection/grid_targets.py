"""The course's YOLO training target: an S x S grid of y vectors, one per anchor (course: "Bounding Box
Predictions", "Anchor Boxes", "YOLO Algorithm").

Each object (b_x, b_y, b_h, b_w relative to the image, a class of C) is assigned to the cell holding its
midpoint,

    col = ⌊b_x·S⌋,  row = ⌊b_y·S⌋   (a midpoint exactly on a cell edge belongs to the cell right of or
                                      below it; b_x = 1 or b_y = 1 to the last cell),

and, with anchors, to the anchor whose shape has the highest IoU with the object's, box and anchor centred
together (``anchors.shape_iou``). In that cell and anchor slot the target holds

    [1, b_x·S − col, b_y·S − row, b_h·S, b_w·S, one-hot class]

(midpoint relative to the cell, 0..1; height and width in cell sizes, which can exceed 1). Every other
slot is [0, ?, …, ?] (NaN for "?"). The target has shape (S, S, A·(5 + C)): 3x3x8 without anchors, 3x3x16
with the course's two. When two objects fall into the same cell and anchor the encoding cannot hold both:
the first one listed keeps the slot, and the other is recorded as dropped (the course: YOLO does not handle
this case well).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cnn_core.detection.anchors import shape_iou
from cnn_core.detection.localization import NOTES_CLASSES
from cnn_core.errors import ParameterError, ShapeError
from cnn_core.readers.darknet import read_cfg
from cnn_core.weights import weight_path

#: the course's grid: 3 x 3
DEFAULT_GRID = 3
#: the largest grid a target is built for (10,000 cells)
MAX_GRID = 100
#: the course's two anchors as (w, h) fractions of the image: a tall pedestrian-like and a wide car-like one
NOTES_ANCHORS = np.array([[0.15, 0.4], [0.4, 0.2]])
#: midpoints this close (in cell units) to a cell edge count as on it, so k/S lands in cell k
EDGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Assignment:
    """Where one object went: ``cell`` (row, col), ``anchor`` slot, the shape IoU with every anchor
    ``ious`` (A,) (empty without anchors), and ``dropped_for``: the object that already held the slot, or
    None when this object is in the target."""

    index: int
    cell: tuple[int, int]
    anchor: int
    ious: np.ndarray
    dropped_for: int | None


@dataclass(frozen=True)
class GridTarget:
    """``y`` (S, S, A·(5 + C)) with NaN for "?"; ``assignments``: one per object, in input order."""

    y: np.ndarray
    assignments: list[Assignment]
    anchors: int

    def slot(self, row: int, col: int, anchor: int) -> np.ndarray:
        """The (5 + C,) vector of one anchor slot of one cell."""
        width = self.y.shape[2] // self.anchors
        return self.y[row, col, anchor * width : (anchor + 1) * width]


def cell_of(bx: float, by: float, grid: int) -> tuple[int, int, float, float]:
    """Row, column and the midpoint relative to that cell, for a midpoint (b_x, b_y) relative to the image.

    >>> cell_of(0.5, 0.9, 3)
    (2, 1, 0.5, 0.7000000000000002)
    >>> cell_of(1 / 3, 1.0, 3)  # on the edge between columns 0 and 1; on the image's bottom edge
    (2, 1, 0.0, 1.0)
    """
    row, y_in = _axis(by, grid)
    col, x_in = _axis(bx, grid)
    return row, col, x_in, y_in


def _axis(value: float, grid: int) -> tuple[int, float]:
    scaled = value * grid
    nearest = round(scaled)
    if abs(scaled - nearest) < EDGE_TOLERANCE:
        scaled = float(nearest)
    index = min(int(np.floor(scaled)), grid - 1)
    return index, scaled - index


def check_grid(grid: int) -> int:
    """The grid side S: a whole number from 1 (one cell: plain localization) to MAX_GRID.

    >>> check_grid(0)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: grid must be a whole number between 1 and 100, got 0
    """
    if isinstance(grid, bool) or not isinstance(grid, int | np.integer) or not 1 <= grid <= MAX_GRID:
        raise ParameterError(f"grid must be a whole number between 1 and {MAX_GRID}, got {grid!r}")
    return int(grid)


def _check(boxes: ArrayLike, class_ids: ArrayLike, grid: int, classes: int) -> tuple[np.ndarray, np.ndarray]:
    check_grid(grid)
    array = np.asarray(boxes, dtype=np.float64)
    if array.size == 0:
        array = array.reshape(0, 4)
    if array.ndim != 2 or array.shape[1] != 4:
        raise ShapeError(f"boxes must have shape (N, 4) as b_x, b_y, b_h, b_w, got {array.shape}")
    if not np.isfinite(array).all():
        raise ParameterError(f"boxes must be finite numbers, got {array.tolist()}")
    if (array[:, :2] < 0).any() or (array[:, :2] > 1).any():
        raise ParameterError(f"box midpoints must lie in the image [0, 1], got {array[:, :2].tolist()}")
    if (array[:, 2:] <= 0).any():
        raise ParameterError(f"box heights and widths must be positive, got {array[:, 2:].tolist()}")
    ids = np.asarray(class_ids).reshape(-1)
    if ids.shape[0] != array.shape[0]:
        raise ShapeError(f"class_ids must have one id per box: {array.shape[0]} boxes, {ids.shape[0]} ids")
    if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= classes):
        raise ParameterError(f"class ids must be whole numbers in [0, {classes - 1}], got {ids.tolist()}")
    return array, ids.astype(np.int64)


def yolo_target(
    boxes: ArrayLike,
    class_ids: ArrayLike,
    grid: int = DEFAULT_GRID,
    anchors: ArrayLike | None = None,
    classes: int = len(NOTES_CLASSES),
) -> GridTarget:
    """The training target of the module docstring.

    ``boxes``: (N, 4) b_x, b_y, b_h, b_w relative to the image; ``class_ids``: (N,) in [0, classes);
    ``anchors``: (A, 2) w, h in the same units as the boxes' b_w, b_h (fractions of the image), or None
    for one vector per cell. Returns y of shape (grid, grid, A·(5 + classes)) and one Assignment per box.

    >>> target = yolo_target([[0.5, 0.5, 0.2, 0.6]], [1], 3, NOTES_ANCHORS)  # a wide car in the centre
    >>> target.y.shape, target.assignments[0].cell, target.assignments[0].anchor
    ((3, 3, 16), (1, 1), 1)
    >>> target.slot(1, 1, 1).round(2).tolist()
    [1.0, 0.5, 0.5, 0.6, 1.8, 0.0, 1.0, 0.0]
    """
    array, ids = _check(boxes, class_ids, grid, classes)
    shapes = None
    if anchors is not None:
        shapes = np.asarray(anchors, dtype=np.float64)
        if shapes.ndim != 2 or shapes.shape[1] != 2 or len(shapes) == 0:
            raise ShapeError(f"anchors must have shape (A, 2) as width, height, got {shapes.shape}")
        if not (np.isfinite(shapes).all() and (shapes > 0).all()):
            raise ParameterError(f"anchor widths and heights must be positive, got {shapes.tolist()}")
    count, width = (1 if shapes is None else len(shapes)), 5 + classes
    y = np.full((grid, grid, count, width), np.nan)  # (S, S, A, 5 + C)
    y[..., 0] = 0.0
    owner = np.full((grid, grid, count), -1)
    ious = np.zeros((len(array), 0)) if shapes is None else shape_iou(array[:, [3, 2]], shapes)  # (N, A)
    assignments = []
    for index, ((bx, by, bh, bw), class_id) in enumerate(zip(array, ids, strict=True)):
        row, col, x_in, y_in = cell_of(bx, by, grid)
        anchor = 0 if shapes is None else int(np.argmax(ious[index]))
        held = int(owner[row, col, anchor])
        if held < 0:
            owner[row, col, anchor] = index
            y[row, col, anchor] = [1.0, x_in, y_in, bh * grid, bw * grid, *np.eye(classes)[class_id]]
        assignments.append(Assignment(index, (row, col), anchor, ious[index], held if held >= 0 else None))
    return GridTarget(y.reshape(grid, grid, count * width), assignments, count)


def filled_cells(target: GridTarget) -> list[tuple[int, int, int]]:
    """(row, col, anchor) of every slot whose p_c = 1, in row-major order.

    >>> filled_cells(yolo_target([[0.9, 0.1, 0.2, 0.1]], [0], 3))
    [(0, 2, 0)]
    """
    grid = target.y.shape[0]
    return [
        (row, col, anchor)
        for row in range(grid)
        for col in range(grid)
        for anchor in range(target.anchors)
        if target.slot(row, col, anchor)[0] == 1.0
    ]


def parse_boxes(text: str, names: tuple[str, ...] = NOTES_CLASSES) -> tuple[np.ndarray, np.ndarray]:
    """Boxes typed as ``class b_x b_y b_h b_w`` separated by ";" (class: a name of ``names`` or its number
    from 1) → (N, 4) b_x, b_y, b_h, b_w and (N,) 0-based class ids.

    >>> parse_boxes("car 0.5 0.6 0.3 0.5; 1 0.1 0.2 0.5 0.1")
    (array([[0.5, 0.6, 0.3, 0.5],
           [0.1, 0.2, 0.5, 0.1]]), array([1, 0]))
    """
    boxes, ids = [], []
    for number, part in enumerate((p for p in text.split(";") if p.strip()), start=1):
        words = part.split()
        name = words[0].lower() if words else ""
        shown = _quote(part)
        if len(words) != 5:
            raise ParameterError(f"box {number} must be 'class b_x b_y b_h b_w', got {shown}")
        if name in names:
            ids.append(names.index(name))
        elif name.isdigit() and 1 <= int(name) <= len(names):
            ids.append(int(name) - 1)
        else:
            raise ParameterError(
                f"box {number}: the class must be one of {', '.join(names)}, got {_quote(words[0])}"
            )
        try:
            boxes.append([float(word) for word in words[1:]])
        except ValueError:
            raise ParameterError(f"box {number}: b_x, b_y, b_h, b_w must be numbers, got {shown}") from None
    array = np.array(boxes, dtype=np.float64).reshape(-1, 4)
    _check(array, np.array(ids, dtype=np.int64), 1, len(names))
    return array, np.array(ids, dtype=np.int64)


def _quote(text: str, limit: int = 40) -> str:
    """``text`` in quotes, cut to ``limit`` characters (a pasted page must not fill the message)."""
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + "…")


def yolov3_tiny_masks() -> tuple[np.ndarray, list[list[int]]]:
    """YOLOv3-tiny's anchors (K, 2) w, h in pixels of a 416 input, and, per output in model order, the
    indices (its cfg's ``mask``) of the anchors that output uses."""
    sections = [s for s in read_cfg(weight_path("yolov3-tiny.cfg")) if s.type == "yolo"]
    anchors = np.array(sections[0].as_ints("anchors"), dtype=np.float64).reshape(-1, 2)  # (K, 2)
    return anchors, [section.as_ints("mask") for section in sections]
