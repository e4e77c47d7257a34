"""Plotly figures for the Convolution page: number grids and the sliding-filter animation."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnn_core.conv.sliding import Slide

WINDOW_COLOUR = "#5b3cc4"
CELL_COLOUR = "#e4572e"
#: padding cells (amber) differ from the input's own zeros (grey); output cells not yet computed are pale
PADDING_COLOUR, EMPTY_COLOUR = "#fcd34d", "#ede9fe"
#: terms of the formula per line of the animation's title, so that each line fits a phone's width
TERMS_PER_LINE = 3
#: (figure height, cell text size, title size) in px, for normal and for large cells
SIZES = {False: (300, 12, 14), True: (460, 20, 20)}


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "−∞" if value < 0 else ""
    value = float(value) + 0.0  # turns −0 into 0
    text = f"{value:g}" if value.is_integer() else f"{value:.2f}"
    return text.replace("-", "−")


def _texts(values: np.ndarray) -> list[list[str]]:
    return [[_fmt(v) for v in row] for row in values]


def _grid(
    values: np.ndarray, *, colorscale: str | list = "Greys", zmid: float | None = None, size: int = 12
) -> go.Heatmap:
    """A heatmap with each cell's value written in it (``size`` px); NaN cells are left blank."""
    shown = np.where(np.isfinite(values), values, np.nan)
    return go.Heatmap(
        z=shown,
        text=_texts(values),
        texttemplate="%{text}",
        textfont={"size": size},
        colorscale=colorscale,
        zmid=zmid,
        showscale=False,
        xgap=1,
        ygap=1,
        hoverinfo="skip",
    )


def number_grids(grids: dict[str, np.ndarray], *, colorscale: str = "RdBu", height: int = 300) -> go.Figure:
    """Side-by-side heatmaps with each cell's value written in it (titles are the dict keys)."""
    figure = make_subplots(rows=1, cols=len(grids), subplot_titles=list(grids), horizontal_spacing=0.06)
    for column, values in enumerate(grids.values(), start=1):
        figure.add_trace(_grid(np.asarray(values, dtype=float), colorscale=colorscale, zmid=0), 1, column)
    figure.update_yaxes(autorange="reversed", showticklabels=False, scaleanchor=None)
    figure.update_xaxes(showticklabels=False)
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10))
    return figure


def ring_cell(figure: go.Figure, row: int, col: int, column: int) -> None:
    """Draw a ring around cell (row, col) of the ``column``-th grid (1-based) of ``number_grids``."""
    figure.add_shape(_box(col, row, 1, column, CELL_COLOUR))


def _box(col: float, row: float, size: int, axis: int, colour: str) -> dict:
    suffix = "" if axis == 1 else str(axis)
    return dict(
        type="rect",
        xref=f"x{suffix}",
        yref=f"y{suffix}",
        x0=col - 0.5,
        x1=col + size - 0.5,
        y0=row - 0.5,
        y1=row + size - 0.5,
        line=dict(color=colour, width=4),
    )


def _caption(slide: Slide, index: int, operation: str) -> str:
    """The formula of step ``index``: ``output[i, j] =`` on its own line, then TERMS_PER_LINE terms a line."""
    step = slide.steps[index]
    head = f"output[{step.row}, {step.col}] ="
    if operation in ("max", "average"):
        return f"{head} {operation} of the window = {_fmt(step.value)}"
    pairs = [
        f"{_fmt(a)}·{_fmt(w) if w >= 0 else '(' + _fmt(w) + ')'}"
        for a, w in zip(step.window.ravel(), slide.kernel.ravel(), strict=True)
    ]
    pairs = pairs if len(pairs) <= 9 else [*pairs[:8], "…"]
    lines = [" + ".join(pairs[i : i + TERMS_PER_LINE]) for i in range(0, len(pairs), TERMS_PER_LINE)]
    return f"{head}<br>" + " +<br>".join(lines) + f" = {_fmt(step.value)}"


def padding_mask(slide: Slide) -> np.ndarray:
    """(H + pad, W + pad) True on the padding cells of ``slide.padded``, False on the input's own cells."""
    (top, bottom), (left, right) = slide.padding
    mask = np.ones(slide.padded.shape, dtype=bool)
    mask[top : mask.shape[0] - bottom, left : mask.shape[1] - right] = False
    return mask


def _output_cells(slide: Slide, index: int, size: int) -> go.Heatmap:
    """The output after step ``index``: the cells computed so far, the others blank."""
    filled = np.full(slide.output.size, np.nan)
    filled[: index + 1] = slide.output.ravel()[: index + 1]
    return _grid(filled.reshape(slide.output.shape), colorscale="Purples", size=size)


def _frame(slide: Slide, index: int, operation: str, sizes: tuple[int, int, int]) -> dict:
    """What changes from step to step: the window's terms, the output, the two rings and the formula."""
    step, f = slide.steps[index], slide.kernel.shape[0]
    _, text_size, title_size = sizes
    return dict(
        data=[
            _grid(step.terms, colorscale="RdBu", zmid=0, size=text_size),
            _output_cells(slide, index, text_size),
        ],
        layout=dict(
            shapes=[
                _box(step.left, step.top, f, 1, WINDOW_COLOUR),
                _box(step.col, step.row, 1, 3, CELL_COLOUR),
            ],
            title=dict(
                text=_caption(slide, index, operation),
                font=dict(size=title_size),
                x=0,
                xanchor="left",
                y=1,
                yanchor="top",
                yref="container",
                pad=dict(t=title_size),
            ),
        ),
    )


def slide_animation(
    slide: Slide, operation: str, frame_ms: int = 700, *, start: int = 0, large: bool = False
) -> go.Figure:
    """Padded input with the moving window, the window's terms, and the output filling cell by cell, shown
    at step ``start``; ▶ Play runs on from there in the browser, with no server round trip.

    Padding cells are amber and the input's own cells grey; the whole output grid is drawn (pale) from the
    first step. ``large`` draws bigger cells and type, for a projector.
    """
    sizes = SIZES[large]
    height, text_size, title_size = sizes
    term_title = "window" if operation in ("max", "average") else "window ⊙ kernel"
    figure = make_subplots(
        rows=1,
        cols=3,
        column_widths=[0.45, 0.2, 0.35],
        horizontal_spacing=0.05,
        subplot_titles=("padded input", term_title, "output"),
    )
    pad = padding_mask(slide)
    amber = [[0, PADDING_COLOUR], [1, PADDING_COLOUR]]
    pale = [[0, EMPTY_COLOUR], [1, EMPTY_COLOUR]]
    first = _frame(slide, start, operation, sizes)
    figure.add_trace(_grid(np.where(pad, np.nan, slide.padded), size=text_size), 1, 1)
    padding = _grid(np.where(pad, 0.0, np.nan), colorscale=amber, size=text_size)
    padding.text = np.where(pad, np.array(_texts(slide.padded)), "").tolist()  # zeros, or −∞ for max
    figure.add_trace(padding, 1, 1)
    figure.add_trace(first["data"][0], 1, 2)
    empty = _grid(np.zeros(slide.output.shape), colorscale=pale)
    empty.texttemplate = ""  # the whole output grid, drawn before its cells are computed
    figure.add_trace(empty, 1, 3)
    figure.add_trace(first["data"][1], 1, 3)
    figure.frames = [
        go.Frame(traces=[2, 4], name=str(i), **_frame(slide, i, operation, sizes))
        for i in range(start, len(slide.steps))
    ]
    lines = max(_caption(slide, i, operation).count("<br>") + 1 for i in range(len(slide.steps)))
    play_args = dict(
        frame=dict(duration=frame_ms, redraw=True), transition=dict(duration=0), fromcurrent=True
    )
    pause_args = dict(frame=dict(duration=0, redraw=False), mode="immediate")
    figure.update_layout(
        **first["layout"],
        height=height + lines * round(1.3 * title_size),
        margin=dict(l=10, r=10, t=lines * round(1.3 * title_size) + 50, b=10),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=-0.04,
                xanchor="left",
                yanchor="top",
                buttons=[
                    dict(label="▶ Play", method="animate", args=[None, play_args]),
                    dict(label="⏸ Pause", method="animate", args=[[None], pause_args]),
                ],
            )
        ],
    )
    figure.update_yaxes(autorange="reversed", showticklabels=False)
    figure.update_xaxes(showticklabels=False)
    shapes = (slide.padded.shape, slide.kernel.shape, slide.output.shape)
    for axis, shape in zip(("", "2", "3"), shapes, strict=True):
        figure.layout[f"xaxis{axis}"].range = [-0.5, shape[1] - 0.5]
        figure.layout[f"yaxis{axis}"].range = [shape[0] - 0.5, -0.5]
        figure.layout[f"yaxis{axis}"].scaleanchor = f"x{axis}"
        figure.layout[f"yaxis{axis}"].showgrid = False
        figure.layout[f"xaxis{axis}"].showgrid = False
    return figure
