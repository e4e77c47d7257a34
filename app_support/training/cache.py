"""Cached models and data of the Training page: each built once per process and never changed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from cnn_core.weights import ASSETS_DIR

if TYPE_CHECKING:
    import keras

#: the recorded longer plain-vs-residual run (scripts/record_resnet_curves.py)
RECORDED_CURVES = ASSETS_DIR / "training" / "resnet_curves.json"


@st.cache_resource(show_spinner="Loading EfficientNet-Lite0 (ImageNet weights)…")
def lite0() -> keras.Model:
    """EfficientNet-Lite0 at 224x224: the pretrained base whose weights each training run copies."""
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0()


@st.cache_data(show_spinner=False)
def sample_photos(name: str) -> list[np.ndarray]:
    """The 16 photos of one sample class (scikit-image texture tiles)."""
    from cnn_core.training.dataset import sample_class

    return sample_class(name)


@st.cache_data(show_spinner="Counting the parameters of this regime…", max_entries=8)
def regime_table(regime_text: str, classes: int) -> tuple[list[tuple[str, int, bool]], int, int]:
    """(base layers as (name, parameters, frozen?), trainable, frozen) of the classifier in this regime."""
    from cnn_core.training.regimes import (
        build_base,
        build_classifier,
        frozen_table,
        parameter_counts,
        parse_regime,
    )

    base = build_base(lite0(), parse_regime(regime_text), 224)
    counts = parameter_counts(build_classifier(base, classes, seed=0))
    return frozen_table(base), counts.trainable, counts.frozen


@st.cache_data(show_spinner=False)
def recorded_curves() -> dict | None:
    """The recorded run's settings and points, or None when the file is missing."""
    if not RECORDED_CURVES.is_file():
        return None
    return json.loads(RECORDED_CURVES.read_text())
