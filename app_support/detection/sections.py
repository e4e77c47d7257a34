"""The detection page's main tab (photo and thresholds beside the annotated result, its table, downloads and
stage timings, then YOLO step by step), the photo panel of the other tabs, and the anchor tab, which reads
the box shapes this session has detected."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection import demos
from app_support.detection.cache import detector, drawn_once, network_pass, sample_shapes, working
from app_support.detection.steps import Stage, step_by_step
from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.layout import controls_and_result
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from app_support.shared.visitor_cache import fingerprint
from cnn_core.detection.annotate import draw_detections
from cnn_core.detection.photo_pixels import to_photo_pixels
from cnn_core.detection.pipeline import (
    DEFAULT_IOU,
    DEFAULT_SCORE,
    Detection,
    NetworkPass,
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
#: the sample a first visit shows: the course's motorbike
DEFAULT_SAMPLE = "stereo_motorcycle"
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


def nothing_found(network: NetworkPass, names: tuple[str, ...], chosen: Controls) -> str:
    """Why no box is shown: nothing above the score threshold, or only boxes of filtered-out classes."""
    if chosen.classes is None:
        return no_objects_message(chosen.score)
    others = select(network, names, chosen.score, chosen.iou).detections  # every class: none is wanted
    return no_objects_message(chosen.score, [names[k] for k in chosen.classes], len(others))


def _annotated_png(photo: np.ndarray, detections: list[Detection]) -> bytes:
    return encode_png(draw_detections(photo, detections))


def pixels_caption(photo: np.ndarray, copy: np.ndarray, size: int) -> str:
    """Which pixels the boxes are in, and what the network saw of the photo."""
    height, width = photo.shape[:2]
    seen = f"the network saw it letterboxed to {size}x{size}"
    if copy.shape == photo.shape:
        return f"Boxes in the photo's {width}x{height} pixels; {seen}."
    return (
        f"Boxes, table and downloads in the photo's own {width}x{height} pixels; shown here and computed "
        f"on a {copy.shape[1]}x{copy.shape[0]} copy, and {seen}."
    )


def results(stage: Stage, original: np.ndarray) -> None:
    """The annotated photo, its table of detections (in the photo's pixels), downloads and stage times."""
    sel, copy = stage.selection, stage.photo.pixels
    if not sel.detections:
        st.info(stage.nothing_found, icon="🔍")
    st.image(
        drawn_once("det_result", (stage.tag, *sel.detections), lambda: draw_detections(copy, sel.detections)),
        caption=f"{len(sel.detections)} object(s) found on {stage.photo_name}",
        width="stretch",
    )
    found = to_photo_pixels(sel.detections, copy.shape, original.shape)
    st.caption(pixels_caption(original, copy, stage.network.placement.size))
    table = pd.DataFrame(
        [
            {
                "class": d.label,
                "score": round(d.score, 3),
                "box x1, y1, x2, y2": ", ".join(f"{v:.0f}" for v in d.box),
            }
            for d in found
        ],
        columns=["class", "score", "box x1, y1, x2, y2"],
    )
    st.dataframe(table, hide_index=True)
    ms = stage_ms(stage.network, sel)
    png, data = st.columns(2)
    png.download_button(
        "Download annotated PNG",
        partial(_annotated_png, original, found),  # drawn and encoded only when clicked
        "detections.png",
        "image/png",
        key="det_png",
        on_click="ignore",
    )
    data.download_button(
        "Download detections (JSON)",
        json.dumps(payload(found, ms), indent=2),
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


def stage_controls() -> tuple[Stage | None, np.ndarray | None]:
    """The photo picker and the thresholds; returns what the tabs follow (None when there is no usable
    photo) and the photo in its own pixels."""
    model = detector()
    picture = image_picker("det", camera=True, default_sample=DEFAULT_SAMPLE, max_side=None)
    chosen = controls(model.names)
    if picture is None:
        return None, None
    try:
        copy = working(picture.pixels, sample=picture.sample)
        network = network_pass(copy, chosen.size, sample=picture.sample)
        selection = select(network, model.names, chosen.score, chosen.iou, chosen.classes)
    except CNNLabError as err:
        show_error(err)
        return None, None
    tag = f"{fingerprint(copy)}_{chosen.size}"
    shapes = st.session_state.setdefault(SHAPES_KEY, {})
    shapes[tag] = detection_shapes(network, selection)
    while len(shapes) > SHAPES_KEPT:
        shapes.pop(next(iter(shapes)))
    name = st.session_state.get("det_sample", DEFAULT_SAMPLE) if picture.sample else "your photo"
    empty = nothing_found(network, model.names, chosen)
    stage = Stage(network, selection, model, chosen.score, tag, Picture(copy, picture.sample), empty, name)
    return stage, picture.pixels


@st.fragment
def detection() -> None:
    """The photo and thresholds beside the annotated result, then YOLO's stages on it one by one; a
    fragment, so moving a threshold reruns this tab, not the whole page."""
    controls_column, result = controls_and_result()
    with controls_column:
        stage, original = stage_controls()
    with result:
        if stage is None or original is None:
            st.info("Choose a sample, upload a photo or take one to see what YOLO finds in it.")
        else:
            results(stage, original)
    step_by_step(stage)


def with_photo(section: Callable[[Stage | None], None]) -> Callable[[], None]:
    """A tab that works on the page's photo: the photo and thresholds folded in one line above it."""

    def draw() -> None:
        with st.expander("Photo and thresholds", icon="🖼️"):
            stage, _ = stage_controls()
        if stage is not None:
            st.caption(f"On {stage.photo_name}, score threshold {stage.score:.2f}.")
        section(stage)

    return draw


def anchor_boxes() -> None:
    """k-means anchors fitted to the sample images' boxes or to this session's, against YOLOv3-tiny's."""
    session = list(st.session_state.get(SHAPES_KEY, {}).values())
    demos.anchor_kmeans(
        np.concatenate([head.anchors for head in detector().heads]),
        sample_shapes,
        np.concatenate(session) if session else np.zeros((0, 2)),
    )
