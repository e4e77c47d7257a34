"""Pictures for the localization and YOLO-encoding tabs: the photo with relative boxes, their midpoints,
the course's grid and the anchors each object was matched to."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnn_core.detection.localization import RelativeBox
from cnn_core.drawing import GREY, canvas, class_color, font, label

WHITE_LINE = (255, 255, 255, 200)


def class_colour(class_id: int | None) -> tuple[int, int, int]:
    """The colour of a course class (0 pedestrian, 1 car, 2 motorcycle); grey for any other object."""
    return GREY if class_id is None else class_color(class_id)


def draw_targets(
    image: np.ndarray,
    boxes: Sequence[RelativeBox],
    class_ids: Sequence[int | None],
    labels: Sequence[str],
    *,
    grid: int | None = None,
    anchors: Sequence[tuple[float, float]] | None = None,
) -> np.ndarray:
    """``image`` (H, W, 3) uint8 with each box outlined and labelled, its midpoint as a dot, an optional
    ``grid`` x ``grid`` of cells, and per box an optional anchor (w, h as fractions of the image) centred
    on its midpoint, drawn thin and grey."""
    picture, draw = canvas(image)
    width, height = picture.size
    line = max(2, round(max(width, height) / 250))
    text_font = font(round(max(width, height) / 28))
    if grid:
        for k in range(1, grid):
            draw.line((k * width / grid, 0, k * width / grid, height), fill=WHITE_LINE, width=line)
            draw.line((0, k * height / grid, width, k * height / grid), fill=WHITE_LINE, width=line)
    for index, (box, class_id, text) in enumerate(zip(boxes, class_ids, labels, strict=True)):
        colour = class_colour(class_id)
        x, y = box.bx * width, box.by * height
        if anchors is not None:
            w, h = anchors[index]
            shape = RelativeBox(box.bx, box.by, h, w).corners(width, height)
            draw.rectangle(shape, outline=(230, 230, 230), width=max(1, line // 2))
        draw.rectangle(box.corners(width, height), outline=colour, width=line)
        radius = 2.5 * line
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour, outline="white")
        x1, y1, _, _ = box.corners(width, height)
        label(draw, (max(x1, 0) + 4, max(y1, 0) + 4), text, colour, text_font)
    return np.asarray(picture)
