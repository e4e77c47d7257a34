"""The sections of the Convolution page. Each is an ``st.fragment``: its controls rerun only itself, and
every control is mirrored in the address bar, so a link reproduces exactly what the class sees."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app_support.convolution.cache import grids_figure
from app_support.convolution.padding import padding_control
from app_support.shared.image_picker import image_picker
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_number, bound_slider
from app_support.shared.why_convolutions import why_convolutions
from cnn_core.conv.arithmetic import (
    axis_shape,
    conv_output_shape,
    course_same_padding,
    effective_filter_size,
    tf_same_padding,
)
from cnn_core.conv.edge_maps import describe_flip, describe_map
from cnn_core.conv.filters import FILTERS, course_edge_image, edge_response, parse_kernel, response_to_uint8
from cnn_core.conv.reference import convolve2d, cross_correlate2d
from cnn_core.conv.volume import filter_breakdown
from cnn_core.errors import CNNLabError
from cnn_core.images import to_gray

#: parameters of links made before "Why convolutions" became one shared section → their names now
LEGACY_PARAMS = {"why_n": ("why_height", "why_width"), "why_c": "why_channels_in", "why_k": "why_filters"}
#: values of old links → their option now: "same" was TensorFlow's (output ⌈n/s⌉) before both were offered
LEGACY_VALUES = {"conv_pad": {"same": "same (TensorFlow)"}}
#: photos for edge detection are filtered at most this large, so the filter follows the controls at once
EDGE_PHOTO_SIDE = 640


def _same_paddings(axis: str, n: int, f: int, s: int, d: int) -> str:
    """Both meanings of "same" for one axis, with the numbers that make them (markdown)."""
    course, tf_same = course_same_padding(n, f, s, d), tf_same_padding(n, f, s, d)
    f_eff = effective_filter_size(f, d)
    before, after = course.padding
    text = (
        f"**same (course)**, output = input ({axis}, n = {n}): p = ((s − 1)·n − s + f)/2 = "
        f"(({s} − 1)·{n} − {s} + {f_eff})/2 = **{course.exact:g}**"
    )
    if course.p is None:
        text += (
            f" is not whole, and at stride 1 rounding it up would give n + 1: pad **{before} before and "
            f"{after} after** → ⌊({n} + {before + after} − {f_eff})/1⌋ + 1 = {n}."
        )
    else:
        rounded = f" → p = ⌈{course.exact:g}⌉ = **{course.p}**" if course.p != course.exact else ""
        text += f"{rounded} each side → ⌊({n} + {2 * course.p} − {f_eff})/{s}⌋ + 1 = {n}."
        if course.p != course.exact:
            text += f" Rounding up adds one row of padding, which the floor drops because s = {s} > 1."
    text += (
        f'\n\n**same (TensorFlow/Keras `padding="same"`)**: output ⌈n/s⌉ = ⌈{n}/{s}⌉ = **{tf_same.n_out}**, '
        f"total padding max(({tf_same.n_out} − 1)·{s} + {f_eff} − {n}, 0) = {tf_same.total}: "
        f"**{tf_same.padding[0]} before, {tf_same.padding[1]} after**"
    )
    if s == 1:
        return text + " — at stride 1 the two meanings agree."
    return text + f" — at stride {s} this is not the input size."


@st.fragment
def calculator() -> None:
    """Output size of one conv layer with every number of the formula shown."""
    left, right = st.columns([1, 2])
    with left:
        n_h = bound_number("input height n_H", "conv_n_h", 6)
        n_w = bound_number("input width n_W", "conv_n_w", 6)
        f = bound_number("filter f", "conv_f", 3)
        padding = padding_control("conv_pad", lambda: bound_number("p (each side)", "conv_pad_p", 0))
        s = bound_number("stride s", "conv_s", 1)
        d = bound_number("dilation d", "conv_d", 1)
    with right:
        try:
            rows, cols = axis_shape(n_h, f, padding, s, d), axis_shape(n_w, f, padding, s, d)
            axes = (("rows and columns", n_h),) if n_h == n_w else (("rows", n_h), ("columns", n_w))
            same = "\n\n".join(_same_paddings(axis, n, f, s, d) for axis, n in axes)
        except CNNLabError as err:
            show_error(err)
            return
        st.metric("output", f"{rows.n_out} x {cols.n_out}")
        st.latex(
            rf"n_{{out}} = \left\lfloor \frac{{{n_h} + {rows.padding[0]} + {rows.padding[1]} - {rows.f_eff}}}"
            rf"{{{s}}} \right\rfloor + 1 = {rows.n_out}"
        )
        if d > 1:
            st.caption(
                f"Dilation {d} spreads the {f}-tap filter over f_eff = d·(f − 1) + 1 = {rows.f_eff} pixels."
            )
        st.markdown(same)
        for axis, shape in (("rows", rows), ("columns", cols)):
            if shape.unused:
                st.warning(
                    f"Stride {s} skips the last {shape.unused} {axis} of the padded input: the filter would "
                    "stick out past the border, so the floor rule drops that position."
                )


def _kernel_editor() -> np.ndarray:
    name = st.selectbox("filter", [*FILTERS, "custom"], key="edge_filter", bind=IN_URL)
    if name != "custom":
        return FILTERS[name]
    table = st.data_editor(pd.DataFrame(FILTERS["vertical"], columns=["a", "b", "c"]), key="edge_custom")
    return parse_kernel(table.to_numpy().tolist())


@st.fragment
def edge_detection() -> None:
    """The course's 6x6 example, named and custom filters, and the same filters on the user's photo."""
    try:
        kernel = _kernel_editor()
    except CNNLabError as err:
        show_error(err)
        return
    image = course_edge_image()
    result = cross_correlate2d(image, kernel)[:, :, 0]
    titles = [f"{a}x{b} {what}" for (a, b), what in ((image.shape, "image"), (result.shape, "result"))]
    st.plotly_chart(
        grids_figure(
            {titles[0]: image, f"{kernel.shape[0]}x{kernel.shape[1]} filter": kernel, titles[1]: result}
        ),
        key="edge_course",
    )
    st.caption(describe_map(image, kernel, result))
    picture = image_picker("edge_photo", camera=True, default_sample="camera", max_side=EDGE_PHOTO_SIDE)
    if picture is not None:
        response = edge_response(to_gray(picture.pixels), kernel)
        signed = st.toggle("signed response", key="edge_signed", bind=IN_URL)
        height, width = response.shape
        left, right = st.columns(2)
        left.image(
            picture.pixels,
            caption=f"{'sample' if picture.sample else 'your'} image, filtered in grey at {width}x{height} "
            f"(≤ {EDGE_PHOTO_SIDE} px a side)",
        )
        right.image(
            response_to_uint8(response, signed=signed),
            caption=(
                "filter response r, signed: 0 is grey, +max|r| white, −max|r| black"
                if signed
                else "filter response |r|, scaled so that max|r| is white"
            ),
        )


@st.fragment
def flipping() -> None:
    """Cross-correlation (what deep learning calls convolution) next to true, flipped convolution."""
    kernel = FILTERS[st.selectbox("kernel", list(FILTERS), index=2, key="flip_kernel", bind=IN_URL)]
    image = course_edge_image()
    st.plotly_chart(
        grids_figure(
            {
                "kernel": kernel,
                "flipped kernel": np.flip(kernel),
                "cross-correlation": cross_correlate2d(image, kernel)[:, :, 0],
                "convolution": convolve2d(image, kernel)[:, :, 0],
            }
        ),
        key="flip_grids",
    )
    st.caption(
        describe_flip(image, kernel) + " A network learns its weights, so it learns the flipped kernel just "
        "as easily: libraries skip the flip."
    )


@st.fragment
def volume() -> None:
    """An RGB volume convolved with n_c filters: per-channel parts, sum + bias, ReLU; conv vs FC weights."""
    left, right = st.columns([1, 3])
    with left:
        filters = int(bound_slider("number of filters n_c", "vol_filters", 2))
        which = int(bound_slider("show filter", "vol_which", 1, high=filters)) - 1
        seed = bound_number("random seed", "vol_seed", 0)
    rng = np.random.default_rng(abs(seed))
    x = rng.integers(0, 5, (6, 6, 3)).astype(float)
    w = rng.integers(-1, 2, (3, 3, 3, filters)).astype(float)
    b = rng.integers(-3, 4, filters).astype(float)
    part = filter_breakdown(x, w, b, which)
    with right:
        inputs = {f"input {c}": x[:, :, i] for i, c in enumerate("RGB")}
        weights = {f"filter {which + 1}, slice {c}": w[:, :, i, which] for i, c in enumerate("RGB")}
        st.plotly_chart(grids_figure({**inputs, **weights}, height=220), key="vol_inputs")
        grids = {f"{c} ⋆ slice {c}": part.per_channel[i] for i, c in enumerate("RGB")}
        st.plotly_chart(
            grids_figure({**grids, f"sum + b ({part.bias:g})": part.z, "ReLU": part.activation}, height=260),
            key="vol_grids",
        )
        st.caption(f"6x6x3 * {filters} filters of 3x3x3 → 4x4x{filters}.")
    st.subheader("Why convolutions: parameters of the same mapping")
    why_convolutions("why")


@st.fragment
def other_dimensions() -> None:
    """1-D and 3-D convolutions: the same floor rule on every spatial axis."""
    dims = st.radio("data", ("1-D (signal)", "3-D (CT volume)"), horizontal=True, key="nd_dims", bind=IN_URL)
    axes = 1 if dims.startswith("1") else 3
    cols = st.columns(4)
    n = bound_number("input size n", "nd_n", 14, where=cols[0])
    f = bound_number("filter f", "nd_f", 5, where=cols[1])
    first = bound_number("filters, layer 1", "nd_k1", 16, where=cols[2])
    second = bound_number("filters, layer 2", "nd_k2", 32, where=cols[3])
    try:
        shape_1 = conv_output_shape((n,) * axes, f, first)
        shape_2 = conv_output_shape(shape_1[:-1], f, second)
    except CNNLabError as err:
        show_error(err)
        return
    chain = [(*(n,) * axes, 1), shape_1, shape_2]
    st.markdown(" → ".join("**" + " x ".join(map(str, shape)) + "**" for shape in chain))
