"""Pictures for the Landmarks tab: the 68 points on an enlarged face, and every face on the whole photo."""

from __future__ import annotations

import numpy as np
from PIL import Image

from app_support.faces.plots import draw_faces
from cnn_core.drawing import GREY, canvas, font
from cnn_core.faces.landmarks import FaceLandmarks

POINT_COLOUR = (230, 30, 60)
MTCNN_COLOUR = (0, 200, 255)
#: longer side of the enlarged face in pixels; shown about 400 px wide, its 12-pixel numbers stay readable
ZOOM_SIDE = 520
#: the enlarged view shows the face box plus this fraction of its size on every side
MARGIN = 0.2


def zoom_window(found: FaceLandmarks, width: int, height: int) -> tuple[int, int, int, int]:
    """Photo pixels (x0, y0, x1, y1) around the face box and all 68 points, grown by MARGIN, clipped."""
    x1, y1, x2, y2 = found.face.box
    left, top = min(x1, found.points[:, 0].min()), min(y1, found.points[:, 1].min())
    right, bottom = max(x2, found.points[:, 0].max()), max(y2, found.points[:, 1].max())
    grow = MARGIN * max(right - left, bottom - top)
    return (
        max(0, int(left - grow)),
        max(0, int(top - grow)),
        min(width, int(np.ceil(right + grow))),
        min(height, int(np.ceil(bottom + grow))),
    )


def draw_zoom(
    image: np.ndarray, found: FaceLandmarks, *, numbers: bool, mtcnn: bool
) -> tuple[np.ndarray, float]:
    """The face enlarged to ZOOM_SIDE: its 68 points as red dots (numbered 1..68 when ``numbers``) and,
    when ``mtcnn``, MTCNN's 5 points as cyan rings; and the enlargement factor."""
    x0, y0, x1, y1 = zoom_window(found, image.shape[1], image.shape[0])
    scale = ZOOM_SIDE / max(x1 - x0, y1 - y0)
    size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    enlarged = np.asarray(Image.fromarray(image[y0:y1, x0:x1]).resize(size, Image.Resampling.BICUBIC))
    picture, draw = canvas(enlarged)

    def at(points: np.ndarray) -> np.ndarray:
        return (np.asarray(points) - [x0, y0]) * scale  # (K, 2) photo px → enlarged px

    text_font = font(12)
    for number, (x, y) in enumerate(at(found.points), start=1):
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=POINT_COLOUR, outline="white")
        if numbers:
            draw.text(
                (x + 4, y - 6), str(number), fill="white", font=text_font, stroke_width=2, stroke_fill="black"
            )
    if mtcnn:
        for x, y in at(found.face.landmarks):
            draw.ellipse((x - 7, y - 7, x + 7, y + 7), outline=MTCNN_COLOUR, width=3)
    return np.asarray(picture), scale


def draw_photo(image: np.ndarray, found: list[FaceLandmarks], chosen: int) -> np.ndarray:
    """The whole photo: every face's box and MTCNN's 5 points (``plots.draw_faces``), and its 68 points as
    small dots, the chosen face's red and the others grey."""
    faces = [item.face for item in found]
    picture, draw = canvas(draw_faces(image, faces, chosen))
    radius = max(1, round(max(image.shape[:2]) / 400))
    for item in found:
        colour = POINT_COLOUR if item.index == chosen else GREY
        for x, y in item.points:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return np.asarray(picture)
