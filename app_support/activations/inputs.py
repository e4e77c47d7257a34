"""What every tab of the Activations page works on: the network chosen, the picture it was given, its
prediction, and the visitor's own pictures of this session (searched along with the image set).

Each tab draws ``chosen_input()`` at the top of its controls column, with the same keys, so the choice
follows the teacher from tab to tab and sits beside the result it changes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_support.activations import cache as models
from app_support.activations.plots import zoomed
from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.layout import THUMBNAIL_HEIGHT, thumbnail
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_number
from app_support.shared.visitor_cache import fingerprint
from cnn_core.errors import CNNLabError

#: the visitor's own inputs kept for the top-patch search (per session)
MAX_OWN_INPUTS = 40


@dataclass(frozen=True)
class ChosenInput:
    """The network and, once the visitor has given one, its input ``x`` (h, w, c), its top-5 classes, the
    visitor's own inputs of this session, whether ``x`` comes from a shipped sample or MNIST digit, and the
    picture ``x`` was made from (H, W, 3) uint8, in its original pixels."""

    model: models.PageModel
    x: np.ndarray | None = None
    top5: tuple[dict, ...] = ()
    own: tuple[np.ndarray, ...] = ()
    sample: bool = False
    pixels: np.ndarray | None = None


def pick_digit(model: models.PageModel) -> Picture | None:
    """A digit for LeNet: drawn on the canvas, an MNIST test digit, or a photo/upload."""
    source = st.radio(
        "Digit",
        ["Draw", "MNIST test digit", "Photo or upload"],
        horizontal=True,
        key="act_digit_source",
        bind=IN_URL,
    )
    if source == "Draw":
        from streamlit_drawable_canvas import st_canvas

        st.caption("Draw one digit, large, in the middle of the square (a drawing is not part of a link).")
        canvas = st_canvas(
            stroke_width=22,
            stroke_color="#ffffff",
            background_color="#000000",
            height=280,
            width=280,
            drawing_mode="freedraw",
            return_image_data=True,
            key="act_canvas",
        )
        pixels = canvas.image_data
        if pixels is None or pixels[..., :3].max() == 0:
            return None
        return Picture(np.ascontiguousarray(pixels[..., :3].astype(np.uint8)), sample=False)
    if source == "MNIST test digit":
        inputs, names = models.image_set(model.key)
        index = bound_number("Test digit", "act_digit", 0, high=len(names) - 1)
        st.caption(names[index])
        return Picture(models.shown(inputs[index]), sample=True)
    return image_picker("act_photo", camera=True, default_sample="camera")


def remember(key: str, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Keep the user's own inputs of this session (not those already in the image set) for the
    top-patch search; return them."""
    own = st.session_state.setdefault(f"act_own_{key}", {})
    tag = fingerprint(x)
    if tag not in models.set_fingerprints(key):
        own.setdefault(tag, x)
    while len(own) > MAX_OWN_INPUTS:
        own.pop(next(iter(own)))
    return tuple(own.values())


def show_input(chosen: ChosenInput) -> None:
    """What the network sees as a thumbnail, beside its prediction: the top class in words, all five
    folded in a table with probability bars. Each tab draws it under its own controls."""
    if chosen.x is None or not chosen.top5:
        return
    seen, said = st.columns([1, 1])
    h, w = chosen.x.shape[:2]
    with seen:
        picture = zoomed(models.shown(chosen.x), THUMBNAIL_HEIGHT)
        thumbnail(picture, caption=f"What the network sees ({h}×{w})")
    top = chosen.top5[0]
    said.markdown(f"Prediction: **{top['label']}** (p = {top['score']:.2f})")
    table = pd.DataFrame(chosen.top5).rename(columns={"label": "class", "score": "probability"})
    with said.expander("Top-5 classes"):
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "probability": st.column_config.ProgressColumn(format="%.3f", min_value=0.0, max_value=1.0)
            },
        )


def chosen_input() -> ChosenInput:
    """The network radio and the picker, drawn where the caller is (a tab's controls column); the picture
    turned into the network's input and its top-5 classes."""
    key = st.radio(
        "Network",
        list(models.MODELS),
        captions=[m.title for m in models.MODELS.values()],
        horizontal=True,
        key="act_model",
        bind=IN_URL,
    )
    model = models.MODELS[key]
    picture = pick_digit(model) if model.digits else image_picker("act", camera=True)
    if picture is None:
        return ChosenInput(model)
    try:
        x = models.network_input(model.key, picture.pixels, sample=picture.sample)
    except CNNLabError as err:
        show_error(err)
        return ChosenInput(model)
    top5 = models.predict(model.key, x, sample=picture.sample)
    return ChosenInput(model, x, tuple(top5), remember(key, x), picture.sample, picture.pixels)
