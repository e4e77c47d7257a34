"""The sections of the Architectures page. Each is an ``st.fragment``: its controls rerun only itself."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_support.architectures import plots
from app_support.architectures.cache import BLOCKS, block_dot, upload_summary, zoo_summary
from app_support.shared.ui import show_error
from app_support.shared.url import query_choice, share_in_url
from cnn_core.architectures.model_file import MAX_FILE_BYTES
from cnn_core.architectures.summary import ModelSummary
from cnn_core.errors import CNNLabError
from cnn_core.zoo import ZOO

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


def layer_table(summary: ModelSummary, key: str) -> None:
    """The per-layer table and its CSV download."""
    frame = pd.DataFrame(summary.records())
    st.dataframe(frame, column_config=COLUMNS, hide_index=True, height=380)
    st.download_button(
        "Download the table (CSV)",
        frame.to_csv(index=False),
        f"{summary.name}_layers.csv",
        "text/csv",
        key=f"{key}_csv",
    )


def charts(summary: ModelSummary, key: str) -> None:
    """Parameters and multiply-adds per layer, the H·W vs C flow, and the FC vs conv parameter share."""
    log_scale = st.toggle("log scale", value=True, key=f"{key}_log")
    st.plotly_chart(plots.layer_costs_figure(summary, log_scale), key=f"{key}_costs")
    flow, share = st.columns([3, 2])
    with flow:
        st.markdown("**H·W shrinks while C grows**")
        st.plotly_chart(plots.shape_flow_figure(summary), key=f"{key}_flow")
    with share:
        st.markdown("**Where the parameters are**")
        st.plotly_chart(plots.param_share_figure(summary), key=f"{key}_share")


def everything(summary: ModelSummary, key: str) -> None:
    """Totals, table and charts of one model."""
    totals(summary)
    layer_table(summary, key)
    charts(summary, key)


def model_picker(label: str, param: str, default: str, key: str) -> str:
    """A select box of the zoo's models, starting from ``?{param}=`` in the URL."""
    names = list(ZOO)
    start = names.index(query_choice(param, names, default))
    return st.selectbox(label, names, index=start, format_func=lambda n: ZOO[n].title, key=key)


@st.fragment
def explore() -> None:
    """Pick a zoo model: its totals, table and charts."""
    name = model_picker("model", "model", "lenet5", "arch_model")
    share_in_url(model=name)
    st.caption(f"Reference count: {ZOO[name].reference}.")
    summary = guarded(lambda: zoo_summary(name), f"Building {ZOO[name].title}…")
    if summary is not None:
        everything(summary, "arch_explore")


@st.fragment
def blocks() -> None:
    """Residual blocks and the Inception module, drawn from the blocks the builders create."""
    titles = list(BLOCKS)
    title = st.radio(
        "block",
        titles,
        index=titles.index(query_choice("block", titles, titles[1])),
        horizontal=True,
        key="arch_block",
    )
    share_in_url(block=title)
    st.caption(
        "Traced from the same `BottleneckSpec` / `InceptionSpec` that build ResNet-50, Plain-50 and "
        "Inception v1; arrows carry the tensor shape H x W x C. The identity block adds its input unchanged; "
        "the convolutional block resizes it with a 1x1 conv of stride s so that the shapes match at Add."
    )
    if "torchvision" in title:
        st.info(
            "torchvision's GoogLeNet uses a 3x3 kernel in the branch named 5x5 (a bug kept for its weights); "
            "that is how it gets 6,624,904 parameters, and so does this zoo's inception-v1."
        )
    st.graphviz_chart(block_dot(title))


@st.fragment
def upload() -> None:
    """Open your own .keras file and get the same table."""
    file = st.file_uploader(
        f"a .keras file (at most {MAX_FILE_BYTES // 2**20} MB)", type=["keras"], key="arch_upload"
    )
    st.caption("Loaded with Keras safe mode: Lambda layers and classes from outside Keras are refused.")
    if file is None:
        return
    data = file.getvalue()
    summary = guarded(lambda: upload_summary(data), "Loading the model…")
    if summary is None:
        return
    shape = summary.input_shapes[0] if len(summary.input_shapes) == 1 else ()
    if None in shape:
        st.warning("The model's input size is open; give one to count shapes and multiply-adds.")
        columns = st.columns(len(shape))
        fixed = tuple(
            value
            if value is not None
            else int(column.number_input(f"input axis {i + 1}", 1, 4096, 224, key=f"arch_upload_axis{i}"))
            for i, (value, column) in enumerate(zip(shape, columns, strict=True))
        )
        summary = guarded(lambda: upload_summary(data, fixed), "Tracing the model…")
        if summary is None:
            return
    everything(summary, "arch_upload")


@st.fragment
def compare() -> None:
    """Two zoo models side by side."""
    left, right = st.columns(2)
    with left:
        first = model_picker("first model", "a", "vgg16", "arch_cmp_a")
    with right:
        second = model_picker("second model", "b", "resnet50", "arch_cmp_b")
    share_in_url(a=first, b=second)
    summaries = [guarded(lambda n=n: zoo_summary(n), f"Building {ZOO[n].title}…") for n in (first, second)]
    if None in summaries:
        return
    table = pd.DataFrame(
        {
            s.name: {
                "parameters": f"{s.total_params:,}",
                "trainable": f"{s.trainable_params:,}",
                "conv + FC layers (depth)": str(s.depth),
                "rows in the table": str(len(s.rows)),
                "multiply-adds": human(s.macs),
                "activation memory": human(s.activation_bytes, "B"),
                "parameters in FC layers": f"{s.params_by_category()['fc'] / s.total_params:.0%}",
            }
            for s in summaries
        }
    )
    st.table(table)
    st.plotly_chart(plots.compare_figure(summaries), key="arch_cmp_chart")
