"""The style-transfer page's optimisation tab: controls, Run/Stop, and the live view of the job."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import streamlit as st

from app_support.shared.ui import show_error
from app_support.style_transfer import cache as models
from app_support.style_transfer.job import GatysJob
from app_support.style_transfer.plots import cost_figure, gram_figure
from cnn_core.errors import CNNLabError
from cnn_core.images import encode_png
from cnn_core.style.image_ops import check_rgb, is_grayscale
from cnn_core.style.settings import (
    DEFAULT_CONTENT_LAYER,
    DEFAULT_STYLE_LAYERS,
    INITS,
    LAYER_STRIDES,
    OPTIMIZERS,
    GatysSettings,
)

SIZES = (64, 96, 128, 192, 256, 384, 512)
TV_WEIGHTS = (0, 10, 30, 100, 300, 1000, 3000, 10000)
SMOOTHING = ("off", 1, 2, 5, 10, 20)
RATES = (0.005, 0.01, 0.02, 0.05, 0.1)
BIND = {"bind": "query-params"}
#: How often the live view polls a running job, and how often it recomputes the Gram heatmaps (seconds).
REFRESH_S = 2.0
GRAM_REFRESH_S = 6.0


def checked(picture: np.ndarray | None, name: str) -> np.ndarray | None:
    """The picture if it is usable for style transfer, else None with the reason shown."""
    if picture is None:
        return None
    try:
        picture = check_rgb(picture, name)
    except CNNLabError as err:
        show_error(err)
        return None
    if is_grayscale(picture):
        st.caption(f"The {name} is grey: its channels are equal, so it brings no colour of its own.")
    return picture


def _layer_label(name: str) -> str:
    return f"{name} (1/{LAYER_STRIDES[name]})"


def _style_layer_table() -> dict[str, float]:
    """An editable table: which layers carry style, and their weights λ."""
    table = pd.DataFrame(
        {
            "layer": [_layer_label(name) for name in LAYER_STRIDES],
            "use": [name in DEFAULT_STYLE_LAYERS for name in LAYER_STRIDES],
            "λ": [DEFAULT_STYLE_LAYERS.get(name, 0.2) for name in LAYER_STRIDES],
        },
        index=list(LAYER_STRIDES),
    )
    edited = st.data_editor(
        table,
        key="st_layers",
        hide_index=True,
        disabled=["layer"],
        height=250,
        column_config={
            "use": st.column_config.CheckboxColumn(width="small"),
            "λ": st.column_config.NumberColumn(min_value=0.0, max_value=10.0, step=0.05, width="small"),
        },
    )
    chosen = edited[edited["use"]]
    return {str(name): float(weight) for name, weight in chosen["λ"].items()}


def gatys_settings() -> GatysSettings | None:
    """The optimisation controls (all but the λ table mirrored in the URL); None after showing an error."""
    left, middle, right = st.columns([1, 1, 1.3])
    with left:
        content_layer = st.selectbox(
            "Content layer",
            list(LAYER_STRIDES),
            index=list(LAYER_STRIDES).index(DEFAULT_CONTENT_LAYER),
            format_func=_layer_label,
            key="st_content_layer",
            **BIND,
        )
        ratio = st.slider("log₁₀(α/β)", -9.0, -2.0, -5.5, 0.25, key="st_ratio", **BIND)
        tv = st.select_slider("Total-variation weight w_TV", TV_WEIGHTS, value=1000, key="st_tv", **BIND)
        smoothing = st.select_slider(
            "Activation smoothing T (softmax, Wang et al. 2021)", SMOOTHING, value=5, key="st_smooth", **BIND
        )
    with middle:
        size = st.select_slider("Image size (longer side, px)", SIZES, value=256, key="st_size", **BIND)
        steps = st.slider("Iterations", 5, 1000, 200, 5, key="st_steps", **BIND)
        init = st.radio("Start from", INITS, horizontal=True, key="st_init", **BIND)
        optimizer = st.radio(
            "Optimiser",
            OPTIMIZERS,
            horizontal=True,
            format_func={"adam": "Adam", "lbfgs": "L-BFGS"}.get,
            key="st_opt",
            **BIND,
        )
        rate = st.select_slider("Adam learning rate", RATES, value=0.02, key="st_rate", **BIND)
        keep = st.checkbox("Keep the content's colours", key="st_keep", **BIND)
    with right:
        st.caption("Style layers and their weights λ")
        layers = _style_layer_table()
    try:
        return GatysSettings(
            content_layer=content_layer,
            style_layers=layers,
            alpha=1.0,
            beta=10.0**-ratio,
            tv_weight=float(tv),
            size=size,
            steps=steps,
            init=init,
            optimizer=optimizer,
            learning_rate=rate,
            keep_colours=keep,
            smoothing=None if smoothing == "off" else float(smoothing),
            report_every=max(1, min(10, steps // 20)),
        )
    except CNNLabError as err:
        show_error(err)
        return None


def _start(content: np.ndarray, style: np.ndarray, settings: GatysSettings) -> None:
    """Run's callback: stop this session's previous job and start a new one with what was on screen."""
    previous: GatysJob | None = st.session_state.get("st_job")
    if previous is not None:
        previous.stop()
    st.session_state["st_job"] = GatysJob(models.backbone(), content, style, settings)


def _stop() -> None:
    """Stop's callback: end the job after its current report; its last image stays."""
    job: GatysJob | None = st.session_state.get("st_job")
    if job is not None:
        job.stop()
        job.join(timeout=60)


def gatys_panel(content: np.ndarray | None, style: np.ndarray | None) -> None:
    """Controls, Run/Stop, and the live view of the current (or last) job of this session."""
    settings = gatys_settings()
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
    stop.button("■ Stop", key="st_stop", disabled=job is None or not job.running, on_click=_stop)
    if job is None:
        st.info("Choose a content and a style picture, then press Run to watch J(G) fall.")
        return
    live = job.running

    @st.fragment(run_every=REFRESH_S if live else None)
    def live_view() -> None:
        job.touch()
        _progress(job)
        if live and not job.running:
            st.rerun()  # the job ended: refresh the whole page once (buttons, no more polling)

    live_view()


def _progress(job: GatysJob) -> None:
    if job.error:
        st.error(job.error, icon="⚠️")
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
    layer = st.selectbox("Gram matrices of layer", layers, format_func=_layer_label, key="st_gram_layer")
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
