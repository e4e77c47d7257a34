"""The calculator sections of the Architectures page: 1x1 bottleneck, why convolutions, build your own."""

from __future__ import annotations

import streamlit as st

from app_support.architectures.cache import custom_summary
from app_support.architectures.plots import bottleneck_figure
from app_support.architectures.sections import guarded, human, layer_table, totals
from app_support.shared.ui import show_error
from app_support.shared.url import query_int, share_in_url
from cnn_core.conv.costs import bottleneck_cost, conv_vs_dense
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


def _numbers(labels: dict[str, int], prefix: str) -> dict[str, int]:
    """A row of whole-number inputs, defaults from the URL (``?{prefix}{name}=...``)."""
    columns = st.columns(len(labels))
    return {
        name: int(
            column.number_input(
                name, value=query_int(f"{prefix}{name}", default), step=1, key=f"arch_{prefix}{name}"
            )
        )
        for column, (name, default) in zip(columns, labels.items(), strict=True)
    }


@st.fragment
def bottleneck() -> None:
    """The course's 28x28x192 → 5x5 conv with 32 filters: 120 M multiplies, 12.4 M through 16 channels."""
    values = _numbers({"H": 28, "W": 28, "C_in": 192, "f": 5, "filters": 32, "bottleneck": 16}, "b_")
    share_in_url(**{f"b_{k}": v for k, v in values.items()})
    try:
        cost = bottleneck_cost(
            values["H"], values["W"], values["C_in"], values["f"], values["filters"], values["bottleneck"]
        )
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
    values = _numbers({"H": 32, "W": 32, "C": 3, "f": 5, "filters": 6, "s": 1, "p": 0}, "w_")
    share_in_url(**{f"w_{k}": v for k, v in values.items()})
    try:
        result = conv_vs_dense(*values.values())
    except CNNLabError as err:
        show_error(err)
        return
    shape_in, shape_out = ("x".join(map(str, shape)) for shape in (result.input_shape, result.output_shape))
    left, middle, right = st.columns(3)
    left.metric(f"conv {shape_in} → {shape_out}", f"{result.conv_params:,}")
    middle.metric("fully connected, same shapes", f"{result.dense_params:,}")
    right.metric("ratio", f"{result.ratio:,.0f}x")
    st.markdown(
        f"**Parameter sharing:** one {values['f']}x{values['f']}x{values['C']} filter (+ bias) per output "
        f"channel is reused at every position. **Sparse connections:** each output reads "
        f"{result.conv_inputs_per_output:,} inputs instead of all {result.dense_inputs_per_output:,}."
    )


def _layer_controls(index: int, default: LayerSpec) -> LayerSpec:
    kind_col, size_col, f_col, s_col, p_col = st.columns([2, 1, 1, 1, 1])
    kind = kind_col.selectbox(
        f"layer {index}", KINDS, index=KINDS.index(default.kind), key=f"arch_l{index}_kind"
    )
    size = size_col.number_input(
        "filters / units",
        value=default.size,
        step=1,
        key=f"arch_l{index}_size",
        disabled=kind in ("maxpool", "avgpool"),
    )
    geometry = [
        column.number_input(name, value=value, step=1, key=f"arch_l{index}_{name}", disabled=kind == "fc")
        for column, name, value in zip(
            (f_col, s_col, p_col), "fsp", (default.f, default.s, default.p), strict=True
        )
    ]
    return LayerSpec(kind, int(size), *(int(v) for v in geometry))


@st.fragment
def build_your_own() -> None:
    """A small sequential network from controls; impossible shapes fail at once, naming the layer."""
    shape_cols = st.columns(4)
    shape = tuple(
        int(col.number_input(name, value=value, step=1, key=f"arch_in_{name}"))
        for col, name, value in zip(shape_cols[:3], ("H", "W", "C"), (32, 32, 3), strict=True)
    )
    count = int(shape_cols[3].number_input("layers", 1, 10, len(COURSE_STACK), key="arch_layers"))
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
