"""The detection page's "step by step" section: YOLO's seven stages on the current image, one tab each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection.cache import drawn_once
from app_support.detection.plots import (
    NMS_LEGEND,
    ZOOM,
    blob_image,
    draw_cell_anchors,
    draw_grid,
    draw_nms_round,
)
from app_support.shared.image_picker import Picture
from app_support.shared.ui import run_tabs
from app_support.shared.url import IN_URL, bound_number, bound_slider
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
    photo: Picture  # the copy of the photo the network's boxes belong to, for the tabs that use its pixels
    nothing_found: str  # why no box survived (the score threshold, the class filter), for an empty result
    photo_name: str  # the sample's name, or "your photo"

    @property
    def grids(self) -> list[int]:
        return [out.shape[0] for out in self.network.outputs]

    def pick_cell(self) -> tuple[int, int, int]:
        """Output scale and cell (row, col); starts on the cell of the best detection."""
        head0, row0, col0 = _default_cell(self.network, self.selection)
        grids = self.grids
        self.restart_with_new_photo(["det_head", "det_row_0", "det_col_0", "det_row_1", "det_col_1"])
        columns = st.columns(3)
        head = columns[0].radio(
            "Output scale",
            range(len(grids)),
            index=head0,
            key="det_head",
            format_func=lambda h: f"{grids[h]}x{grids[h]} grid",
            horizontal=True,
            bind=IN_URL,
        )
        top = grids[head] - 1
        start = (row0, col0) if head == head0 else (top // 2, top // 2)
        row = bound_number("Cell row", f"det_row_{head}", start[0], where=columns[1], high=top)
        col = bound_number("Cell column", f"det_col_{head}", start[1], where=columns[2], high=top)
        return head, row, col

    def restart_with_new_photo(self, keys: list[str]) -> None:
        """Forget the values of ``keys`` (in the session and the URL) when the photo or input size changed
        since the last run, so those widgets start from the new photo's defaults (its best detection); a
        link opened in a new session keeps its values."""
        if st.session_state.get("det_photo_tag", self.tag) != self.tag:
            for key in keys:
                st.session_state.pop(key, None)
                st.query_params.pop(key, None)
        st.session_state["det_photo_tag"] = self.tag

    def picture(
        self, boxes: np.ndarray, class_ids: np.ndarray, labels: list[str] | None, width: int, caption: str
    ) -> None:
        """The network input with (K, 4) network-pixel boxes in their class colours, labels inside it."""
        picture = draw_boxes(
            blob_image(self.network.blob),
            boxes * ZOOM,
            [class_color(c) for c in class_ids],
            labels or [None] * len(boxes),
            width,
        )
        st.image(picture, caption=caption, width="stretch")


def _grid(stage: Stage) -> None:
    head, row, col = stage.pick_cell()
    st.markdown(
        "The network's output scales cut its input into a coarse grid (large objects) and a fine grid "
        f"(small ones); every cell of the {stage.grids[head]}x{stage.grids[head]} grid predicts "
        f"{len(stage.detector.heads[head].anchors)} boxes."
    )
    size = stage.network.placement.size
    cells = [(row, col) if h == head else None for h in range(len(stage.grids))]
    pictures = [  # the same cell on another run: the same picture, not drawn or encoded again
        drawn_once("det_grid", (stage.tag, g, cell), partial(draw_grid, stage.network.blob, g, cell))
        for g, cell in zip(stage.grids, cells, strict=True)
    ]
    for column, picture, g in zip(st.columns(len(pictures)), pictures, stage.grids, strict=True):
        column.image(picture, caption=f"{g}x{g} cells of {size // g} pixels", width="stretch")


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
    st.image(draw_cell_anchors(stage.network.blob, grid, (row, col), anchors, predicted), width="stretch")


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
    tiny = bound_slider("Tiny threshold", "det_tiny", 0.01, 0.001, format="%.3f")
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
        st.info(f"Nothing to suppress: {stage.nothing_found}.")
        return
    current = 0
    if len(sel.steps) > 1:
        rounds = f"det_nms_round_{len(sel.steps)}"
        stage.restart_with_new_photo([rounds])
        current = bound_slider("NMS round", rounds, 1, high=len(sel.steps)) - 1
    step = sel.steps[current]
    st.markdown(
        f"Round {current + 1} of {len(sel.steps)}: keep **{names[sel.class_id[step.kept]]}** "
        f"{sel.score[step.kept]:.2f}; it suppresses **{len(step.suppressed)}** box(es)."
    )
    left, right = st.columns([3, 2])
    boxes = stage.network.candidates.boxes[sel.box_index]  # (K, 4) network pixels
    left.image(
        draw_nms_round(stage.network.blob, boxes, sel.class_id, sel.steps, current, names), width="stretch"
    )
    left.markdown(NMS_LEGEND)
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
        st.info("Choose a photo to follow YOLO through it, stage by stage.")
        return
    run_tabs([(name, partial(view, stage)) for name, view in STEPS.items()], key="det_step")
