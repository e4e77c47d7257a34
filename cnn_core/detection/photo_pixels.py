"""The photo and its working copy: the page computes on a copy at most ``WORKING_SIDE`` pixels long and
reports every box in the photo's own pixels.

A W x H photo is shrunk to w x h = ``scaled_size(W, H, WORKING_SIDE)`` when it is larger; a box found on
the copy maps back to the photo by each axis's own ratio (rounding makes the two differ slightly):

    x = x' · W / w,  y = y' · H / h
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from cnn_core.detection.pipeline import Detection
from cnn_core.images import MIN_WORKING_SIDE, WORKING_SIDE, check_scaled_size, scaled_size


def working_copy(photo: np.ndarray, side: int = WORKING_SIDE) -> np.ndarray:
    """``photo`` (H, W, 3) uint8 shrunk (Lanczos) so that its longer side is at most ``side``; the photo
    itself when it already fits. A strip that shrinking would make thinner than ``MIN_WORKING_SIDE`` is
    refused (``check_scaled_size``), as ``decode_image`` refuses it when it shrinks on reading.

    >>> working_copy(np.zeros((720, 1280, 3), np.uint8)).shape
    (576, 1024, 3)
    """
    height, width = photo.shape[:2]
    if max(height, width) <= side:
        return photo
    check_scaled_size(width, height, side, min_side=MIN_WORKING_SIDE, purpose="every network here")
    size = scaled_size(width, height, side)
    return np.asarray(Image.fromarray(photo).resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0))


def to_photo_pixels(
    detections: Sequence[Detection], copy_shape: tuple[int, ...], photo_shape: tuple[int, ...]
) -> list[Detection]:
    """``detections`` found on a copy of shape (h, w, …) with their boxes in the photo's (H, W, …) pixels:
    x · W / w and y · H / h.

    >>> found = [Detection("person", 0, 0.9, (100.0, 50.0, 1024.0, 576.0))]
    >>> to_photo_pixels(found, (576, 1024, 3), (720, 1280, 3))[0].box
    (125.0, 62.5, 1280.0, 720.0)
    """
    sy, sx = photo_shape[0] / copy_shape[0], photo_shape[1] / copy_shape[1]
    return [replace(d, box=(d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy)) for d in detections]
