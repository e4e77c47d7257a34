"""The sliding-window tabs of the Convolution page: the filter sliding over a small input, and pooling.

Every control is in the URL, the step shown included (``?anim_step=``, ``?pool_step=``), so a link opens on
the very frame the teacher showed; ▶ Play then runs on from that step in the browser.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_support.convolution.cache import animation_figure
from app_support.convolution.padding import padding_control
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_number, bound_slider
from cnn_core.conv.filters import FILTERS, course_edge_image
from cnn_core.conv.sliding import OPERATIONS, Slide, slide
from cnn_core.errors import CNNLabError

SPEEDS = {"slow": 1200, "normal": 700, "fast": 300}
POOL_EXAMPLE = np.array([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], dtype=float)


def _stepped_animation(
    result: Slide,
    operation: str,
    prefix: str,
    controls: DeltaGenerator,
    frame_ms: int = SPEEDS["normal"],
    large: bool = False,
) -> None:
    """A ``step`` slider in ``controls`` (in the URL as ``?{prefix}_step=``) and the animation at that step,
    without Plotly's toolbar (it would cover the formula); ▶ Play runs on from the step in the browser."""
    count = len(result.steps)
    step = 1
    if count > 1:
        step = controls.slider(
            "step", 1, count, 1, key=f"{prefix}_step", bind=IN_URL, help="A link opens on this step."
        )
    st.plotly_chart(
        animation_figure(result, operation, frame_ms, step - 1, large),
        key=f"{prefix}_chart",
        config={"displayModeBar": False},
    )


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _padding_note(result: Slide, operation: str) -> str:
    """What the amber cells of the animation are, from the padding applied."""
    (top, bottom), (left, right) = result.padding
    rows, cols = result.padded.shape[0] - top - bottom, result.padded.shape[1] - left - right
    if not any((top, bottom, left, right)):
        return f"No padding: every cell of the left grid is the {rows}x{cols} input."
    fill = {"max": "−∞, so that max ignores them", "average": "left out of the average"}.get(operation, "0")
    return (
        f"Amber cells are padding ({fill}): {_count(top, 'row')} above, {bottom} below, "
        f"{_count(left, 'column')} left, {right} right. Grey cells are the {rows}x{cols} input itself, "
        "its zeros included."
    )


@st.fragment
def animation() -> None:
    """The filter sliding over a small input, played in the browser."""
    controls, figure_area = st.columns([1, 3], gap="medium")  # three grids side by side need the width
    with controls:
        operation = st.selectbox("operation", OPERATIONS, key="anim_op", bind=IN_URL)
        n = int(bound_slider("input n", "anim_n", 6))
        f = int(bound_slider("filter f", "anim_f", 3))
        padding = padding_control("anim_pad", lambda: int(bound_slider("padding p", "anim_p", 0)))
        s = int(bound_slider("stride s", "anim_s", 1))
        kernel_name = st.selectbox(
            "kernel", list(FILTERS), key="anim_kernel", bind=IN_URL, disabled=operation in ("max", "average")
        )
        speed = st.select_slider("speed", list(SPEEDS), value="normal", key="anim_speed", bind=IN_URL)
        large = st.toggle("large cells", key="anim_large", bind=IN_URL, help="Bigger cells and type.")
    image = np.tile(course_edge_image()[0], (n, 2))[:n, :n] if n != 6 else course_edge_image()
    kernel = FILTERS[kernel_name] if f == 3 else np.ones((f, f))
    with figure_area:
        try:
            result = slide(
                image,
                f if operation in ("max", "average") else kernel,
                stride=s,
                padding=padding,
                operation=operation,
            )
        except CNNLabError as err:
            show_error(err)
            return
        _stepped_animation(result, operation, "anim", controls, frame_ms=SPEEDS[speed], large=large)
        note = _padding_note(result, operation)
        if f != 3 and operation not in ("max", "average"):
            note += f" Named kernels are 3x3; with f = {f} the kernel is all ones."
        st.caption(note)


@st.fragment
def pooling() -> None:
    """Max and average pooling on the course's 4x4 example, animated the same way."""
    cols = st.columns(3)
    mode = cols[0].radio("pooling", ("max", "average"), horizontal=True, key="pool_mode", bind=IN_URL)
    f = bound_number("f", "pool_f", 2, where=cols[1])
    s = bound_number("s", "pool_s", 2, where=cols[2])
    try:
        result = slide(POOL_EXAMPLE, f, stride=s, operation=mode)
    except CNNLabError as err:
        show_error(err)
        return
    _stepped_animation(result, mode, "pool", st)
    st.caption(
        f"Output {result.output.shape[0]}x{result.output.shape[1]}, by the same floor rule as a convolution. "
        "Pooling has no parameters to learn, only the hyperparameters f and s."
    )
