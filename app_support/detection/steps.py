"""The detection page's "step by step" section: YOLO's seven stages on the current image, one tab each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection.plots import ZOOM, blob_image, draw_cell_anchors, draw_grid, draw_nms_round
from app_support.shared.image_picker import Picture
from app_support.shared.ui import run_tabs
from cnn_core.detection.pipeline import NetworkPass, Selection
from cnn_core.detection.yolo import cell_vectors, class_scores
from cnn_core.detection.yolov3_tiny import YoloV3Tiny
from cnn_core.drawing import class_color, draw_boxes


def _default_cell(network: NetworkPass, selection: Selection) -> tuple[int, int, int]:
    """(head, row, col) of the best detection, or of the most confident anchor when nothing was kept."""
    c = network.candidates
    best = selection.box_index[selection.steps[0].kept] if selection.steps else int(np.argmax(c.objectness))
    return int(c.head[best]), int(c.row[best]), int(c.col[best])


@dataclass(frozen=True)
class Stage:
    """What every step-by-step view needs: the current image's network pass and selection."""

    network: NetworkPass
    selection: Selection
    detector: YoloV3Tiny
    score: float
    tag: str  # identifies the image and input size, so per-image widgets start from its own defaults
    photo: Picture | None = None  # the photo itself, for the tabs that work on its own pixels

    @property
    def grids(self) -> list[int]:
        return [out.shape[0] for out in self.network.outputs]

    def pick_cell(self) -> tuple[int, int, int]:
        """Output scale and cell (row, col); starts on the cell of the best detection."""
        head0, row0, col0 = _default_cell(self.network, self.selection)
        grids = self.grids
        columns = st.columns(3)
        head = columns[0].radio(
            "Output scale",
            range(len(grids)),
            index=head0,
            key=f"det_head_{self.tag}",
            format_func=lambda h: f"{grids[h]}x{grids[h]} grid",
            horizontal=True,
        )
        top = grids[head] - 1
        start = (row0, col0) if head == head0 else (top // 2, top // 2)
        row = columns[1].number_input("Cell row", 0, top, start[0], key=f"det_row_{self.tag}_{head}")
        col = columns[2].number_input("Cell column", 0, top, start[1], key=f"det_col_{self.tag}_{head}")
        return head, int(row), int(col)

    def picture(
        self, boxes: np.ndarray, class_ids: np.ndarray, labels: list[str] | None, width: int, caption: str
    ) -> None:
        """The network input with (K, 4) network-pixel boxes in their class colours."""
        picture = draw_boxes(
            blob_image(self.network.blob), boxes * ZOOM, [class_color(c) for c in class_ids], labels, width
        )
        st.image(picture, caption=caption, width=560)


def _grid(stage: Stage) -> None:
    head, row, col = stage.pick_cell()
    st.markdown(
        "The network's output scales cut its input into a coarse grid (large objects) and a fine grid "
        f"(small ones); every cell of the {stage.grids[head]}x{stage.grids[head]} grid predicts "
        f"{len(stage.detector.heads[head].anchors)} boxes."
    )
    size = stage.network.placement.size
    pictures = [
        draw_grid(stage.network.blob, g, (row, col) if h == head else None) for h, g in enumerate(stage.grids)
    ]
    st.image(pictures, caption=[f"{g}x{g} cells of {size // g} pixels" for g in stage.grids], width=420)


def _anchors(stage: Stage) -> None:
    head, row, col = stage.pick_cell()
    c = stage.network.candidates
    anchors = stage.detector.heads[head].anchors
    grid = stage.grids[head]
    st.markdown(
        f"Cell ({row}, {col}) of the {grid}x{grid} grid owns {len(anchors)} anchor shapes (grey, centred "
        "on the cell); the network only predicts how to shift and stretch them."
    )
    st.latex(r"b_x = \sigma(t_x) + c_x,\ b_y = \sigma(t_y) + c_y,\ b_w = p_w e^{t_w},\ b_h = p_h e^{t_h}")
    predicted = c.boxes[(c.head == head) & (c.row == row) & (c.col == col)]  # (A, 4)
    st.image(draw_cell_anchors(stage.network.blob, grid, (row, col), anchors, predicted), width=560)


def _one_cell(stage: Stage) -> None:
    head, row, col = stage.pick_cell()
    names = stage.detector.names
    y = cell_vectors(
        stage.network.outputs[head], stage.detector.heads[head], row, col, stage.network.placement.size
    )  # (A, 5 + C)
    table = pd.DataFrame(
        y,
        columns=["p_c", "b_x", "b_y", "b_h", "b_w", *[f"c_{name}" for name in names]],
        index=[f"anchor {a}" for a in range(len(y))],
    )
    st.markdown(
        f"The course's vector **y = [p_c, b_x, b_y, b_h, b_w, c_1 … c_{len(names)}]** for each anchor of the "
        "cell (b_x, b_y inside the cell, b_h, b_w in cell units, p_c = σ(t_o), c_k = σ(t_k))."
    )
    classes = y[:, 5:]
    summary = table.iloc[:, :5].assign(
        best_class=[names[k] for k in classes.argmax(axis=1)], c_best=classes.max(axis=1)
    )
    summary["score = p_c × c_best"] = summary["p_c"] * summary["c_best"]
    st.dataframe(summary.style.format(precision=3))
    with st.expander(f"All {y.shape[1]} numbers per anchor"):
        st.dataframe(table.style.format(precision=3))


def _candidates(stage: Stage) -> None:
    tiny = st.slider("Tiny threshold", 0.001, 0.2, 0.01, 0.001, format="%.3f", key="det_tiny")
    box_index, class_id, _ = class_scores(stage.network.candidates, tiny)
    stage.picture(
        stage.network.candidates.boxes[box_index],
        class_id,
        None,
        1,
        f"{len(box_index):,} (box, class) pairs scoring above {tiny:.3f}, out of "
        f"{len(stage.network.candidates.boxes):,} boxes × {len(stage.detector.names)} classes",
    )


def _thresholded(stage: Stage) -> None:
    sel, names = stage.selection, stage.detector.names
    labels = [f"{names[c]} {s:.2f}" for c, s in zip(sel.class_id, sel.score, strict=True)]
    stage.picture(
        stage.network.candidates.boxes[sel.box_index],
        sel.class_id,
        labels,
        2,
        f"{len(sel.box_index):,} pairs above the score threshold {stage.score:.2f}",
    )


def _nms(stage: Stage) -> None:
    sel, names = stage.selection, stage.detector.names
    st.markdown(
        "Greedy NMS, per class: keep the best remaining box, drop every box of its class with IoU above "
        "the threshold, repeat."
    )
    if not sel.steps:
        st.info("No boxes above the score threshold, so there is nothing to suppress.")
        return
    current = 0
    if len(sel.steps) > 1:
        current = (
            st.slider("NMS round", 1, len(sel.steps), 1, key=f"det_nms_{stage.tag}_{len(sel.steps)}") - 1
        )
    step = sel.steps[current]
    st.markdown(
        f"Round {current + 1} of {len(sel.steps)}: keep **{names[sel.class_id[step.kept]]}** "
        f"{sel.score[step.kept]:.2f}; it suppresses **{len(step.suppressed)}** box(es)."
    )
    left, right = st.columns([3, 2])
    boxes = stage.network.candidates.boxes[sel.box_index]  # (K, 4) network pixels
    left.image(draw_nms_round(stage.network.blob, boxes, sel.class_id, sel.steps, current, names), width=560)
    right.dataframe(
        pd.DataFrame(
            {
                "suppressed box": [names[sel.class_id[k]] for k in step.suppressed],
                "score": sel.score[step.suppressed].round(3),
                "IoU with kept box": step.ious.round(3),
            }
        ),
        hide_index=True,
    )


def _final(stage: Stage) -> None:
    sel = stage.selection
    st.markdown(
        f"After NMS: **{len(sel.detections)}** object(s), boxes mapped back from the "
        f"{stage.network.placement.size}-pixel input to the photo: x = (x' − dx) / scale."
    )
    kept = [step.kept for step in sel.steps]
    stage.picture(
        stage.network.candidates.boxes[sel.box_index[kept]],
        sel.class_id[kept],
        [f"{d.label} {d.score:.2f}" for d in sel.detections],
        3,
        "the final detections",
    )


STEPS = {
    "1 · Grid": _grid,
    "2 · Anchors": _anchors,
    "3 · One cell": _one_cell,
    "4 · Candidates": _candidates,
    "5 · Score threshold": _thresholded,
    "6 · Non-max suppression": _nms,
    "7 · Final": _final,
}


@st.fragment
def step_by_step(stage: Stage | None) -> None:
    """The seven stages of YOLO on the current image (a hint when there is none); only the open stage is
    drawn, and its controls rerun only this section."""
    if stage is None:
        st.info("Pick an image above to follow YOLO through it.")
        return
    run_tabs([(name, partial(view, stage)) for name, view in STEPS.items()], key="det_step")
