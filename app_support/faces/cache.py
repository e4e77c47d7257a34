"""The faces page's networks, built once per process and shared by every session (never mutated), and
the faces MTCNN finds in a photo.

What they find in a visitor's own photos is deliberately NOT cached server-wide: faces and descriptors are
kept only in the visitor's own ``st.session_state`` (``visitor_cache.session_memo``, the last MEMO_SIZE
results). Only the faces found in a shipped sample photo are computed once for every visitor.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import streamlit as st

from app_support.shared.visitor_cache import picture_cache
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.detect import Detection, detect_faces
from cnn_core.faces.embed import embed_crops, load_embedder
from cnn_core.faces.landmarks import NET_SIZE, load_landmark_net, run_net
from cnn_core.faces.mtcnn_nets import MTCNNNets, load_mtcnn_nets

#: how many results (detections, described faces) a visitor's memo keeps
MEMO_SIZE = 12


@dataclass(frozen=True)
class FaceModels:
    """MTCNN's three nets and dlib's face ResNet."""

    nets: MTCNNNets
    embedder: keras.Model


@st.cache_resource(show_spinner="Loading the face networks (MTCNN and dlib's ResNet)…")
def face_models() -> FaceModels:
    """Both networks with verified weights, warmed up so the first photo is fast."""
    embedder = load_embedder()
    embed_crops(embedder, np.zeros((CROP_SIZE, CROP_SIZE, 3), np.uint8))  # traces the predict function once
    return FaceModels(load_mtcnn_nets(), embedder)


@st.cache_resource(show_spinner="Loading face-api's 68-point landmark network…")
def landmark_net() -> keras.Model:
    """face-api's landmark CNN with verified weights, warmed up (only the Landmarks tab needs it)."""
    net = load_landmark_net()
    run_net(net, np.zeros((1, NET_SIZE, NET_SIZE, 3), np.float32))  # traces the predict function once
    return net


@picture_cache(max_entries=MEMO_SIZE)
def found_faces(image: np.ndarray) -> Detection:
    """MTCNN's faces in an (H, W, 3) uint8 photo, most confident first; call with ``sample=``. Opening the
    page finds the faces of its two sample photos and the gallery's: ~170 ms that every new visitor paid."""
    return detect_faces(image, nets=face_models().nets)
