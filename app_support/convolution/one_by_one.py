"""The "1x1 convolution" tab: the course's 6x6x32 * 1x1x32 example as a dense layer at every pixel, and
the cost of shrinking 28x28x192 to 28x28x32."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app_support.convolution.plots import number_grids, ring_cell
from app_support.shared.ui import number_row, show_error
from app_support.shared.url import bound_number, bound_slider
from cnn_core.conv.one_by_one import (
    EXAMPLE_SEED,
    EXAMPLE_SHAPE,
    SHRINK_EXAMPLE,
    conv1x1,
    one_by_one_cost,
    pixel_dot,
    random_example,
)
from cnn_core.conv.reference import cross_correlate2d
from cnn_core.errors import CNNLabError

#: one_by_one_cost's arguments → (label, default: the course's 28x28x192 → 28x28x32)
SHRINK_CONTROLS = {
    "height": ("height n_H", SHRINK_EXAMPLE["height"]),
    "width": ("width n_W", SHRINK_EXAMPLE["width"]),
    "channels_in": ("channels n_C", SHRINK_EXAMPLE["channels_in"]),
    "filters": ("1x1 filters n_C'", SHRINK_EXAMPLE["filters"]),
}
#: terms of the dot product per line of the formula (four fit a 390-pixel phone screen)
TERMS_PER_LINE = 4
BOTTLENECK_LINK = "/architectures?arch_tab=1x1+bottleneck"


def _number(value: float) -> str:
    text = f"{value:g}"
    return f"({text})" if value < 0 else text


def _filters(count: int) -> str:
    return f"{count} filter" + ("s" if count != 1 else "")


def _dot_latex(inputs: np.ndarray, weights: np.ndarray, row: int, col: int, k: int) -> str:
    """z = x·w written out term by term, TERMS_PER_LINE terms a line (aligned LaTeX)."""
    terms = [rf"{_number(x)}\cdot{_number(w)}" for x, w in zip(inputs, weights, strict=True)]
    lines = [" + ".join(terms[i : i + TERMS_PER_LINE]) for i in range(0, len(terms), TERMS_PER_LINE)]
    body = r" \\ &\;\, + ".join(lines)
    return (
        rf"\small\begin{{aligned}} z_{{{row},{col},{k}}} &= \textstyle\sum_{{c=1}}^{{{len(terms)}}} "
        rf"x_{{{row},{col},c}}\, w_{{c,{k}}} + b_{{{k}}} \\ &= {body}"
        r"\end{aligned}"
    )


@st.fragment
def one_by_one() -> None:
    """A 1x1 filter takes, at each pixel, the dot product of the pixel's channels with its weights."""
    height, width, channels = EXAMPLE_SHAPE
    controls, results = st.columns([1, 3])
    with controls:
        seed = bound_number("random seed", "one_seed", EXAMPLE_SEED)
        filters = int(bound_slider("number of filters n_C'", "one_filters", 1))
        row = bound_number("pixel row i", "one_row", 3, low=1, high=height)
        col = bound_number("pixel column j", "one_col", 4, low=1, high=width)
        k = bound_number("filter shown k", "one_k", 1, low=1, high=filters)
    try:
        example = random_example(seed, EXAMPLE_SHAPE, filters)
        part = pixel_dot(example, row - 1, col - 1, k - 1)
    except CNNLabError as err:
        show_error(err)
        return
    conv = cross_correlate2d(example.x, example.w[None, None], example.b)  # (6, 6, K): the 1x1 filters slide
    dense = conv1x1(example.x, example.w, example.b)  # (6, 6, K): one dense layer C → K at every pixel
    with results:
        shape = f"{height}x{width}x{channels} * {_filters(filters)} of 1x1x{channels}"
        grids = {f"z, filter {k}": conv[:, :, k - 1], "a = ReLU(z)": np.maximum(conv[:, :, k - 1], 0.0)}
        figure = number_grids(grids, height=280)
        for column in (1, 2):
            ring_cell(figure, row - 1, col - 1, column)
        st.plotly_chart(figure, key="one_grids")
        st.caption(
            f"{shape} → {height}x{width}x{filters}. The ringed cell is pixel ({row}, {col}); each cell is "
            f"one dot product of that pixel's {channels} channels with filter {k}'s {channels} weights."
        )
        st.latex(_dot_latex(part.inputs, part.weights, row, col, k))
        st.latex(
            rf"\begin{{aligned}} z &= {part.products.sum():g} + {_number(part.bias)} = {part.z:g} \\ "
            rf"a &= \max(0, z) = {part.activation:g} \end{{aligned}}"
        )
    value = float(conv[row - 1, col - 1, k - 1])
    same_cell = value == part.z
    same_all = np.array_equal(conv, dense)
    verdict = st.success if same_cell and same_all else st.warning
    verdict(
        f"The convolution gives z = {value:g} at ({row}, {col}) for filter {k}: "
        + ("the same number as the dot product. " if same_cell else f"not the dot product's {part.z:g}. ")
        + (
            f"At all {height * width} pixels and {_filters(filters)} it equals a fully connected layer "
            f"{channels} → {filters} applied to each pixel's channels."
            if same_all
            else "It differs from the fully connected layer applied pixel by pixel."
        )
    )
    _shrink()


def _thousands(value: int) -> str:
    """6176 → '6{,}176': LaTeX sets a bare comma as punctuation, with a space after it."""
    return f"{value:,}".replace(",", "{,}")


def _shrink() -> None:
    st.subheader("Shrinking the channels")
    values = number_row(SHRINK_CONTROLS, "one_shrink")
    try:
        cost = one_by_one_cost(**values)
    except CNNLabError as err:
        show_error(err)
        return
    h, w, c, k = values.values()
    left, right = st.columns(2)
    left.metric("parameters", f"{cost.params:,}")
    right.metric("multiplies", f"{cost.multiplies:,}")
    st.latex(rf"\text{{params}} = {c}\cdot{k} + {k} = {_thousands(cost.params)}")
    st.latex(rf"\text{{multiplies}} = {h}\cdot{w}\cdot{k}\cdot{c} = {_thousands(cost.multiplies)}")
    st.caption(
        f"{h}x{w}x{c} → {h}x{w}x{k}: {_filters(k)} of 1x1x{c}, one bias each; every one of the "
        f"{h}·{w}·{k} outputs is a {c}-term dot product. The Architectures page's "
        f"[1x1 bottleneck]({BOTTLENECK_LINK}) tab puts such a 1x1 layer in front of a 5x5 convolution, "
        "as Inception does, and counts the multiplies it saves."
    )
