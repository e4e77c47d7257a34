"""The "Localization" tab: the course's target y = [p_c, b_x, b_y, b_h, b_w, c_1, c_2, c_3] for one object
of the photo (or a box the learner sets, or no object), a prediction ŷ, and both of the course's losses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection.steps import Stage
from app_support.detection.target_plots import draw_targets
from app_support.shared.bounds import bound_of
from app_support.shared.layout import show_at_width
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from cnn_core.detection.localization import (
    ENTRIES,
    NOTES_CLASSES,
    LossTerms,
    RelativeBox,
    mixed_loss,
    near_miss,
    notes_class,
    squared_error_loss,
    target_vector,
)
from cnn_core.detection.pipeline import Detection
from cnn_core.errors import CNNLabError

SOURCES = ("a detection on the photo", "my own box", "no object (p_c = 0)")
#: the own box's defaults: a pedestrian-sized box left of centre
OWN_BOX = RelativeBox(0.4, 0.55, 0.6, 0.2)
#: session-state key: the target y the ŷ inputs were last set from
YHAT_FOR = "det_loc_yhat_for"
#: the photo is drawn at most this tall (pixels), so the losses stay on a projector's screen
PICTURE_HEIGHT = 200


@dataclass(frozen=True)
class NotesObject:
    """A detection seen through the course's 3 classes: its box relative to the photo and its class id
    (None when the COCO class is not pedestrian, car or motorcycle)."""

    detection: Detection
    box: RelativeBox
    class_id: int | None

    @property
    def name(self) -> str:
        return self.detection.label if self.class_id is None else NOTES_CLASSES[self.class_id]


def notes_objects(stage: Stage) -> list[NotesObject]:
    """The page's detections (best first), with COCO's person → pedestrian, car → car, motorbike →
    motorcycle."""
    placement = stage.network.placement
    return [
        NotesObject(
            d, RelativeBox.from_corners(d.box, placement.width, placement.height), notes_class(d.label)
        )
        for d in stage.selection.detections
    ]


def _option(index: int, item: NotesObject) -> str:
    mapped = f"→ {item.name}" if item.class_id is not None else "→ not a course class"
    return f"{index + 1} · {item.detection.label} {item.detection.score:.2f} {mapped}"


def _chosen_object(stage: Stage) -> tuple[RelativeBox | None, int | None, str]:
    """The box and class the learner picked, and a sentence saying what y describes."""
    source = st.radio("The object", SOURCES, key="det_loc_source", bind=IN_URL)
    if source == SOURCES[2]:
        return None, None, "No object of the 3 classes: p_c = 0 and every other entry is '?' (don't care)."
    if source == SOURCES[1]:
        columns = st.columns(2) + st.columns(2)  # two rows of two, in reading order when stacked
        box = RelativeBox(
            *(
                bound_slider(text, f"det_loc_{name}", default, 0.01, where=column)
                for column, (name, text, default) in zip(
                    columns,
                    (
                        ("bx", "b_x (midpoint, from the left)", OWN_BOX.bx),
                        ("by", "b_y (midpoint, from the top)", OWN_BOX.by),
                        ("bh", "b_h (height)", OWN_BOX.bh),
                        ("bw", "b_w (width)", OWN_BOX.bw),
                    ),
                    strict=True,
                )
            )
        )
        class_id = st.radio(
            "Class",
            range(len(NOTES_CLASSES)),
            format_func=lambda k: f"{k + 1} {NOTES_CLASSES[k]}",
            horizontal=True,
            key="det_loc_class",
            bind=IN_URL,
        )
        return box, class_id, f"Your box, class {class_id + 1} ({NOTES_CLASSES[class_id]})."
    objects = notes_objects(stage)
    if not objects:
        st.info(
            f"No detection to label: {stage.nothing_found} (in Photo and thresholds), or set your own box."
        )
        return None, None, "Nothing detected, so y describes background: p_c = 0."
    options = [_option(k, item) for k, item in enumerate(objects)]
    chosen = objects[options.index(st.selectbox("Detection", options, key="det_loc_pick", bind=IN_URL))]
    if chosen.class_id is None:
        return (
            None,
            None,
            f"A {chosen.detection.label} is not among the course's 3 classes (pedestrian, car, "
            "motorcycle), so for this network it is background: p_c = 0.",
        )
    return (
        chosen.box,
        chosen.class_id,
        f"The {chosen.detection.label} detection as class {chosen.class_id + 1}.",
    )


def _prediction(y: np.ndarray) -> np.ndarray:
    """Eight number inputs for ŷ, in the URL; they start at (and jump back to, when y changes) a near
    miss of y."""
    keys = [f"det_loc_yhat_{k}" for k in range(len(y))]
    signature = repr(np.round(y, 4).tolist())
    previous = st.session_state.get(YHAT_FOR)
    start = near_miss(y)
    for key, value in zip(keys, start, strict=True):
        # a new y resets ŷ; a fresh widget (first visit, or back from another tab) takes the link's value
        if (previous is not None and previous != signature) or (
            key not in st.session_state and key not in st.query_params
        ):
            st.session_state[key] = round(float(value), 2)
    st.session_state[YHAT_FOR] = signature
    columns = st.columns(4) + st.columns(4)  # two rows of four, in reading order when stacked
    return np.array(
        [
            column.number_input(
                f"ŷ {name}",
                min_value=bound_of(key).low,
                max_value=bound_of(key).high,
                step=0.05,
                format="%.2f",
                key=key,
                bind=IN_URL,
            )
            for column, key, name in zip(columns, keys, ENTRIES, strict=True)
        ]
    )


def _number(value: float) -> str:
    return "?" if np.isnan(value) else f"{value:.3g}"


def _terms(loss: LossTerms) -> list[str]:
    return [
        "—" if kind == "ignored" else f"{term:.4f}" for term, kind in zip(loss.terms, loss.kinds, strict=True)
    ]


def _losses(y: np.ndarray, y_hat: np.ndarray) -> None:
    """The table of y, ŷ and each loss's term per entry, with the totals in its last row."""
    squared = squared_error_loss(y, y_hat)
    try:
        mixed: LossTerms | None = mixed_loss(y, y_hat)
    except CNNLabError as err:
        mixed = None
        show_error(err)
    dashes = ["—"] * len(y)
    table = pd.DataFrame(
        {
            "entry": [*ENTRIES, "total"],
            "y": [_number(v) for v in y] + [""],
            "ŷ": [f"{v:.2f}" for v in y_hat] + [""],
            "(ŷ − y)²": [*_terms(squared), f"{squared.total:.4f}"],
            "course's variant": [
                *(_terms(mixed) if mixed else dashes),
                f"{mixed.total:.4f}" if mixed else "—",
            ],
            "kind": [*(mixed.kinds if mixed else dashes), ""],
        }
    )
    st.dataframe(table, hide_index=True)
    if y[0] == 1.0:
        st.caption(
            f"p_c = 1: the squared error sums all 8 terms, {squared.total:.4f}. The variant: −log ŷ₁ for "
            "p_c, squared errors for the box, −log q for the true class (q = ŷ's class entries divided by "
            "their sum, the softmax probabilities)."
        )
    else:
        st.caption(
            f"p_c = 0: only the first entry counts, (ŷ₁ − y₁)² = {squared.total:.4f}, or −log(1 − ŷ₁) in "
            "the variant; the '?' entries are ignored."
        )


@st.fragment
def localization(stage: Stage | None) -> None:
    """The course's localization target for one object of the photo, a prediction and its two losses."""
    if stage is None:
        st.info("Choose a photo in Photo and thresholds to label one of its objects.")
        return
    st.markdown(
        "**y = [p_c, b_x, b_y, b_h, b_w, c₁, c₂, c₃]** for the course's classes 1 pedestrian, 2 car, "
        "3 motorcycle: box midpoint and size relative to the image, (0, 0) top-left, (1, 1) bottom-right."
    )
    controls, result = st.columns([2, 3])
    with controls:
        box, class_id, sentence = _chosen_object(stage)
        try:
            y = target_vector(box, class_id)
        except CNNLabError as err:
            show_error(err)
            return
        st.code("y = [" + ", ".join(_number(v) for v in y) + "]", language=None, wrap_lines=True)
        st.markdown("**A prediction ŷ** (a near miss of y to start with):")
        y_hat = _prediction(y)
    with result:
        image = stage.photo.pixels
        if box is not None:
            text = f"{NOTES_CLASSES[class_id]} ({class_id + 1})" if class_id is not None else ""
            image = draw_targets(image, [box], [class_id], [text])
        height, width = image.shape[:2]
        show_at_width(image, min(480, round(PICTURE_HEIGHT * width / height)), sentence)
        _losses(y, y_hat)
