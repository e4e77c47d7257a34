"""The calculator sections of the Architectures page: 1x1 bottleneck, why convolutions, build your own."""

from __future__ import annotations

import streamlit as st

from app_support.architectures.cache import custom_summary
from app_support.architectures.plots import bottleneck_figure
from app_support.architectures.tables import NUMBER, guarded, human, layer_table, totals
from app_support.shared import why_convolutions as shared
from app_support.shared.ui import number_row, show_error
from app_support.shared.url import IN_URL, bound_number
from cnn_core.conv.costs import bottleneck_cost
from cnn_core.errors import CNNLabError
from cnn_core.zoo.course_stacks import PRESETS, ActivationRow, activation_table
from cnn_core.zoo.custom import KINDS, LayerSpec, layer_shapes

#: the builder's controls of the input size, and of each layer's numbers
SHAPE_NAMES, SPEC_FIELDS = ("H", "W", "C"), ("size", "f", "s", "p")
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


def _load_preset() -> None:
    """Put the chosen notes example into the builder's controls (input size, layer count, every layer)."""
    preset = PRESETS[st.session_state["arch_preset"]]
    for name, value in zip(SHAPE_NAMES, preset.input_shape, strict=True):
        st.session_state[f"arch_in_{name}"] = value
    st.session_state["arch_layers"] = len(preset.specs)
    for index, spec in enumerate(preset.specs, start=1):
        st.session_state[f"arch_l{index}_kind"] = spec.kind
        for field in SPEC_FIELDS:
            st.session_state[f"arch_l{index}_{field}"] = getattr(spec, field)


def _notes_column(row: ActivationRow) -> str:
    """What the notes print for a row: "✓" when it agrees, "✗" and their wrong values → the right ones,
    or "" when they print nothing for it."""
    if row.notes_errors:
        return "✗ " + "; ".join(row.notes_errors)
    printed = (row.notes.shape, row.notes.size, row.notes.params)
    return "" if printed == (None, None, None) else "✓"


def course_table(shape: tuple[int, int, int], specs: tuple[LayerSpec, ...], preset_title: str) -> None:
    """The notes' table (activation shape, size, # parameters) of the stack on screen, with what the notes
    print beside it while the stack is still the preset's."""
    preset = PRESETS[preset_title]
    as_loaded = (shape, specs) == (preset.input_shape, preset.specs)
    rows = activation_table(shape, list(specs), preset.notes if as_loaded else ())
    table = {
        "layer": [row.label for row in rows],
        "activation shape": ["x".join(map(str, row.shape)) for row in rows],
        "activation size": [row.size for row in rows],
        "# parameters": [row.params for row in rows],
    }
    if as_loaded:
        table[f"notes ({preset.section})"] = [_notes_column(row) for row in rows]
    table["how"] = [row.formula for row in rows]
    st.dataframe(table, hide_index=True, column_config={"activation size": NUMBER, "# parameters": NUMBER})
    wrong = [row for row in rows if row.notes_errors]
    if not as_loaded:
        st.caption(f"Your own stack (changed from the preset “{preset_title}”), computed layer by layer.")
    elif wrong:
        st.warning(
            f"The notes' {preset.section} table has {len(wrong)} wrong rows: "
            + "; ".join(f"{row.label}: {', '.join(row.notes_errors)}" for row in wrong)
            + ". A conv layer has (f·f·C_in + 1)·C_out parameters and an FC layer N·M weights plus M biases; "
            "the table leaves out C_in and counts one FC bias. Its activation shapes and sizes are right."
        )
    else:
        st.caption(
            f"“{preset_title}” as the notes' {preset.section} gives it: every number they print agrees."
        )


@st.fragment
def build_your_own() -> None:
    """A small sequential network from controls, starting from a notes example; impossible shapes fail at
    once, naming the layer."""
    title = st.selectbox(
        "start from the notes' example",
        list(PRESETS),
        key="arch_preset",
        bind=IN_URL,
        on_change=_load_preset,
        help="Loads the example's layers into the controls below; change any of them afterwards.",
    )
    preset = PRESETS[title]
    result = st.container()  # the table goes right under the preset, above the controls that shape it
    st.markdown("**Input and layers**")
    shape_cols = st.columns(4)
    shape = tuple(
        bound_number(name, f"arch_in_{name}", value, where=col)
        for col, name, value in zip(shape_cols[:3], SHAPE_NAMES, preset.input_shape, strict=True)
    )
    count = bound_number("layers", "arch_layers", len(preset.specs), where=shape_cols[3])
    defaults = [*preset.specs, *(LayerSpec("fc", 10),) * 10]
    specs = tuple(_layer_controls(i + 1, defaults[i]) for i in range(count))
    with result:
        try:
            shapes = layer_shapes(shape, list(specs))
        except CNNLabError as err:
            show_error(err)
            return
        st.caption(" → ".join(["x".join(map(str, shape))] + ["x".join(map(str, s)) for s in shapes]))
        course_table(shape, specs, title)
    summary = guarded(lambda: custom_summary(shape, specs), "Building your network…")
    if summary is not None:
        totals(summary)
        with st.expander("Keras's layer table (the model built from this stack)"):
            layer_table(summary, "arch_custom")
