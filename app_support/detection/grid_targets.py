"""The "The notes' YOLO encoding" tab: the course's S x S x 8 target of the photo's objects, then with two
anchors S x S x 16, then how YOLOv3-tiny's real 13x13x3x85 and 26x26x3x85 outputs extend it."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection.localization import notes_objects
from app_support.detection.steps import Stage
from app_support.detection.target_plots import draw_targets
from app_support.shared.ui import run_tabs, show_error
from app_support.shared.url import IN_URL, bound_number, bound_slider
from cnn_core.detection.anchors import shape_iou
from cnn_core.detection.grid_targets import (
    DEFAULT_GRID,
    NOTES_ANCHORS,
    GridTarget,
    filled_cells,
    parse_boxes,
    yolo_target,
    yolov3_tiny_masks,
)
from cnn_core.detection.localization import ENTRIES, NOTES_CLASSES, RelativeBox
from cnn_core.detection.yolo import cell_vectors
from cnn_core.errors import CNNLabError

SOURCES = ("the detections on the photo", "my own boxes")
#: the own boxes' default: a pedestrian and a car whose midpoints share the centre cell of a 3x3 grid
OWN_BOXES = "pedestrian 0.45 0.5 0.4 0.1; car 0.55 0.6 0.2 0.5"
ANCHOR_NAMES = ("tall (pedestrian-like)", "wide (car-like)")


def _objects(stage: Stage) -> tuple[np.ndarray, np.ndarray, str] | None:
    """(N, 4) b_x, b_y, b_h, b_w, (N,) class ids and a sentence on where they come from; None on bad text."""
    source = st.radio("Objects", SOURCES, horizontal=True, key="det_enc_source", bind=IN_URL)
    if source == SOURCES[1]:
        text = st.text_input(
            "Boxes: class b_x b_y b_h b_w, separated by ';' (relative to the image)",
            OWN_BOXES,
            key="det_enc_boxes",
            bind=IN_URL,
        )
        try:
            boxes, ids = parse_boxes(text)
        except CNNLabError as err:
            show_error(err)
            return None
        return boxes, ids, f"{len(boxes)} box(es) you typed"
    objects = notes_objects(stage)
    kept = [item for item in objects if item.class_id is not None]
    others = sorted({item.detection.label for item in objects if item.class_id is None})
    boxes = np.array([[o.box.bx, o.box.by, o.box.bh, o.box.bw] for o in kept]).reshape(-1, 4)
    note = f"; not course classes, left out as background: {', '.join(others)}" if others else ""
    return boxes, np.array([o.class_id for o in kept], dtype=np.int64), f"{len(kept)} detection(s){note}"


def _relative(boxes: np.ndarray) -> list[RelativeBox]:
    return [RelativeBox(*row) for row in boxes.tolist()]


def _slot_text(values: np.ndarray) -> list[str]:
    return ["?" if np.isnan(v) else f"{v:.2f}".rstrip("0").rstrip(".") for v in values]


def _cells_table(target: GridTarget, every_cell: bool) -> pd.DataFrame:
    """One row per cell (and anchor): its 8 numbers, '?' for don't care."""
    grid = target.y.shape[0]
    filled = set(filled_cells(target))
    rows = []
    for row in range(grid):
        for col in range(grid):
            for anchor in range(target.anchors):
                if every_cell or (row, col, anchor) in filled:
                    where = {"cell (row, col)": f"({row}, {col})"}
                    if target.anchors > 1:
                        where["anchor"] = anchor + 1
                    rows.append(
                        {
                            **where,
                            **dict(zip(ENTRIES, _slot_text(target.slot(row, col, anchor)), strict=True)),
                        }
                    )
    return pd.DataFrame(rows)


def _picture(
    stage: Stage, boxes: np.ndarray, ids: np.ndarray, target: GridTarget, grid: int, anchors=None
) -> None:
    labels = []
    for item in target.assignments:
        slot = f", anchor {item.anchor + 1}" if anchors is not None else ""
        lost = " (lost)" if item.dropped_for is not None else ""
        labels.append(f"{item.index + 1} {NOTES_CLASSES[ids[item.index]]}: cell {item.cell}{slot}{lost}")
    shapes = None if anchors is None else [tuple(anchors[item.anchor]) for item in target.assignments]
    picture = draw_targets(
        stage.photo.pixels, _relative(boxes), ids.tolist(), labels, grid=grid, anchors=shapes
    )
    st.image(
        picture, width="stretch", caption=f"the {grid}x{grid} grid, each object's box and midpoint (dot)"
    )


def _one_vector(stage: Stage, boxes: np.ndarray, ids: np.ndarray, grid: int) -> None:
    target = yolo_target(boxes, ids, grid)
    st.markdown(
        f"Each object goes to the cell holding its **midpoint**; there b_x, b_y are measured inside the cell "
        f"(0..1) and b_h, b_w in cell sizes (they can exceed 1). Target: **{grid}x{grid}x8**."
    )
    left, right = st.columns([2, 3])
    with left:
        _picture(stage, boxes, ids, target, grid)
    with right:
        _clashes(target, ids)
        every = st.toggle("Show the empty cells too", True, key="det_enc_every", bind=IN_URL)
        st.dataframe(_cells_table(target, every), hide_index=True, height=320)


def _clashes(target: GridTarget, ids: np.ndarray) -> None:
    """A warning for each object the target had no room for, or a line saying none was lost."""
    slot = "cell" if target.anchors == 1 else "(cell, anchor) slot"
    dropped = [item for item in target.assignments if item.dropped_for is not None]
    for item in dropped:
        st.warning(
            f"Object {item.index + 1} ({NOTES_CLASSES[ids[item.index]]}) shares cell {item.cell}"
            + (f", anchor {item.anchor + 1}" if target.anchors > 1 else "")
            + f" with object {item.dropped_for + 1}: the target has room for one, so it is lost. The course "
            "notes that YOLO does not handle this case well.",
            icon="⚠️",
        )
    if not dropped:
        st.caption(f"Every object has a {slot} of its own: nothing is lost.")


def _anchor_controls() -> np.ndarray:
    """Width and height of the two anchors, four sliders in one row; returns (2, 2) w, h."""
    columns = iter(st.columns(4))
    values = []
    for name, (width, height) in zip(ANCHOR_NAMES, NOTES_ANCHORS.tolist(), strict=True):
        short = name.split()[0]
        for part, default in (("w", width), ("h", height)):
            values.append(
                bound_slider(
                    f"{short} anchor {part}", f"det_enc_{short}_{part}", default, 0.01, where=next(columns)
                )
            )
    return np.array(values).reshape(2, 2)


def _two_anchors(stage: Stage, boxes: np.ndarray, ids: np.ndarray, grid: int) -> None:
    st.markdown(
        "Two anchors per cell, a **tall** (pedestrian-like) and a **wide** (car-like) one, as fractions of "
        "the image: each object goes to its midpoint's cell **and** to the anchor whose shape has the "
        f"highest IoU with its box (both centred together). Target: **{grid}x{grid}x16**, two 8-vectors "
        "per cell."
    )
    anchors = _anchor_controls()
    target = yolo_target(boxes, ids, grid, anchors)
    left, right = st.columns([2, 3])
    with left:
        _picture(stage, boxes, ids, target, grid, anchors)
    with right:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "object": f"{item.index + 1} {NOTES_CLASSES[ids[item.index]]}",
                        "cell": str(item.cell),
                        "IoU tall": round(float(item.ious[0]), 3),
                        "IoU wide": round(float(item.ious[1]), 3),
                        "anchor": f"{item.anchor + 1} ({ANCHOR_NAMES[item.anchor].split()[0]})",
                    }
                    for item in target.assignments
                ],
                columns=["object", "cell", "IoU tall", "IoU wide", "anchor"],
            ),
            hide_index=True,
        )
        _clashes(target, ids)
        every = st.toggle("Show the empty cells too", False, key="det_enc_every16", bind=IN_URL)
        st.dataframe(_cells_table(target, every), hide_index=True, height=280)


def _outputs_table(stage: Stage, anchors: np.ndarray, masks: list[list[int]]) -> pd.DataFrame:
    """One row per output scale: the raw tensor's shape on this image, its cells and its anchors."""
    size = stage.network.placement.size
    rows = []
    for index, out in enumerate(stage.network.outputs):  # (S, S, A, 5 + C)
        grid, _, count, width = out.shape
        rows.append(
            {
                "output": index + 1,
                "raw tensor (batch, S, S, A·(5 + C))": str((1, grid, grid, count * width)),
                "as S x S x A x (5 + C)": "x".join(map(str, out.shape)),
                "cell (pixels)": size // grid,
                "anchors (w x h pixels)": ", ".join(f"{w:g}x{h:g}" for w, h in anchors[masks[index]]),
                "cfg mask": ", ".join(map(str, masks[index])),
            }
        )
    return pd.DataFrame(rows)


def _origins_table(stage: Stage, anchors: np.ndarray, masks: list[list[int]]) -> pd.DataFrame:
    """One row per detection: the scale, cell and anchor that produced it, that slot's vector in the
    course's form, and the anchor of all K whose shape fits the box best."""
    network, sel = stage.network, stage.selection
    candidates = network.candidates
    rows = []
    for step, detection in zip(sel.steps, sel.detections, strict=True):
        k = int(sel.box_index[step.kept])  # the candidate that produced the detection
        head, row, col, anchor = (
            int(v[k]) for v in (candidates.head, candidates.row, candidates.col, candidates.anchor)
        )
        x1, y1, x2, y2 = candidates.boxes[k]
        ious = shape_iou(np.array([[x2 - x1, y2 - y1]]), anchors)[0]  # (K,)
        y = cell_vectors(network.outputs[head], stage.detector.heads[head], row, col, network.placement.size)
        grid, used = network.outputs[head].shape[0], masks[head][anchor]
        rows.append(
            {
                "detection": f"{detection.label} {detection.score:.2f}",
                "scale": f"{grid}x{grid}",
                "cell (row, col)": f"({row}, {col})",
                "anchor": f"{anchor + 1} = cfg {used}: {anchors[used][0]:g}x{anchors[used][1]:g}",
                "p_c, b_x, b_y, b_h, b_w (cell units)": ", ".join(f"{v:.2f}" for v in y[anchor, :5]),
                f"best-IoU anchor of all {len(anchors)}": f"cfg {int(np.argmax(ious))} ({ious.max():.2f})",
            }
        )
    return pd.DataFrame(rows)


def _yolov3_tiny(stage: Stage) -> None:
    anchors, masks = yolov3_tiny_masks()
    size, classes = stage.network.placement.size, len(stage.detector.names)
    st.markdown(
        f"YOLOv3-tiny does the same with more of everything, on its {size}x{size} input: two grids, "
        f"{len(masks[0])} anchors per cell (chosen from the cfg's {len(anchors)} by each output's `mask`), "
        f"{classes} COCO classes, so each anchor's vector has 4 box + 1 objectness + {classes} classes = "
        f"{5 + classes} numbers."
    )
    st.dataframe(_outputs_table(stage, anchors, masks), hide_index=True)
    if not stage.selection.detections:
        st.info(f"No cell to point at: {stage.nothing_found} (in Photo and thresholds).")
        return
    st.dataframe(_origins_table(stage, anchors, masks), hide_index=True)
    slots = sum(out.shape[0] ** 2 * out.shape[2] for out in stage.network.outputs)
    st.caption(
        f"Which of the {slots:,} (cell, anchor) slots produced each of the {len(stage.selection.detections)} "
        "detection(s) above, with that slot's vector in the course's form (p_c = objectness). In training, "
        f"YOLOv3 gives each object to the one anchor of all {len(anchors)} whose shape fits it best (last "
        "column)."
    )


@st.fragment
def encoding(stage: Stage | None) -> None:
    """The course's grid target of the photo's objects (S x S x 8, then S x S x 16) and YOLOv3-tiny's."""
    if stage is None:
        st.info("Choose a photo in Photo and thresholds to encode its objects.")
        return
    top = st.columns([1, 3])
    grid = bound_number("Grid S (S x S cells)", "det_enc_grid", DEFAULT_GRID, where=top[0])
    with top[1]:
        objects = _objects(stage)
    if objects is None:
        return
    boxes, ids, origin = objects
    st.caption(f"Objects: {origin}. Classes: 1 pedestrian, 2 car, 3 motorcycle.")
    run_tabs(
        [
            ("One vector per cell", partial(_one_vector, stage, boxes, ids, grid)),
            ("Two anchors per cell", partial(_two_anchors, stage, boxes, ids, grid)),
            ("YOLOv3-tiny's outputs", partial(_yolov3_tiny, stage)),
        ],
        key="det_enc_step",
    )
