"""The controls of a Gatys optimisation, starting from cnn_core's defaults and mirrored in the URL."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from cnn_core.errors import CNNLabError
from cnn_core.style.settings import DEFAULT_STYLE_LAYERS, INITS, LAYER_STRIDES, OPTIMIZERS, GatysSettings

#: longer sides offered here; memory grows with the pixel count (cnn_core.style.image_ops.MAX_SIDE)
SIZES = (64, 96, 128, 192, 256, 384, 512)
SIZE_HELP = (
    "Memory grows with the pixel count: a run holds about 90 MiB of server memory at 256 px and 310 MiB "
    "at 512 px (1.2 GiB at 1024 px, which only the command line allows)."
)
STEPS_HELP = "Time grows with the steps: about 0.05 s a step at 256 px and 0.16 s at 512 px on two CPU cores."
TV_WEIGHTS = (0, 10, 30, 100, 300, 1000, 3000, 10000)
SMOOTHING = ("off", 1, 2, 5, 10, 20)
RATES = (0.005, 0.01, 0.02, 0.05, 0.1)
#: the controls start from cnn_core's defaults
DEFAULTS = GatysSettings()
#: log₁₀(α/β) of the defaults, on the slider's grid of 0.25
DEFAULT_RATIO = round(4 * math.log10(DEFAULTS.alpha / DEFAULTS.beta)) / 4
#: λ offered for a layer outside the default style layers: their equal share
LAYER_WEIGHT = 1 / len(DEFAULT_STYLE_LAYERS)


def layer_label(name: str) -> str:
    """A layer's name with its stride, e.g. "block5a_expand_activation (1/16)"."""
    return f"{name} (1/{LAYER_STRIDES[name]})"


def _style_layer_table() -> dict[str, float]:
    """An editable table: which layers carry style, and their weights λ."""
    table = pd.DataFrame(
        {
            "layer": [layer_label(name) for name in LAYER_STRIDES],
            "use": [name in DEFAULT_STYLE_LAYERS for name in LAYER_STRIDES],
            "λ": [DEFAULT_STYLE_LAYERS.get(name, LAYER_WEIGHT) for name in LAYER_STRIDES],
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
            index=list(LAYER_STRIDES).index(DEFAULTS.content_layer),
            format_func=layer_label,
            key="st_content_layer",
            bind=IN_URL,
        )
        ratio = bound_slider("log₁₀(α/β)", "st_ratio", DEFAULT_RATIO, 0.25)
        tv = st.select_slider(
            "Total-variation weight w_TV", TV_WEIGHTS, value=DEFAULTS.tv_weight, key="st_tv", bind=IN_URL
        )
        smoothing = st.select_slider(
            "Activation smoothing T (softmax, Wang et al. 2021)",
            SMOOTHING,
            value="off" if DEFAULTS.smoothing is None else DEFAULTS.smoothing,
            key="st_smooth",
            bind=IN_URL,
        )
    with middle:
        size = st.select_slider(
            "Image size (longer side, px)",
            SIZES,
            value=DEFAULTS.size,
            key="st_size",
            bind=IN_URL,
            help=SIZE_HELP,
        )
        steps = bound_slider("Iterations", "st_steps", DEFAULTS.steps, 5, help=STEPS_HELP)
        init = st.radio(
            "Start from", INITS, index=INITS.index(DEFAULTS.init), horizontal=True, key="st_init", bind=IN_URL
        )
        optimizer = st.radio(
            "Optimiser",
            OPTIMIZERS,
            index=OPTIMIZERS.index(DEFAULTS.optimizer),
            horizontal=True,
            format_func={"adam": "Adam", "lbfgs": "L-BFGS"}.get,
            key="st_opt",
            bind=IN_URL,
        )
        rate = st.select_slider(
            "Adam learning rate", RATES, value=DEFAULTS.learning_rate, key="st_rate", bind=IN_URL
        )
        keep = st.checkbox("Keep the content's colours", DEFAULTS.keep_colours, key="st_keep", bind=IN_URL)
    with right:
        st.caption("Style layers and their weights λ")
        layers = _style_layer_table()
    try:
        return GatysSettings(
            content_layer=content_layer,
            style_layers=layers,
            alpha=DEFAULTS.alpha,
            beta=DEFAULTS.alpha * 10.0**-ratio,  # ratio = log₁₀(α/β)
            tv_weight=float(tv),
            size=size,
            steps=steps,
            init=init,
            optimizer=optimizer,
            learning_rate=rate,
            keep_colours=keep,
            smoothing=None if smoothing == "off" else float(smoothing),
            report_every=max(1, min(DEFAULTS.report_every, steps // 20)),  # about 20 reports a run
        )
    except CNNLabError as err:
        show_error(err)
        return None
