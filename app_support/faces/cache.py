"""The faces page's networks, built once per process and shared by every session (never mutated), and the
per-visitor memo of what they found in that visitor's photos.

Uploaded photos are deliberately NOT cached server-wide (no ``st.cache_data``): their faces and descriptors
are kept only in the visitor's own ``st.session_state`` (``session_memo``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import keras
import numpy as np
import streamlit as st

from cnn_core.errors import CNNLabError
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.embed import embed_crops, load_embedder
from cnn_core.faces.mtcnn_nets import MTCNNNets, load_mtcnn_nets

T = TypeVar("T")
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


def session_memo(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per visitor and key, keeping the last MEMO_SIZE results; a CNNLabError is kept
    too, and raised again on each later call."""
    memo: dict[tuple, T | CNNLabError] = st.session_state.setdefault("faces_memo", {})
    if key not in memo:
        if len(memo) >= MEMO_SIZE:
            memo.pop(next(iter(memo)))
        try:
            memo[key] = compute()
        except CNNLabError as err:
            memo[key] = err
    if isinstance(memo[key], CNNLabError):
        raise memo[key]
    return memo[key]
