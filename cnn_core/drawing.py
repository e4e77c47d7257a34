"""Boxes with labels drawn on an image (Pillow): what detectors and face finders show. Boxes are solid or
dashed; labels stay inside the image and apart (``cnn_core.label_placement``)."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from cnn_core.label_placement import place_labels

Box = Sequence[float]
Colour = tuple[int, int, int]
GREY: Colour = (150, 150, 150)
RED: Colour = (220, 40, 40)
GOLDEN_RATIO_FRACTION = 0.618033988749895


def class_color(class_id: int) -> Colour:
    """A fixed, well-spread colour per class id: hue = (id · 0.618…) mod 1, so neighbours differ.

    >>> class_color(0)
    (242, 36, 36)
    """
    red, green, blue = colorsys.hsv_to_rgb((class_id * GOLDEN_RATIO_FRACTION) % 1.0, 0.85, 0.95)
    return int(red * 255), int(green * 255), int(blue * 255)


def font(height: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font at ``height`` pixels (at least 10, so labels stay readable)."""
    return ImageFont.load_default(size=max(10, height))


def canvas(image: np.ndarray) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A copy of ``image`` (H, W, 3) uint8 as a Pillow picture, and a drawer that blends RGBA colours."""
    picture = Image.fromarray(image).convert("RGB")
    return picture, ImageDraw.Draw(picture, "RGBA")


def label(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    color: Colour,
    text_font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> None:
    """White ``text`` at ``xy`` on a filled box of ``color``."""
    left, top, right, bottom = draw.textbbox(xy, text, font=text_font)
    draw.rectangle((left - 2, top - 2, right + 2, bottom + 2), fill=color)
    draw.text(xy, text, fill="white", font=text_font)


#: padding around a label's text, in pixels
PAD = 2
#: labels are 1/LABEL_RATIO of the picture's longer side high, readable when it is shown a screen wide
LABEL_RATIO = 32


def _dashed_rectangle(draw: ImageDraw.ImageDraw, box: Box, color: Colour, width: int) -> None:
    """The outline of x1, y1, x2, y2 as dashes 3·width long with gaps of 2·width."""
    x1, y1, x2, y2 = box
    dash, gap = 3 * max(1, width), 2 * max(1, width)
    for (ax, ay), (bx, by) in (
        ((x1, y1), (x2, y1)),
        ((x2, y1), (x2, y2)),
        ((x2, y2), (x1, y2)),
        ((x1, y2), (x1, y1)),
    ):
        length = max(abs(bx - ax), abs(by - ay))
        for start in np.arange(0, length, dash + gap):
            end = min(start + dash, length)
            t0, t1 = start / length, end / length
            draw.line(
                (ax + (bx - ax) * t0, ay + (by - ay) * t0, ax + (bx - ax) * t1, ay + (by - ay) * t1),
                color,
                width,
            )


def draw_boxes(
    image: np.ndarray,
    boxes: Sequence[Box],
    colors: Sequence[Colour],
    labels: Sequence[str | None] | None = None,
    width: int | Sequence[int] = 3,
    dashed: Sequence[bool] | None = None,
) -> np.ndarray:
    """``image`` (H, W, 3) uint8 with x1, y1, x2, y2 boxes (image pixels) outlined, dashed where
    ``dashed`` says so, and labelled; ``width``: one line width, or one per box. Boxes come most important
    first: the first is drawn on top and its label is placed first (``place_labels``: inside the image,
    never over another). A None label, or no ``labels``, draws no label.

    >>> out = draw_boxes(np.zeros((40, 40, 3), np.uint8), [(2, 2, 30, 30)], [(220, 40, 40)], [None], 1)
    >>> out[2, 10].tolist(), out[20, 20].tolist()
    ([220, 40, 40], [0, 0, 0])
    """
    picture, draw = canvas(image)
    text_font = font(round(max(picture.size) / LABEL_RATIO))
    widths = [width] * len(boxes) if isinstance(width, int) else width
    styles = list(zip(boxes, colors, widths, dashed or [False] * len(boxes), strict=True))
    for box, color, line, is_dashed in reversed(styles):  # the first box on top
        if is_dashed:
            _dashed_rectangle(draw, box, color, line)
        else:
            draw.rectangle(tuple(box), outline=color, width=line)
    shown = [(k, text) for k, text in enumerate(labels or []) if text]
    extents = [draw.textbbox((0, 0), text, font=text_font) for _, text in shown]  # left, top, right, bottom
    sizes = [(r - left + 2 * PAD, b - t + 2 * PAD) for left, t, r, b in extents]
    places = place_labels([boxes[k] for k, _ in shown], sizes, picture.size)
    for (k, text), (x, y), (w, h), (left, t, _, _) in zip(shown, places, sizes, extents, strict=True):
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=colors[k])  # Pillow includes both ends
        draw.text((x + PAD - left, y + PAD - t), text, fill="white", font=text_font)
    return np.asarray(picture)
