"""Pictures for the detection page: boxes, grids, anchors, IoU, sliding windows (Pillow and plotly)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from cnn_core.detection.boxes import NmsStep, Overlap
from cnn_core.drawing import GREY, RED, Box, canvas, class_color, draw_boxes

#: The network input is drawn this many times larger, so that labels stay readable.
ZOOM = 2


def blob_image(blob: np.ndarray) -> np.ndarray:
    """The letterboxed network input (size, size, 3) float in [0, 1] as uint8, enlarged ZOOM times."""
    pixels = np.clip(np.rint(blob * 255), 0, 255).astype(np.uint8)
    return pixels.repeat(ZOOM, axis=0).repeat(ZOOM, axis=1)


def draw_grid(blob: np.ndarray, grid: int, cell: tuple[int, int] | None = None) -> np.ndarray:
    """The network input with its ``grid`` x ``grid`` cells drawn, and the chosen (row, col) cell filled."""
    picture, draw = canvas(blob_image(blob))
    step = picture.width / grid
    for k in range(1, grid):
        draw.line((k * step, 0, k * step, picture.height), fill=(255, 255, 255, 170), width=1)
        draw.line((0, k * step, picture.width, k * step), fill=(255, 255, 255, 170), width=1)
    if cell is not None:
        row, col = cell
        draw.rectangle(
            (col * step, row * step, (col + 1) * step, (row + 1) * step),
            fill=(255, 200, 0, 110),
            outline=(255, 200, 0),
            width=3,
        )
    return np.asarray(picture)


def draw_cell_anchors(
    blob: np.ndarray, grid: int, cell: tuple[int, int], anchors: np.ndarray, predicted: np.ndarray
) -> np.ndarray:
    """The anchors (A, 2) w, h centred on the cell (dashed grey) and the boxes predicted from them (A, 4)."""
    row, col = cell
    stride = blob.shape[0] / grid
    cx, cy = (col + 0.5) * stride, (row + 0.5) * stride
    centred = [np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]) * ZOOM for w, h in anchors]
    colors = [class_color(k + 7) for k in range(len(anchors))]
    labels = [f"anchor {k}: {w:g}x{h:g}" for k, (w, h) in enumerate(anchors)]
    with_anchors = draw_boxes(blob_image(blob), centred, [GREY] * len(centred), labels, width=2)
    return draw_boxes(with_anchors, predicted * ZOOM, colors, [f"box {k}" for k in range(len(predicted))])


def draw_nms_round(
    blob: np.ndarray,
    boxes: np.ndarray,
    class_ids: np.ndarray,
    steps: Sequence[NmsStep],
    current: int,
    names: Sequence[str],
) -> np.ndarray:
    """NMS after ``current`` + 1 rounds: earlier keeps in their class colour, the box kept this round thick,
    the boxes it suppresses red with their IoU, boxes still waiting thin grey. ``boxes``: (K, 4) network px.
    """
    done = {step.kept for step in steps[:current]}
    gone = {int(i) for step in steps[: current + 1] for i in step.suppressed}
    step = steps[current]
    waiting = [k for k in range(len(boxes)) if k not in done | gone and k != step.kept]
    layers = [
        (waiting, [GREY] * len(waiting), None, 1),
        (sorted(done), [class_color(class_ids[k]) for k in sorted(done)], None, 2),
        (list(step.suppressed), [RED] * len(step.suppressed), [f"IoU {v:.2f}" for v in step.ious], 2),
        ([step.kept], [class_color(class_ids[step.kept])], [f"kept: {names[class_ids[step.kept]]}"], 5),
    ]
    picture = blob_image(blob)
    for indices, colors, labels, width in layers:
        picture = draw_boxes(picture, [boxes[k] * ZOOM for k in indices], colors, labels, width)
    return picture


def iou_picture(a: Box, b: Box, overlap: Overlap, side: int = 100, scale: int = 4) -> np.ndarray:
    """Two boxes on a ``side`` x ``side`` canvas: A blue, B orange, the intersection filled green."""
    picture = Image.new("RGB", (side * scale, side * scale), "white")
    draw = ImageDraw.Draw(picture, "RGBA")
    for box, color in ((a, (40, 90, 220)), (b, (240, 140, 20))):
        draw.rectangle(tuple(v * scale for v in box), fill=(*color, 50), outline=color, width=3)
    if overlap.intersection_box is not None:
        draw.rectangle(tuple(v * scale for v in overlap.intersection_box), fill=(30, 170, 60, 150))
    return np.asarray(picture)


def anchors_figure(
    shapes: np.ndarray, labels: np.ndarray, centroids: np.ndarray, yolo: np.ndarray
) -> go.Figure:
    """Scatter of box shapes (w, h) by cluster, the k-means anchors and YOLOv3-tiny's anchors."""
    figure = go.Figure()
    for k, (w, h) in enumerate(centroids):
        members = shapes[labels == k]
        color = "rgb({}, {}, {})".format(*class_color(k))
        figure.add_scatter(
            x=members[:, 0],
            y=members[:, 1],
            mode="markers",
            name=f"cluster {k}",
            marker={"color": color, "size": 7, "opacity": 0.6},
        )
        figure.add_scatter(
            x=[w],
            y=[h],
            mode="markers",
            name=f"k-means anchor {k}: {w:.0f}x{h:.0f}",
            marker={"color": color, "size": 16, "symbol": "diamond", "line": {"width": 2}},
        )
    figure.add_scatter(
        x=yolo[:, 0],
        y=yolo[:, 1],
        mode="markers+text",
        name="YOLOv3-tiny anchors",
        text=[f"{w:g}x{h:g}" for w, h in yolo],
        textposition="top center",
        marker={"color": "black", "size": 14, "symbol": "x"},
    )
    figure.update_layout(
        xaxis_title="width (pixels of the 416 input)",
        yaxis_title="height",
        height=480,
        margin={"t": 30, "b": 40},
    )
    return figure


def windows_picture(n: int, window: int, stride: int, grid: int) -> np.ndarray:
    """An n x n image (one square per pixel) with every window position outlined in its own colour."""
    scale = max(8, 320 // n)
    picture = Image.new("RGB", (n * scale + 1, n * scale + 1), "white")
    draw = ImageDraw.Draw(picture, "RGBA")
    for k in range(n + 1):
        draw.line((k * scale, 0, k * scale, n * scale), fill=(225, 225, 225))
        draw.line((0, k * scale, n * scale, k * scale), fill=(225, 225, 225))
    for i in range(grid):
        for j in range(grid):
            x, y = j * stride * scale, i * stride * scale
            inset = (i * grid + j) % 4
            draw.rectangle(
                (x + inset, y + inset, x + window * scale - inset, y + window * scale - inset),
                outline=class_color(i * grid + j),
                width=2,
            )
    return np.asarray(picture)
