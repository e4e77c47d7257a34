"""The final detection picture: one coloured, labelled box per detection, in the photo's own pixels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnn_core.detection.pipeline import Detection
from cnn_core.drawing import class_color, draw_boxes


def draw_detections(image: np.ndarray, detections: Sequence[Detection]) -> np.ndarray:
    """``image`` (H, W, 3) uint8 with each detection's box outlined in its class colour, labelled
    'class score'; the line width grows with the image (max(H, W) / 250 pixels, at least 2)."""
    return draw_boxes(
        image,
        [d.box for d in detections],
        [class_color(d.class_id) for d in detections],
        [f"{d.label} {d.score:.2f}" for d in detections],
        width=max(2, round(max(image.shape[:2]) / 250)),
    )
