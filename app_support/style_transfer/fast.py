"""The style-transfer page's fast tab: one pass of a feed-forward network, styles mixed at will."""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from app_support.style_transfer import cache as models
from app_support.style_transfer.sections import Pictures
from cnn_core.errors import CNNLabError
from cnn_core.images import encode_png
from cnn_core.style.arbitrary import CONTENT_SIDE
from cnn_core.style.mixing import NUM_STYLES, mix_vectors, style_weights, with_strength

FAST_SIZES = (256, 384, 512, 768)
FAST_METHODS = (f"{NUM_STYLES} learned styles", "Any style picture")


def _timed(paint, *args, sample: bool) -> tuple[np.ndarray, float]:
    """The painting and the milliseconds it took (a cached repeat takes ~0)."""
    start = time.perf_counter()
    return paint(*args, sample=sample), (time.perf_counter() - start) * 1000


def _multistyle_result(content: Picture, size: int, strength: float) -> tuple[np.ndarray, float]:
    tiles = models.style_sheet(content.pixels, sample=content.sample)
    st.image(tiles, caption=[str(k) for k in range(NUM_STYLES)], width=88)
    picks = st.multiselect("Styles to mix", list(range(NUM_STYLES)), default=[19], key="st_mix", bind=IN_URL)
    if not picks:
        raise CNNLabError(f"pick at least one of the {NUM_STYLES} styles to mix")
    columns = st.columns(len(picks))
    weights = {
        k: column.slider(f"weight of {k}", 0.0, 1.0, 1.0, 0.05, key=f"st_w{k}")
        for k, column in zip(picks, columns, strict=True)
    }
    return _timed(
        models.paint_multistyle, content.pixels, style_weights(weights), strength, size, sample=content.sample
    )


def _arbitrary_result(
    content: Picture, style: Picture, size: int, strength: float
) -> tuple[np.ndarray, float]:
    """The content painted in the style of one picture (or a mix of two): shared only when every picture is
    a sample."""
    vector, samples = models.style_vector(style.pixels, sample=style.sample), [content.sample, style.sample]
    if st.toggle("Interpolate with a second style picture", key="st_two", bind=IN_URL):
        second = image_picker("st_style2", default_sample="china", label="Second style picture")
        t = bound_slider("t (0: first style, 1: second)", "st_t", 0.5, 0.05)
        if second is not None:
            vector = mix_vectors(
                [vector, models.style_vector(second.pixels, sample=second.sample)], [1.0 - t, t]
            )
            samples.append(second.sample)
    vector = with_strength(vector, models.style_vector(content.pixels, sample=content.sample), strength)
    return _timed(models.paint_arbitrary, content.pixels, vector, size, sample=all(samples))


def fast_panel(pictures: Pictures) -> None:
    """One pass of a feed-forward network: learned styles (mixable) or any style picture."""
    content, style = pictures.content, pictures.style
    method_column, size_column, strength_column = st.columns(3)
    method = method_column.segmented_control(
        "Network", FAST_METHODS, default=FAST_METHODS[0], required=True, key="st_fast", bind=IN_URL
    )
    size = size_column.select_slider(
        "Result size (longer side, px)", FAST_SIZES, value=CONTENT_SIDE, key="st_fast_size", bind=IN_URL
    )
    strength = bound_slider(
        "Strength",
        "st_strength",
        1.0,
        0.05,
        where=strength_column,
        help=f"{FAST_METHODS[0]}: blend the painting with the photo. {FAST_METHODS[1]}: blend the style "
        "vector with the photo's own style vector.",
    )
    if content is None or (method == FAST_METHODS[1] and style is None):
        st.info("Choose the pictures above.")
        return
    controls, result = st.columns([3, 2])
    try:
        with controls:
            if method == FAST_METHODS[1]:
                painted, ms = _arbitrary_result(content, style, size, strength)
            else:
                painted, ms = _multistyle_result(content, size, strength)
    except CNNLabError as err:
        show_error(err)
        return
    with result:
        st.image(painted, caption=f"{method}, {ms:.0f} ms (repeats come from the cache)", width="stretch")
        st.download_button(
            "Download PNG",
            encode_png(painted),
            "fast-style.png",
            "image/png",
            key="st_fast_png",
            on_click="ignore",
        )
