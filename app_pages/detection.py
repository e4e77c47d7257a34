"""Object detection: YOLOv3-tiny finds COCO objects in a photo, with every stage of YOLO on view."""

import numpy as np
import streamlit as st

from app_support.detection import demos, steps
from app_support.detection import sections as views
from app_support.detection.cache import detector, network_pass, sample_shapes
from app_support.shared.image_picker import fingerprint, image_picker
from app_support.shared.ui import page_header, show_error
from cnn_core.detection.pipeline import detection_shapes, select
from cnn_core.errors import CNNLabError

page_header(
    "Object detection (YOLO)",
    "YOLO cuts the image into a grid and, in a single pass of one convolutional network, every cell predicts "
    "a few boxes shaped from its anchors, each with an objectness and class probabilities. Boxes scoring "
    "above a threshold are kept, and non-max suppression removes the duplicates of each object.",
    r"b_x = \sigma(t_x) + c_x,\; b_y = \sigma(t_y) + c_y,\; b_w = p_w e^{t_w},\; b_h = p_h e^{t_h},"
    r"\quad \text{score} = \sigma(t_o)\cdot\sigma(t_{class})",
)

model = detector()
picker, settings = st.columns([1, 1])
with picker:
    image = image_picker("det", camera=True, default_sample="stereo_motorcycle")
with settings:
    controls = views.controls(model.names)

if image is not None:
    try:
        network = network_pass(image, controls.size)
        selection = select(network, model.names, controls.score, controls.iou, controls.classes)
    except CNNLabError as err:
        show_error(err)
        st.stop()
    tag = f"{fingerprint(image)}_{controls.size}"
    st.session_state.setdefault("det_shapes", {})[tag] = detection_shapes(network, selection)
    views.results(image, network, selection, controls.score)

sections = ["Step by step", "IoU playground", "Anchor boxes", "Sliding windows"]
tabs = st.tabs(sections, key="det_tab", on_change="rerun", bind="query-params")
with tabs[0]:
    if image is None:
        st.info("Pick an image above to follow YOLO through it.")
    elif tabs[0].open:
        steps.step_by_step(steps.Stage(network, selection, model, controls.score, tag))
with tabs[1]:
    if tabs[1].open:
        demos.iou_playground()
with tabs[2]:
    if tabs[2].open:
        session = list(st.session_state.get("det_shapes", {}).values())
        demos.anchor_kmeans(
            np.concatenate([h.anchors for h in model.heads]),
            sample_shapes,
            np.concatenate(session) if session else np.zeros((0, 2)),
        )
with tabs[3]:
    if tabs[3].open:
        demos.sliding_windows()
