"""A model's numbers as the Architectures page shows them: totals as metrics, the per-layer table, and the
spinner-and-error wrapper every section builds a summary under."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_support.shared.ui import show_error
from cnn_core.architectures.summary import ModelSummary
from cnn_core.errors import CNNLabError

#: average width of a character in the table's 14-px font, a cell's left + right padding, and the widest a
#: text column gets (a longer name of an uploaded model wraps onto a phone's width otherwise), in px
CHAR_PX, CELL_PADDING_PX, MAX_TEXT_PX = 8, 24, 360
NUMBER = st.column_config.NumberColumn(format="localized")
COLUMNS = {
    "params": NUMBER,
    "trainable_params": NUMBER,
    "macs": st.column_config.NumberColumn("multiply-adds", format="localized"),
    "activation_bytes": st.column_config.NumberColumn("activation memory", format="bytes"),
}


def human(value: float, unit: str = "") -> str:
    """138357544 → "138.4 M"; small numbers stay whole."""
    for size, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f} {prefix}{unit}"
    return f"{value:,.0f} {unit}".strip()


def guarded(work: Callable[[], ModelSummary], message: str) -> ModelSummary | None:
    """Run ``work`` under a spinner; a CNNLabError is shown in the page and gives None."""
    try:
        with st.spinner(message):
            return work()
    except CNNLabError as err:
        show_error(err)
        return None


def totals(summary: ModelSummary) -> None:
    """Metrics: parameters (trainable / non-trainable), multiply-adds, activation memory and depth."""
    first, second = st.columns(3), st.columns(3)
    first[0].metric("parameters", f"{summary.total_params:,}")
    first[1].metric("trainable", f"{summary.trainable_params:,}")
    first[2].metric(
        "non-trainable", f"{summary.non_trainable_params:,}", help="e.g. BatchNorm moving statistics"
    )
    macs = human(summary.macs) + ("" if summary.macs_complete else " +?")
    second[0].metric("multiply-adds", macs, help=f"{summary.macs:,} per example; bias additions not counted")
    second[1].metric(
        "activation memory",
        human(summary.activation_bytes, "B"),
        help="all layer outputs of one example, float32",
    )
    second[2].metric("conv + FC layers", summary.depth)


def text_width(texts: list[str], header: str) -> int:
    """Pixels a text column needs for its longest entry (or its header): ~8 px a character plus padding, at
    most MAX_TEXT_PX."""
    return min(MAX_TEXT_PX, CELL_PADDING_PX + CHAR_PX * max(map(len, [header, *texts])))


def layer_table(summary: ModelSummary, key: str) -> None:
    """The per-layer table and its CSV download; the layer names are pinned on the left, wide enough for
    the longest name (a cut "block1_co" names nothing)."""
    frame = pd.DataFrame(summary.records())
    names = st.column_config.TextColumn("name", width=text_width(frame["name"].tolist(), "name"), pinned=True)
    types = st.column_config.TextColumn("type", width=text_width(frame["type"].tolist(), "type"))
    st.dataframe(frame, column_config={**COLUMNS, "name": names, "type": types}, hide_index=True, height=380)
    st.download_button(
        "Download the table (CSV)",
        frame.to_csv(index=False),
        f"{summary.name}_layers.csv",
        "text/csv",
        key=f"{key}_csv",
    )
