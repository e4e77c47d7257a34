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
#: what the styles of ``draw_nms_round`` mean (Streamlit's coloured-text markdown)
NMS_LEGEND = (
    "**Legend:** solid, class colour, labelled *kept* — the box this round keeps · :red[dashed red, "
    "labelled IoU] — the boxes it suppresses · thin, class colour — kept in earlier rounds · "
    ":gray[thin grey] — waiting for a later round"
)


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
    return draw_boxes(
        blob_image(blob),
        [*(predicted * ZOOM), *centred],
        colors[: len(predicted)] + [GREY] * len(centred),
        [f"box {k}" for k in range(len(predicted))] + labels,
        2,
        [False] * len(predicted) + [True] * len(centred),
    )


def draw_nms_round(
    blob: np.ndarray,
    boxes: np.ndarray,
    class_ids: np.ndarray,
    steps: Sequence[NmsStep],
    current: int,
    names: Sequence[str],
) -> np.ndarray:
    """NMS after ``current`` + 1 rounds (``NMS_LEGEND``): the box kept this round thick in its class colour,
    the boxes it suppresses dashed red with their IoU, earlier keeps thin in their class colour, boxes
    still waiting thin grey; labels never cover one another. ``boxes``: (K, 4) network pixels."""
    done = [step.kept for step in steps[:current]]
    gone = {int(i) for step in steps[: current + 1] for i in step.suppressed}
    step = steps[current]
    waiting = [k for k in range(len(boxes)) if k not in {*done, *gone, step.kept}]
    suppressed = [int(k) for k in step.suppressed]
    order = [step.kept, *suppressed, *done, *waiting]  # most important first: on top, labelled first
    colors = [class_color(class_ids[k]) for k in [step.kept, *suppressed, *done]] + [GREY] * len(waiting)
    colors[1 : 1 + len(suppressed)] = [RED] * len(suppressed)
    labels = [f"kept: {names[class_ids[step.kept]]}", *(f"IoU {v:.2f}" for v in step.ious)]
    labels += [None] * (len(done) + len(waiting))
    dashed = [False] + [True] * len(suppressed) + [False] * (len(done) + len(waiting))
    widths = [5] + [2] * (len(suppressed) + len(done)) + [1] * len(waiting)
    return draw_boxes(blob_image(blob), [boxes[k] * ZOOM for k in order], colors, labels, widths, dashed)


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
        height=440,
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
