"""Where box labels go: inside the image, and never on top of one another.

A label is a w x h rectangle. Its preferred place is on the box's top edge, just above it
(x = x1, y = y1 − h), as detectors draw them; where that leaves the image it is moved inside:

    x = clamp(x1, 0, W − w),  y = y1 − h if y1 − h ≥ 0 else clamp(y1, 0, H − h)

Several labels are placed greedily in the order given (the most important first): each takes the first
of its candidate places (above the box, inside its top edge, under its bottom edge, inside its bottom
edge, then every row of the image from the top) that overlaps no label placed before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from cnn_core.errors import ParameterError

#: x, y (top-left corner) of a label
Place = tuple[float, float]
#: x1, y1, x2, y2
Rect = tuple[float, float, float, float]


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), max(low, high))


def label_place(box: Sequence[float], size: tuple[float, float], image: tuple[int, int]) -> Place:
    """Top-left corner of a ``size`` = (w, h) label for ``box`` x1, y1, x2, y2 in an ``image`` = (W, H):
    above the box where there is room, else inside its top edge; shifted left so it ends inside the image.

    >>> label_place((370, 50, 395, 90), (40, 12), (400, 300))  # at the right edge: moved left
    (360, 38)
    >>> label_place((10, 5, 60, 40), (40, 12), (400, 300))  # no room above: inside the top edge
    (10, 5)
    """
    w, h = size
    width, height = image
    if w <= 0 or h <= 0:
        raise ParameterError(f"a label's size must be positive, got {w}x{h}")
    x1, y1 = box[0], box[1]
    x = _clamp(x1, 0, width - w)
    y = y1 - h if y1 - h >= 0 else _clamp(y1, 0, height - h)
    return x, y


def _candidates(box: Sequence[float], size: tuple[float, float], image: tuple[int, int]) -> list[Place]:
    """Places to try for one label, best first; all inside the image (where the label fits in it)."""
    w, h = size
    width, height = image
    x = _clamp(box[0], 0, width - w)
    rows = [box[1] - h, box[1], box[3], box[3] - h]  # above, inside top, under, inside bottom
    scan = [k * h for k in range(int(max(0, height - h) // h) + 1)]  # every row, from the top
    return [(x, y) for y in rows + scan if 0 <= y <= max(0, height - h)] or [label_place(box, size, image)]


def overlaps(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share an area (touching edges do not count).

    >>> overlaps((0, 0, 10, 10), (5, 5, 15, 15)), overlaps((0, 0, 10, 10), (10, 0, 20, 10))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    boxes: Sequence[Sequence[float]], sizes: Sequence[tuple[float, float]], image: tuple[int, int]
) -> list[Place]:
    """Top-left corners of one label per box (``sizes``: (w, h) each), in the image, none overlapping
    another (when the image has room: a label that fits nowhere free takes its preferred place).

    >>> place_labels([(10, 40, 100, 90), (12, 42, 100, 90)], [(50, 12), (50, 12)], (200, 200))
    [(10, 28), (12, 42)]
    """
    if len(boxes) != len(sizes):
        raise ParameterError(f"one label size per box is needed, got {len(sizes)} for {len(boxes)} boxes")
    placed: list[Rect] = []
    for box, (w, h) in zip(boxes, sizes, strict=True):
        options = _candidates(box, (w, h), image)
        free = (p for p in options if not any(overlaps((p[0], p[1], p[0] + w, p[1] + h), r) for r in placed))
        x, y = next(free, label_place(box, (w, h), image))
        placed.append((x, y, x + w, y + h))
    return [(r[0], r[1]) for r in placed]
