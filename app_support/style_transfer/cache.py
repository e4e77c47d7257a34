"""Cached networks of the style-transfer page: each built once per process and shared, never mutated.

What they compute from pictures is cached server-wide when every picture is a shipped sample, and in the
visitor's session otherwise (``picture_cache``: call with ``sample=``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from app_support.shared.visitor_cache import picture_cache
from cnn_core.style.image_ops import fit_longer_side
from cnn_core.style.mixing import NUM_STYLES

if TYPE_CHECKING:  # Keras loads only when a network is first built
    import keras


@st.cache_resource(show_spinner=False)  # the Run button shows a bar meanwhile
def backbone() -> keras.Model:
    """EfficientNet-Lite0 for any input size: the feature network of the Gatys optimisation."""
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0((None, None, 3))


@picture_cache(max_entries=8)
def style_targets(
    style: np.ndarray, size: int, layers: tuple[str, ...], smoothing: float | None
) -> dict[str, np.ndarray]:
    """The Gram matrices (1, C, C) of the style picture at ``size`` px per layer: kept between runs, so a
    second run with the same style picture, size, layers and smoothing starts without recomputing them."""
    from cnn_core.style.optimize import style_targets as compute

    return compute(backbone(), style, size, list(layers), smoothing)


@st.cache_resource(show_spinner=f"Loading the {NUM_STYLES}-style network…")
def multistyle_model() -> keras.Model:
    from cnn_core.style.multistyle import build_multistyle

    return build_multistyle()


@st.cache_resource(show_spinner="Loading Magenta's style predictor and transformer…")
def arbitrary_models() -> tuple[keras.Model, keras.Model]:
    """(predictor, transformer) of arbitrary-style transfer."""
    from cnn_core.style.arbitrary import build_style_predictor, build_style_transformer

    return build_style_predictor(), build_style_transformer()


@picture_cache(max_entries=16)
def style_vector(image: np.ndarray) -> np.ndarray:
    """The (100,) style vector of a picture."""
    from cnn_core.style.arbitrary import style_vector as predict

    return predict(arbitrary_models()[0], image)


@picture_cache(max_entries=4, show_spinner=f"Painting the photo in all {NUM_STYLES} styles…")
def style_sheet(content: np.ndarray, tile: int = 112) -> list[np.ndarray]:
    """The content painted in each of the NUM_STYLES learned styles, ``tile`` pixels on its longer side."""
    from cnn_core.style.multistyle import stylize_every_style

    return stylize_every_style(multistyle_model(), fit_longer_side(content, tile))


@picture_cache(max_entries=16, show_spinner="Painting…")
def paint_multistyle(content: np.ndarray, weights: np.ndarray, strength: float, size: int) -> np.ndarray:
    """The content at ``size`` px painted in the style mix ``weights`` (26,), blended by ``strength``."""
    from cnn_core.style.multistyle import stylize_multistyle

    return stylize_multistyle(multistyle_model(), fit_longer_side(content, size), weights, strength)


@picture_cache(max_entries=16, show_spinner="Painting…")
def paint_arbitrary(content: np.ndarray, vector: np.ndarray, size: int) -> np.ndarray:
    """The content at ``size`` px painted in style ``vector`` (100,)."""
    from cnn_core.style.arbitrary import stylize_arbitrary

    return stylize_arbitrary(arbitrary_models()[1], content, vector, size)
