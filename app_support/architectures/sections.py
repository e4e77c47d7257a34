"""The sections of the Architectures page. Each is an ``st.fragment``: its controls rerun only itself."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support.architectures import plots
from app_support.architectures.cache import BLOCKS, block_dot, upload_summary, zoo_charts, zoo_summary
from app_support.architectures.tables import guarded, human, layer_table, totals
from app_support.shared.upload import file_uploader
from app_support.shared.url import IN_URL
from cnn_core.architectures.model_file import MAX_FILE_BYTES, MAX_PARAMS
from cnn_core.architectures.summary import ModelSummary
from cnn_core.zoo import ZOO

#: parameters of links made before the page's controls took page-prefixed keys → their names now
LEGACY_PARAMS = {
    "tab": "arch_tab",
    "model": "arch_model",
    "block": "arch_block",
    "a": "arch_cmp_a",
    "b": "arch_cmp_b",
    "b_H": "arch_b_height",
    "b_W": "arch_b_width",
    "b_C_in": "arch_b_channels_in",
    "b_f": "arch_b_f",
    "b_filters": "arch_b_filters",
    "b_bottleneck": "arch_b_bottleneck",
    "w_H": "arch_w_height",
    "w_W": "arch_w_width",
    "w_C": "arch_w_channels_in",
    "w_f": "arch_w_f",
    "w_filters": "arch_w_filters",
    "w_s": "arch_w_s",
    "w_p": "arch_w_p",
}
#: an open input axis is fixed to 1 … 4,096: only shapes are traced, so no array of that size is made
AXIS_HELP = "1 to 4,096. Only shapes are traced, so no array this size is made; the table shows its memory."
#: the models the page opens on: the course's LeNet-5, and a comparison of the two best-known ImageNet nets
EXPLORE_DEFAULT, COMPARE_DEFAULTS = "lenet5", ("vgg16", "resnet50")


def charts(summary: ModelSummary, key: str, zoo_name: str | None) -> None:
    """Parameters and multiply-adds per layer, the H·W vs C flow, and the FC vs conv parameter share; a zoo
    model's figures are built once per process, an uploaded model's for its visitor on each run."""
    log_scale = st.toggle("log scale", value=True, key=f"{key}_log", bind=IN_URL)
    figures = zoo_charts(zoo_name, log_scale) if zoo_name else plots.model_charts(summary, log_scale)
    st.plotly_chart(figures.costs, key=f"{key}_costs")
    flow, share = st.columns([3, 2])
    with flow:
        st.markdown("**H·W shrinks while C grows**")
        st.plotly_chart(figures.flow, key=f"{key}_flow")
    with share:
        st.markdown("**Where the parameters are**")
        st.plotly_chart(figures.share, key=f"{key}_share")


def everything(summary: ModelSummary, key: str, zoo_name: str | None = None) -> None:
    """Totals, table and charts of one model (``zoo_name``: the zoo model it is, None for an upload)."""
    totals(summary)
    layer_table(summary, key)
    charts(summary, key, zoo_name)


def model_picker(label: str, default: str, key: str) -> str:
    """A select box of the zoo's models by command-line name (so the URL reads ``?{key}=resnet50``)."""
    names = list(ZOO)
    return st.selectbox(label, names, index=names.index(default), key=key, bind=IN_URL)


def model_note(name: str) -> None:
    """Where the zoo model departs from the paper it is named after, say so."""
    if ZOO[name].note:
        st.info(f"**{name}**: {ZOO[name].note}.", icon="ℹ️")


@st.fragment
def explore() -> None:
    """Pick a zoo model: its totals, table and charts."""
    name = model_picker("model", EXPLORE_DEFAULT, "arch_model")
    st.caption(f"**{ZOO[name].title}** · reference count: {ZOO[name].reference}.")
    model_note(name)
    summary = guarded(lambda: zoo_summary(name), f"Building {ZOO[name].title}…")
    if summary is not None:
        everything(summary, "arch_explore", name)


@st.fragment
def blocks() -> None:
    """Residual blocks and the Inception module, drawn from the blocks the builders create."""
    titles = list(BLOCKS)
    title = st.radio("block", titles, index=1, horizontal=True, key="arch_block", bind=IN_URL)
    st.caption(
        "Traced from the same `BottleneckSpec` / `InceptionSpec` that build ResNet-50, Plain-50 and "
        "Inception v1; arrows carry the tensor shape H x W x C. The identity block adds its input unchanged; "
        "the convolutional block resizes it with a 1x1 conv of stride s so that the shapes match at Add."
    )
    if "torchvision" in title:
        st.info(
            "torchvision's GoogLeNet uses a 3x3 kernel in the branch named 5x5 (a bug kept for its weights); "
            "that is how it gets 6,624,904 parameters, and so does this zoo's inception-v1. The paper's "
            "network, with 5x5 kernels, is the zoo's inception-v1-paper (6,998,552 parameters)."
        )
    st.graphviz_chart(block_dot(title))


@st.fragment
def upload() -> None:
    """Open your own .keras file and get the same table."""
    file = file_uploader(
        "a .keras file (Keras 3)",
        ["keras"],
        "arch_upload",
        max_bytes=MAX_FILE_BYTES,
        note=f"at most {MAX_PARAMS:,} parameters",
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
            else int(
                column.number_input(
                    f"input axis {i + 1}", 1, 4096, 224, key=f"arch_upload_axis{i}", help=AXIS_HELP
                )
            )
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
        first = model_picker("first model", COMPARE_DEFAULTS[0], "arch_cmp_a")
        model_note(first)
    with right:
        second = model_picker("second model", COMPARE_DEFAULTS[1], "arch_cmp_b")
        model_note(second)
    summaries = {
        ZOO[n].title: guarded(lambda n=n: zoo_summary(n), f"Building {ZOO[n].title}…")
        for n in (first, second)
    }
    if None in summaries.values():
        return
    table = pd.DataFrame(
        {
            title: {
                "parameters": f"{s.total_params:,}",
                "trainable": f"{s.trainable_params:,}",
                "conv + FC layers (depth)": str(s.depth),
                "rows in the table": str(len(s.rows)),
                "multiply-adds": human(s.macs),
                "activation memory": human(s.activation_bytes, "B"),
                "parameters in FC layers": f"{s.params_by_category()['fc'] / s.total_params:.0%}",
            }
            for title, s in summaries.items()
        }
    )
    st.table(table)
    st.plotly_chart(plots.compare_figure(summaries), key="arch_cmp_chart")
