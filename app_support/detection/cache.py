"""Cached YOLOv3-tiny for the detection page: one model per process, one network pass per image and size
(server-wide for the sample images, in the visitor's session for their own photos), and the pictures drawn
from them, encoded once per visitor."""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable

import numpy as np
import streamlit as st
from PIL import Image

from app_support.shared.visitor_cache import picture_cache, session_memo
from cnn_core.detection.photo_pixels import working_copy
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


@picture_cache(max_entries=8, show_spinner="Running the network…")
def network_pass(image: np.ndarray, size: int) -> NetworkPass:
    """Letterbox + network + decode for one (H, W, 3) image at one input size (thresholds come later);
    call with ``sample=``. At 608 px a pass holds 8.4 MB (the 4.4 MB float32 blob, 1.8 MB of head outputs,
    2.1 MB of decoded candidates), so the shared cache keeps 8 passes: at most ~67 MB."""
    return run_network(detector(), image, size)


@picture_cache(max_entries=8)
def working(photo: np.ndarray) -> np.ndarray:
    """The copy of an (H, W, 3) photo the page computes on (longer side at most 1024 px); call with
    ``sample=``."""
    return working_copy(photo)


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


#: JPEG quality of the pictures drawn on a photo (Streamlit itself would send them as JPEG)
JPEG_QUALITY = 90


def drawn_once(namespace: str, key: Hashable, draw: Callable[[], np.ndarray]) -> bytes:
    """JPEG bytes of the (H, W, 3) uint8 picture ``draw()`` makes, drawn and encoded once per visitor and
    ``key`` (kept in the session: it may show their photo). A rerun that leaves the picture as it was, e.g.
    a threshold move that keeps the same boxes, then sends the same bytes without drawing or encoding."""

    def encode() -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(draw()).save(buffer, format="JPEG", quality=JPEG_QUALITY)
        return buffer.getvalue()

    return session_memo(namespace, key, encode)
