"""The style-transfer page: the two picture choosers above the tabs, and the optimisation tab (its controls
beside the live result, Run with its preparation bar, Stop)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.job import show_live, start_session_job, stop_button
from app_support.shared.layout import controls_and_result, explanation, thumbnail
from app_support.shared.ui import show_error
from app_support.style_transfer import cache as models
from app_support.style_transfer.controls import estimate_caption, gatys_settings, preset_buttons
from app_support.style_transfer.job import PREPARATION, GatysJob, stage_text
from app_support.style_transfer.live import show_progress
from cnn_core.errors import CNNLabError
from cnn_core.style.image_ops import check_style_image, is_grayscale
from cnn_core.style.settings import GatysSettings

#: How often the live view polls a running job (seconds).
REFRESH_S = 2.0
FEATURES_NOTE = (
    "Features: EfficientNet-Lite0 (ImageNet). No VGG weights can be had offline, and non-VGG networks give "
    "noisier results: the softmax smoothing of Wang, Li & Vasconcelos (CVPR 2021) and total variation fix "
    "most of it. Every step is a forward and a backward pass of that network at the chosen size, which is "
    "why the optimisation works on a small copy of the photo while the fast networks paint it whole."
)


@dataclass(frozen=True)
class Pictures:
    """The content picture C and the style picture S, each checked, or None when unusable."""

    content: Picture | None
    style: Picture | None


def inputs() -> Pictures:
    """The content and style choosers, each folded in a button above the tabs (each tab shows the pictures
    as thumbnails beside its controls); each picture is checked, and what is wrong is said under them."""
    content_column, style_column, _ = st.columns([1, 1, 1.2])
    with content_column.popover("🖼 Content image C", width="stretch"):
        content = image_picker("st_content", camera=True, default_sample="chelsea", label="Content image C")
    with style_column.popover("🎨 Style image S", width="stretch"):
        style = image_picker("st_style", camera=True, default_sample="flower", label="Style image S")
    return Pictures(checked(content, "content image"), checked(style, "style image"))


def checked(picture: Picture | None, name: str) -> Picture | None:
    """The picture if it is usable for style transfer, else None with the reason shown."""
    if picture is None:
        return None
    try:
        pixels = check_style_image(picture.pixels, name)
    except CNNLabError as err:
        show_error(err)
        return None
    if is_grayscale(pixels):
        st.caption(f"The {name} is grey: its channels are equal, so it brings no colour of its own.")
    return Picture(pixels, picture.sample)


#: the pictures C and S side by side in a column of controls: 90 px high keeps both in ~300 px of width
PICTURE_HEIGHT = 90


def thumbnails(pictures: Pictures, style: bool = True) -> None:
    """The content picture (and the style picture when ``style``) as small thumbnails in a row that wraps,
    at the top of the controls, so the result beside them starts at the top of the screen."""
    shown = [("C", "content", pictures.content)] + ([("S", "style", pictures.style)] if style else [])
    with st.container(horizontal=True):
        for letter, role, picture in shown:
            if picture is None:
                st.caption(f"{letter}: choose a {role} picture above")
            else:
                height, width = picture.pixels.shape[:2]
                thumbnail(picture.pixels, f"{letter}: {role}, {width}x{height} px", PICTURE_HEIGHT)


def _start(content: Picture, style: Picture, settings: GatysSettings, where: DeltaGenerator) -> GatysJob:
    """Run: prepare a new job with a bar in ``where`` (the network and the style targets here, both cached;
    the content target and the compiled step in the job), then put it in line in place of the previous."""
    slot = where.empty()
    with slot.container():
        bar = st.progress(0.0, text=stage_text(0, settings))
        backbone = models.backbone()
        bar.progress(1 / len(PREPARATION), text=stage_text(1, settings))
        layers = tuple(settings.style_layers)
        grams = models.style_targets(
            style.pixels, settings.size, layers, settings.smoothing, sample=style.sample
        )
    slot.empty()  # the job's own bar takes over
    job = GatysJob(backbone, content.pixels, style.pixels, settings, grams)
    start_session_job("st_job", job)
    return job


def gatys_panel(pictures: Pictures) -> None:
    """The pictures C and S, the controls, the estimate and Run/Stop beside the live view of this session's
    job (G, its costs and Gram matrices)."""
    controls, result = controls_and_result()
    content, style = pictures.content, pictures.style
    job: GatysJob | None = st.session_state.get("st_job")
    with controls:
        thumbnails(pictures)
        preset_buttons()
        run, stop = st.columns(2)
        estimate = st.empty()
        settings = gatys_settings()
        ready = settings is not None and content is not None and style is not None
        if ready:
            estimate.caption(estimate_caption(settings, content.pixels, job))
        if run.button("▶ Run", key="st_run", type="primary", disabled=not ready, width="stretch"):
            job = _start(content, style, settings, result)
        stop_button(stop, "st_stop", "st_job", 60, width="stretch")
    with explanation():
        st.markdown(FEATURES_NOTE)
    with result:
        if job is None:
            st.info("Choose a content and a style picture, then press Run to watch J(G) fall.")
            return
        show_live(job, partial(show_progress, job), REFRESH_S)  # Stop keeps the last image
