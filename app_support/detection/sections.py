"""The detection page above its tabs (photo, controls, annotated result, table, downloads, stage timings)
and the anchor tab, which reads the box shapes this session has detected."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection import demos
from app_support.detection.cache import detector, network_pass, sample_shapes
from app_support.detection.steps import Stage
from app_support.shared.image_picker import image_picker
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from app_support.shared.visitor_cache import fingerprint
from cnn_core.detection.annotate import draw_detections
from cnn_core.detection.pipeline import (
    DEFAULT_IOU,
    DEFAULT_SCORE,
    NetworkPass,
    Selection,
    detection_shapes,
    no_objects_message,
    payload,
    select,
    stage_ms,
)
from cnn_core.detection.yolov3_tiny import DEFAULT_SIZE
from cnn_core.errors import CNNLabError
from cnn_core.images import encode_png

SIZES = (256, 320, 416, 512, 608)
#: session-state key of the box shapes detected so far: {photo and input size: (N, 2) w, h}
SHAPES_KEY = "det_shapes"
#: how many (photo, input size) results of box shapes a session keeps
SHAPES_KEPT = 64


@dataclass(frozen=True)
class Controls:
    """The values of the page's main controls."""

    score: float
    iou: float
    size: int
    classes: list[int] | None  # None: every class


def controls(names: tuple[str, ...]) -> Controls:
    """Score and IoU thresholds, input size and class filter, all mirrored in the URL."""
    score = bound_slider("Score threshold (objectness × class probability)", "det_score", DEFAULT_SCORE, 0.01)
    iou = bound_slider("IoU threshold of non-max suppression", "det_iou", DEFAULT_IOU, 0.05)
    size = st.select_slider(
        "Network input size (pixels)", SIZES, value=DEFAULT_SIZE, key="det_size", bind=IN_URL
    )
    chosen = st.multiselect(
        "Only these classes",
        names,
        key="det_classes",
        placeholder=f"all {len(names)} COCO classes",
        bind=IN_URL,
    )
    return Controls(score, iou, size, [names.index(name) for name in chosen] or None)


def results(image: np.ndarray, network: NetworkPass, selection: Selection, score: float) -> None:
    """The annotated photo, the table of detections, downloads and the time of each stage."""
    ms = stage_ms(network, selection)
    if not selection.detections:
        st.info(no_objects_message(score), icon="🔍")
    annotated = draw_detections(image, selection.detections)
    left, right = st.columns([3, 2])
    left.image(annotated, caption=f"{len(selection.detections)} object(s) found", width="stretch")
    with right:
        table = pd.DataFrame(
            [
                {
                    "class": d.label,
                    "score": round(d.score, 3),
                    "box x1, y1, x2, y2": ", ".join(f"{v:.0f}" for v in d.box),
                }
                for d in selection.detections
            ],
            columns=["class", "score", "box x1, y1, x2, y2"],
        )
        st.dataframe(table, hide_index=True)
        st.download_button(
            "Download annotated PNG",
            partial(encode_png, annotated),  # encoded only when clicked
            "detections.png",
            "image/png",
            key="det_png",
            on_click="ignore",
        )
        st.download_button(
            "Download detections (JSON)",
            json.dumps(payload(selection.detections, ms), indent=2),
            "detections.json",
            "application/json",
            key="det_json",
            on_click="ignore",
        )
        st.caption(
            "Time per stage: "
            + " · ".join(f"{stage} {value:.1f} ms" for stage, value in ms.items())
            + " (the network time is from this image's first run; later runs reuse its output)"
        )


def top() -> Stage | None:
    """The photo beside the controls, then its detections; returns what the step-by-step tab follows
    (None when there is no usable photo)."""
    model = detector()
    picker, settings = st.columns([1, 1])
    with picker:
        picture = image_picker("det", camera=True, default_sample="stereo_motorcycle")
    with settings:
        chosen = controls(model.names)
    if picture is None:
        return None
    image = picture.pixels
    try:
        network = network_pass(image, chosen.size, sample=picture.sample)
        selection = select(network, model.names, chosen.score, chosen.iou, chosen.classes)
    except CNNLabError as err:
        show_error(err)
        return None
    tag = f"{fingerprint(image)}_{chosen.size}"
    shapes = st.session_state.setdefault(SHAPES_KEY, {})
    shapes[tag] = detection_shapes(network, selection)
    while len(shapes) > SHAPES_KEPT:
        shapes.pop(next(iter(shapes)))
    results(image, network, selection, chosen.score)
    return Stage(network, selection, model, chosen.score, tag, picture)


def anchor_boxes() -> None:
    """k-means anchors fitted to the sample images' boxes or to this session's, against YOLOv3-tiny's."""
    session = list(st.session_state.get(SHAPES_KEY, {}).values())
    demos.anchor_kmeans(
        np.concatenate([head.anchors for head in detector().heads]),
        sample_shapes,
        np.concatenate(session) if session else np.zeros((0, 2)),
    )
