"""Boxes with labels drawn on an image (Pillow): what detectors and face finders show."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

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


def draw_boxes(
    image: np.ndarray,
    boxes: Sequence[Box],
    colors: Sequence[Colour],
    labels: Sequence[str] | None = None,
    width: int = 3,
) -> np.ndarray:
    """``image`` (H, W, 3) uint8 with x1, y1, x2, y2 boxes (image pixels) outlined and labelled.

    >>> draw_boxes(np.zeros((20, 20, 3), np.uint8), [(2, 2, 10, 10)], [RED], width=1)[2, 5].tolist()
    [220, 40, 40]
    """
    picture, draw = canvas(image)
    text_font = font(round(max(picture.size) / 45))
    size = getattr(text_font, "size", 10)
    for index, (box, color) in enumerate(zip(boxes, colors, strict=True)):
        x1, y1, x2, y2 = box
        draw.rectangle((x1, y1, x2, y2), outline=color, width=width)
        if labels:
            above = y1 - size - 6
            label(draw, (x1 + 3, above if above >= 0 else y1 + 3), labels[index], color, text_font)
    return np.asarray(picture)
