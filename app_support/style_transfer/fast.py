"""The style-transfer page's fast tab: one pass of a feed-forward network, styles mixed at will."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import streamlit as st

from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.layout import controls_and_result, show_at_width
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from app_support.style_transfer import cache as models
from app_support.style_transfer.sections import Pictures, thumbnails
from cnn_core.errors import CNNLabError
from cnn_core.images import encode_png, scaled_size
from cnn_core.style.arbitrary import CONTENT_SIDE, stylize_arbitrary
from cnn_core.style.image_ops import MAX_SIDE, fit_longer_side
from cnn_core.style.mixing import NUM_STYLES, mix_vectors, style_weights, with_strength
from cnn_core.style.multistyle import stylize_multistyle

FAST_SIZES = (256, 384, 512, 768)
FAST_METHODS = (f"{NUM_STYLES} learned styles", "Any style picture")
#: width of each tile of the style sheet: five fit beside the result at 1280 px
TILE_WIDTH = 60
#: paints the photo at a longer side of that many pixels: (H, W, 3) uint8
Painter = Callable[[int], np.ndarray]


def _timed(paint, *args, sample: bool) -> tuple[np.ndarray, float]:
    """The painting and the milliseconds it took (a cached repeat takes ~0)."""
    start = time.perf_counter()
    return paint(*args, sample=sample), (time.perf_counter() - start) * 1000


def _multistyle_result(content: Picture, size: int, strength: float) -> tuple[np.ndarray, float, Painter]:
    picks = st.multiselect("Styles to mix", list(range(NUM_STYLES)), default=[19], key="st_mix", bind=IN_URL)
    if not picks:
        raise CNNLabError(f"pick at least one of the {NUM_STYLES} styles to mix")
    columns = st.columns(len(picks))
    weights = style_weights(
        {
            k: bound_slider(f"weight of {k}", f"st_w{k}", 1.0, 0.05, where=column)
            for k, column in zip(picks, columns, strict=True)
        }
    )
    tiles = models.style_sheet(content.pixels, sample=content.sample)
    show_at_width(tiles, TILE_WIDTH, [str(k) for k in range(NUM_STYLES)])
    painted, ms = _timed(
        models.paint_multistyle, content.pixels, weights, strength, size, sample=content.sample
    )
    model, photo = models.multistyle_model(), content.pixels
    return (
        painted,
        ms,
        lambda side: stylize_multistyle(model, fit_longer_side(photo, side), weights, strength),
    )


def _arbitrary_result(
    content: Picture, style: Picture, size: int, strength: float
) -> tuple[np.ndarray, float, Painter]:
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
    painted, ms = _timed(models.paint_arbitrary, content.pixels, vector, size, sample=all(samples))
    transformer, photo = models.arbitrary_models()[1], content.pixels
    return painted, ms, lambda side: stylize_arbitrary(transformer, photo, vector, side)


def _full_size_png(paint: Painter, side: int) -> Callable[[], bytes]:
    """The download's data: painted at ``side`` px when the visitor clicks (Streamlit calls it then, in
    another thread, so it uses the models directly and not the page's caches)."""
    return lambda: encode_png(paint(side))


def fast_panel(pictures: Pictures) -> None:
    """One pass of a feed-forward network (learned styles, mixable, or any style picture) beside its result;
    the download paints the photo again at its own size."""
    content, style = pictures.content, pictures.style
    controls, result = controls_and_result()
    with controls:
        method = st.segmented_control(
            "Network", FAST_METHODS, default=FAST_METHODS[0], required=True, key="st_fast", bind=IN_URL
        )
        thumbnails(pictures, style=method == FAST_METHODS[1])
        size_column, strength_column = st.columns(2)
        size = size_column.select_slider(
            "View size (px)", FAST_SIZES, value=CONTENT_SIDE, key="st_fast_size", bind=IN_URL
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
        try:
            if method == FAST_METHODS[1]:
                painted, ms, paint = _arbitrary_result(content, style, size, strength)
            else:
                painted, ms, paint = _multistyle_result(content, size, strength)
        except CNNLabError as err:
            show_error(err)
            return
    height, width = content.pixels.shape[:2]
    side = min(max(height, width), MAX_SIDE)
    full_width, full_height = scaled_size(width, height, side)
    with result:
        shown_height, shown_width = painted.shape[:2]
        st.image(
            painted,
            caption=f"{method}, {ms:.0f} ms (repeats come from the cache), {shown_width}x{shown_height} px",
            width="stretch",
        )
        st.download_button(
            "Download PNG",
            _full_size_png(paint, side),
            "fast-style.png",
            "image/png",
            key="st_fast_png",
            on_click="ignore",
            help=f"Painted again at the photo's size, {full_width}x{full_height} px, when you click.",
        )
        st.caption(
            f"The network painted this view at {shown_width}x{shown_height} px; the PNG is painted again at "
            f"the photo's size, {full_width}x{full_height} px (at most {MAX_SIDE} px on the longer side), "
            "when you click: one pass of the network, seconds on a CPU."
        )
