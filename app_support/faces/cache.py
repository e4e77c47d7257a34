"""The faces page's networks, built once per process and shared by every session (never mutated).

What they find in a visitor's photos is deliberately NOT cached server-wide (no ``st.cache_data``): faces
and descriptors are kept only in the visitor's own ``st.session_state`` (``visitor_cache.session_memo``,
the last MEMO_SIZE results).
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import streamlit as st

from cnn_core.faces.align import CROP_SIZE
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
