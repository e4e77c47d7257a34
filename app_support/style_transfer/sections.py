"""The style-transfer page: the two pictures above the tabs, and the optimisation tab (its controls, Run and
Stop, the live view of the job)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import partial

import streamlit as st

from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.job import show_live, stop_session_job
from app_support.shared.literal import literal
from app_support.shared.ui import show_error
from app_support.style_transfer import cache as models
from app_support.style_transfer.controls import gatys_settings, layer_label
from app_support.style_transfer.job import GatysJob
from app_support.style_transfer.plots import cost_figure, gram_figure
from cnn_core.errors import CNNLabError
from cnn_core.images import encode_png
from cnn_core.style.image_ops import check_style_image, is_grayscale
from cnn_core.style.settings import GatysSettings

#: How often the live view polls a running job, and how often it recomputes the Gram heatmaps (seconds).
REFRESH_S = 2.0
GRAM_REFRESH_S = 6.0


@dataclass(frozen=True)
class Pictures:
    """The content picture C and the style picture S, each checked, or None when unusable."""

    content: Picture | None
    style: Picture | None


def inputs() -> Pictures:
    """The content and style pickers side by side, each picture checked, and a note on the features."""
    content_column, style_column = st.columns(2)
    with content_column:
        content = checked(
            image_picker("st_content", camera=True, default_sample="chelsea", label="Content image C"),
            "content image",
        )
    with style_column:
        style = checked(
            image_picker("st_style", camera=True, default_sample="flower", label="Style image S"),
            "style image",
        )
    st.caption(
        "Features: EfficientNet-Lite0 (ImageNet). No VGG weights can be had offline, and non-VGG networks "
        "give noisier results: the softmax smoothing of Wang, Li & Vasconcelos (CVPR 2021) and total "
        "variation fix most of it."
    )
    return Pictures(content, style)


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


def _start(content: Picture, style: Picture, settings: GatysSettings) -> None:
    """Run's callback: stop this session's previous job and start a new one with what was on screen."""
    previous: GatysJob | None = st.session_state.get("st_job")
    if previous is not None:
        previous.stop()
    st.session_state["st_job"] = GatysJob(models.backbone(), content.pixels, style.pixels, settings)


def gatys_panel(pictures: Pictures) -> None:
    """Controls, Run/Stop, and the live view of the current (or last) job of this session."""
    settings = gatys_settings()
    content, style = pictures.content, pictures.style
    ready = settings is not None and content is not None and style is not None
    job: GatysJob | None = st.session_state.get("st_job")
    run, stop, _ = st.columns([1, 1, 4])
    run.button(
        "▶ Run",
        key="st_run",
        type="primary",
        disabled=not ready,
        on_click=_start,
        args=(content, style, settings),
    )
    stop.button(
        "■ Stop",
        key="st_stop",
        disabled=job is None or not job.running,
        on_click=stop_session_job,
        args=("st_job", 60),
    )
    if job is None:
        st.info("Choose a content and a style picture, then press Run to watch J(G) fall.")
        return
    show_live(job, partial(_progress, job), REFRESH_S)  # Stop keeps the last image


def _progress(job: GatysJob) -> None:
    if job.error:
        st.error(literal(job.error), icon="⚠️")
    latest = job.latest
    if latest is None:
        st.info("Preparing: computing the targets and tracing the tf.function…")
        return
    state = "stopped" if job.stopped and not latest.done else "done" if latest.done else "running"
    image_column, chart_column = st.columns([2, 3])
    with image_column:
        st.image(latest.image, caption=f"G after {latest.step} steps ({state})", width="stretch")
    with chart_column:
        st.progress(
            min(1.0, latest.step / job.settings.steps), text=f"step {latest.step} / {job.settings.steps}"
        )
        a, b, c = st.columns(3)
        a.metric("J", f"{latest.costs['total']:.4g}")
        b.metric("elapsed", f"{latest.elapsed_s:.1f} s")
        c.metric("remaining", f"{latest.remaining_s:.1f} s" if state == "running" else "—")
        st.plotly_chart(cost_figure(job.history, job.settings), key="st_costs")
    _gram_heatmaps(job)
    _downloads(job)


def _gram_heatmaps(job: GatysJob) -> None:
    layers = list(job.settings.style_layers)
    layer = st.selectbox("Gram matrices of layer", layers, format_func=layer_label, key="st_gram_layer")
    cached = st.session_state.get("st_gram_cache")
    fresh = (
        cached is not None
        and cached["tag"] == (id(job), layer)
        and (cached["step"] == job.latest.step or time.monotonic() - cached["at"] < GRAM_REFRESH_S)
    )
    if not fresh:  # a forward pass: at most every GRAM_REFRESH_S while the job runs
        grams = job.problem.grams(job.latest.image, layer)
        cached = {"tag": (id(job), layer), "step": job.latest.step, "at": time.monotonic(), "grams": grams}
        st.session_state["st_gram_cache"] = cached
    st.caption(f"Gram matrices of step {cached['step']}")
    st.plotly_chart(gram_figure(*cached["grams"], layer), key="st_grams")


def _downloads(job: GatysJob) -> None:
    latest = job.latest
    payload = {"settings": job.settings.as_dict(), "step": latest.step, "costs": latest.costs}
    left, right, _ = st.columns([1, 1.4, 2])
    left.download_button(
        "Download PNG",
        encode_png(latest.image),
        "style-transfer.png",
        "image/png",
        key="st_png",
        on_click="ignore",
    )
    right.download_button(
        "Download settings (JSON)",
        json.dumps(payload, indent=2),
        "style-transfer-settings.json",
        "application/json",
        key="st_json",
        on_click="ignore",
    )
