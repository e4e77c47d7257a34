"""Cached YOLOv3-tiny for the detection page: one model per process, one network pass per image and size."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn_core.detection.pipeline import NetworkPass, detection_shapes, run_network, select
from cnn_core.detection.yolov3_tiny import DEFAULT_SIZE, YoloV3Tiny, load_yolov3_tiny
from cnn_core.images import SAMPLE_NAMES, sample_image

#: Score threshold for the box shapes collected from the sample images (the k-means "bundled set").
SAMPLE_SHAPES_SCORE = 0.1


@st.cache_resource(show_spinner="Loading YOLOv3-tiny (COCO weights)…")
def detector() -> YoloV3Tiny:
    """The shared, never-mutated detector, warmed up on a grey image so the first photo is fast."""
    model = load_yolov3_tiny()
    for _ in range(2):  # the first calls build TensorFlow's kernels; later ones are the steady-state time
        model.forward(np.full((DEFAULT_SIZE, DEFAULT_SIZE, 3), 0.5, np.float32))
    return model


@st.cache_data(max_entries=24, show_spinner="Running the network…")
def network_pass(image: np.ndarray, size: int) -> NetworkPass:
    """Letterbox + network + decode for one image at one input size (thresholds come later)."""
    return run_network(detector(), image, size)


@st.cache_data(show_spinner="Detecting objects in the sample images…")
def sample_shapes() -> np.ndarray:
    """(N, 2) w, h of the objects found in every sample image, in 416-input pixels."""
    model = detector()
    shapes = []
    for name in SAMPLE_NAMES:
        network = run_network(model, sample_image(name))
        selection = select(network, model.names, score=SAMPLE_SHAPES_SCORE)
        shapes.append(detection_shapes(network, selection))
    return np.concatenate(shapes)
