"""The controls of a Gatys optimisation, starting from cnn_core's defaults and mirrored in the URL: the
size and the steps (with two presets and the estimated time) in view, the rest folded under them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from cnn_core.errors import CNNLabError
from cnn_core.images import scaled_size
from cnn_core.style.settings import (
    DEFAULT_STYLE_LAYERS,
    INITS,
    LAYER_STRIDES,
    OPTIMIZERS,
    PREPARE_SECONDS,
    QUICK_DEMO,
    GatysSettings,
    estimate_seconds,
    step_seconds,
)

if TYPE_CHECKING:
    from app_support.style_transfer.job import GatysJob

#: longer sides offered here: time caps them (every step is a forward and backward pass at this size)
SIZES = (64, 96, 128, 192, 256, 384, 512)
SIZE_HELP = (
    f"Time and memory grow with the pixel count, so the optimisation works at most at {max(SIZES)} px here "
    "(a run holds about 310 MiB there; the command line allows 1024 px). The Fast methods tab paints at "
    "the photo's own size."
)
STEPS_HELP = "Time grows with the steps: each step is one forward and one backward pass of the network."
TV_WEIGHTS = (0, 10, 30, 100, 300, 1000, 3000, 10000)
SMOOTHING = ("off", 1, 2, 5, 10, 20)
RATES = (0.005, 0.01, 0.02, 0.05, 0.1)
#: the controls start from cnn_core's defaults
DEFAULTS = GatysSettings()
#: λ offered for a layer outside the default style layers: their equal share
LAYER_WEIGHT = 1 / len(DEFAULT_STYLE_LAYERS)


def _ratio(settings: GatysSettings) -> float:
    """log₁₀(α/β) of ``settings`` on the slider's grid of 0.25."""
    return round(4 * math.log10(settings.alpha / settings.beta)) / 4


#: log₁₀(α/β) of the defaults
DEFAULT_RATIO = _ratio(DEFAULTS)


@dataclass(frozen=True)
class Preset:
    """A button that sets several controls at once: ``values`` maps widget keys to values."""

    label: str
    key: str
    values: dict[str, object]
    help: str


def _preset(label: str, key: str, settings: GatysSettings, note: str) -> Preset:
    values = {
        "st_size": settings.size,
        "st_steps": settings.steps,
        "st_rate": settings.learning_rate,
        "st_ratio": _ratio(settings),
        "st_opt": settings.optimizer,
    }
    return Preset(label, key, values, f"{settings.size} px, {settings.steps} steps, {note}")


PRESETS = (
    _preset(
        "⚡ Quick demo",
        "st_quick",
        QUICK_DEMO,
        f"a 10x larger style weight β and learning rate {QUICK_DEMO.learning_rate}: the picture changes "
        "within seconds.",
    ),
    _preset("Full quality", "st_full", DEFAULTS, "the default weights: cleaner strokes, a longer wait."),
)


def _apply(preset: Preset) -> None:
    """A preset button's callback: set the controls it names (the URL follows them)."""
    st.session_state.update(preset.values)


def preset_buttons() -> None:
    """One button per preset, in a row."""
    for column, preset in zip(st.columns(len(PRESETS)), PRESETS, strict=True):
        column.button(
            preset.label, key=preset.key, on_click=_apply, args=(preset,), help=preset.help, width="stretch"
        )


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
    """The optimisation controls (all but the λ table mirrored in the URL): presets, size and steps in view,
    the rest in a folded box; None after showing an error."""
    size = st.select_slider(
        "Image size (longer side, px)", SIZES, value=DEFAULTS.size, key="st_size", bind=IN_URL, help=SIZE_HELP
    )
    steps = bound_slider("Iterations", "st_steps", DEFAULTS.steps, 5, help=STEPS_HELP)
    with st.expander("More settings: layers, weights, optimiser"):
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


def estimate_caption(settings: GatysSettings, content: np.ndarray, job: GatysJob | None) -> str:
    """The estimated time of a run with ``settings`` on ``content`` (H, W, 3), before Run: the pace of the
    session's last run when it worked at the same size with the same optimiser, else the measured table."""
    height, width = content.shape[:2]
    w, h = scaled_size(width, height, settings.size)
    same = (
        job is not None
        and job.problem is not None
        and job.problem.content.shape[:2] == (h, w)
        and job.settings.optimizer == settings.optimizer
    )
    measured = job.seconds_per_step() if same else None
    pace = measured if measured is not None else step_seconds(w * h, settings.optimizer)
    source = "your last run's pace" if measured is not None else "measured on two CPU cores"
    total = estimate_seconds(settings, width, height, pace)
    return (
        f"Estimated time ≈ {total:.0f} s: {PREPARE_SECONDS:.0f} s to compile the step + {settings.steps} "
        f"steps × {pace:.3f} s at {w}x{h} px ({source}). Longer on a busy server, or on one still "
        "loading its networks (it does so when it starts)."
    )
