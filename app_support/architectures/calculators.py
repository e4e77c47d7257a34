"""The calculator sections of the Architectures page: 1x1 bottleneck, why convolutions, build your own."""

from __future__ import annotations

import streamlit as st

from app_support.architectures.cache import custom_summary
from app_support.architectures.plots import bottleneck_figure
from app_support.architectures.tables import guarded, human, layer_table, totals
from app_support.shared import why_convolutions as shared
from app_support.shared.ui import number_row, show_error
from app_support.shared.url import IN_URL, bound_number
from cnn_core.conv.costs import bottleneck_cost
from cnn_core.errors import CNNLabError
from cnn_core.zoo.custom import KINDS, LayerSpec, layer_shapes

#: the course's LeNet-5-like example, the builder's starting point
COURSE_STACK = (
    LayerSpec("conv", 6, 5),
    LayerSpec("maxpool", 6, 2, 2),
    LayerSpec("conv", 16, 5),
    LayerSpec("maxpool", 16, 2, 2),
    LayerSpec("fc", 120),
    LayerSpec("fc", 84),
    LayerSpec("fc", 10),
)
#: bottleneck_cost's arguments → (label, default: the course's 28x28x192 → 5x5 conv with 32 filters)
BOTTLENECK_CONTROLS = {
    "height": ("height n_H", 28),
    "width": ("width n_W", 28),
    "channels_in": ("channels n_C", 192),
    "f": ("filter f", 5),
    "filters": ("filters", 32),
    "bottleneck": ("bottleneck channels", 16),
}


@st.fragment
def bottleneck() -> None:
    """The course's 28x28x192 → 5x5 conv with 32 filters: 120 M multiplies, 12.4 M through 16 channels."""
    values = number_row(BOTTLENECK_CONTROLS, "arch_b")
    try:
        cost = bottleneck_cost(**values)
    except CNNLabError as err:
        show_error(err)
        return
    h, w, c, f, k, m = values.values()
    left, middle, right = st.columns(3)
    left.metric("direct", human(cost.direct_multiplies), help=f"{cost.direct_multiplies:,} multiplies")
    middle.metric(
        "with the 1x1 bottleneck",
        human(cost.bottleneck_multiplies),
        help=f"{cost.bottleneck_multiplies:,} multiplies",
    )
    right.metric("saving", f"{cost.saving:.1f}x fewer")
    st.latex(rf"\text{{direct: }} {h}\cdot{w}\cdot{k}\cdot{f}\cdot{f}\cdot{c} = {cost.direct_multiplies:,}")
    st.latex(
        rf"\text{{bottleneck: }} {h}\cdot{w}\cdot{m}\cdot{c} + {h}\cdot{w}\cdot{k}\cdot{f}\cdot{f}\cdot{m}"
        rf" = {cost.bottleneck_multiplies:,}"
    )
    st.caption(
        f"Parameters: {cost.direct_params:,} directly, {cost.bottleneck_params:,} with the bottleneck."
    )
    st.plotly_chart(bottleneck_figure(cost), key="arch_bottleneck_chart")


@st.fragment
def why_convolutions() -> None:
    """Parameters of a conv layer vs a fully connected layer between the same volumes (456 vs ~14 M)."""
    shared.why_convolutions("arch_w")


def _layer_controls(index: int, default: LayerSpec) -> LayerSpec:
    """One row of the builder: kind, filters / units, f, s, p of layer ``index`` (1-based)."""
    kind_col, size_col, f_col, s_col, p_col = st.columns([2, 1, 1, 1, 1])
    kind = kind_col.selectbox(
        f"layer {index}", KINDS, index=KINDS.index(default.kind), key=f"arch_l{index}_kind", bind=IN_URL
    )
    size = bound_number(
        "filters / units",
        f"arch_l{index}_size",
        default.size,
        where=size_col,
        disabled=kind in ("maxpool", "avgpool"),
    )
    geometry = [
        bound_number(name, f"arch_l{index}_{name}", value, where=column, disabled=kind == "fc")
        for column, name, value in zip(
            (f_col, s_col, p_col), "fsp", (default.f, default.s, default.p), strict=True
        )
    ]
    return LayerSpec(kind, size, *geometry)


@st.fragment
def build_your_own() -> None:
    """A small sequential network from controls; impossible shapes fail at once, naming the layer."""
    shape_cols = st.columns(4)
    shape = tuple(
        bound_number(name, f"arch_in_{name}", value, where=col)
        for col, name, value in zip(shape_cols[:3], ("H", "W", "C"), (32, 32, 3), strict=True)
    )
    count = bound_number("layers", "arch_layers", len(COURSE_STACK), where=shape_cols[3])
    defaults = [*COURSE_STACK, *(LayerSpec("fc", 10),) * 10]
    specs = tuple(_layer_controls(i + 1, defaults[i]) for i in range(count))
    try:
        shapes = layer_shapes(shape, list(specs))
    except CNNLabError as err:
        show_error(err)
        return
    st.caption(" → ".join(["x".join(map(str, shape))] + ["x".join(map(str, s)) for s in shapes]))
    summary = guarded(lambda: custom_summary(shape, specs), "Building your network…")
    if summary is not None:
        totals(summary)
        layer_table(summary, "arch_custom")
