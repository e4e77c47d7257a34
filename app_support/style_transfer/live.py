"""The live view of a Gatys job: the preparation bar, then G with its step, the costs, the Gram matrices and
the downloads, all drawn from ONE snapshot of the job (the thread may report again while the view draws)."""

from __future__ import annotations

import json

import streamlit as st

from app_support.shared.literal import literal
from app_support.shared.url import IN_URL
from app_support.style_transfer.controls import SIZES, layer_label
from app_support.style_transfer.job import PREPARATION, GatysJob, stage_text
from app_support.style_transfer.plots import cost_figure, gram_figure
from cnn_core.images import encode_png
from cnn_core.style.optimize import Progress


def show_progress(job: GatysJob) -> None:
    """What the job has now: its preparation stage, or its latest image with costs, Grams and downloads."""
    if job.error:
        st.error(literal(job.error), icon="⚠️")
    latest = job.latest  # the one snapshot everything below describes
    if latest is None:
        if job.running:
            st.progress(job.stage / len(PREPARATION), text=stage_text(job.stage, job.settings))
        return
    state = "stopped" if job.stopped and not latest.done else "done" if latest.done else "running"
    st.image(latest.image, caption=f"G after {latest.step} steps ({state})", width="stretch")
    steps = job.settings.steps
    st.progress(min(1.0, latest.step / steps), text=f"step {latest.step} / {steps}")
    a, b, c = st.columns(3)
    a.metric("J", f"{latest.costs['total']:.4g}")
    b.metric("elapsed", f"{latest.elapsed_s:.1f} s")
    c.metric("remaining", f"{latest.remaining_s:.1f} s" if state == "running" else "—")
    _downloads(job, latest)
    history = [row for row in job.history if row["step"] <= latest.step]
    st.plotly_chart(cost_figure(history, job.settings), key="st_costs")
    _gram_heatmaps(job, latest)


def _gram_heatmaps(job: GatysJob, latest: Progress) -> None:
    """Ĝ(S), Ĝ(G) and their difference at one style layer, G being the image shown (``latest``)."""
    layer = st.selectbox(
        "Gram matrices of layer",
        list(job.settings.style_layers),
        format_func=layer_label,
        key="st_gram_layer",
        bind=IN_URL,
    )
    tag = (id(job), layer, latest.step)
    cached = st.session_state.get("st_gram_cache")
    if cached is None or cached["tag"] != tag:  # one forward pass per new snapshot and layer
        cached = {"tag": tag, "grams": job.problem.grams(latest.image, layer)}
        st.session_state["st_gram_cache"] = cached
    st.caption(f"Gram matrices of S and of G after {latest.step} steps (the image above)")
    st.plotly_chart(gram_figure(*cached["grams"], layer), key="st_grams")


def _downloads(job: GatysJob, latest: Progress) -> None:
    """The image shown as PNG, and the settings with its step and costs as JSON."""
    height, width = latest.image.shape[:2]
    payload = {"settings": job.settings.as_dict(), "step": latest.step, "costs": latest.costs}
    left, right = st.columns(2)
    left.download_button(
        "Download PNG",
        encode_png(latest.image),
        "style-transfer.png",
        "image/png",
        key="st_png",
        on_click="ignore",
        help=f"G as shown: {width}x{height} px",
        width="stretch",
    )
    right.download_button(
        "Download settings (JSON)",
        json.dumps(payload, indent=2),
        "style-transfer-settings.json",
        "application/json",
        key="st_json",
        on_click="ignore",
        width="stretch",
    )
    st.caption(
        f"The PNG is {width}x{height} px: the optimisation works at the size chosen, at most {max(SIZES)} px "
        "here, since time grows with the pixels. For a painting at the photo's own size, use the Fast "
        "methods tab."
    )
