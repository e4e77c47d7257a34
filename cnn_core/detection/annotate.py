"""Detection pictures: each detection's box in its class colour, labelled with its class and score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnn_core.detection.pipeline import Detection
from cnn_core.drawing import class_color, draw_boxes


def line_width(shape: tuple[int, ...]) -> int:
    """Box outline width for an (H, W, …) image: max(2, round(max(H, W) / 250)) pixels."""
    return max(2, round(max(shape[:2]) / 250))


def draw_detections(image: np.ndarray, detections: Sequence[Detection]) -> np.ndarray:
    """``image`` (H, W, 3) uint8 with each detection's box outlined in its class colour, labelled
    'class score' inside the image; the line width grows with the image (``line_width``)."""
    return draw_boxes(
        image,
        [d.box for d in detections],
        [class_color(d.class_id) for d in detections],
        [f"{d.label} {d.score:.2f}" for d in detections],
        width=line_width(image.shape),
    )
