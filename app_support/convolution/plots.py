"""Plotly figures for the Convolution page: number grids and the sliding-filter animation."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnn_core.conv.sliding import Slide

WINDOW_COLOUR = "#5b3cc4"
CELL_COLOUR = "#e4572e"


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "−∞" if value < 0 else ""
    value = float(value) + 0.0  # turns −0 into 0
    text = f"{value:g}" if value.is_integer() else f"{value:.2f}"
    return text.replace("-", "−")


def _texts(values: np.ndarray) -> list[list[str]]:
    return [[_fmt(v) for v in row] for row in values]


def _grid(values: np.ndarray, *, colorscale: str = "Greys", zmid: float | None = None) -> go.Heatmap:
    shown = np.where(np.isfinite(values), values, np.nan)
    return go.Heatmap(
        z=shown,
        text=_texts(values),
        texttemplate="%{text}",
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
    step = slide.steps[index]
    if operation in ("max", "average"):
        return f"output[{step.row}, {step.col}] = {operation} of the window = {_fmt(step.value)}"
    pairs = [
        f"{_fmt(a)}·{_fmt(w) if w >= 0 else '(' + _fmt(w) + ')'}"
        for a, w in zip(step.window.ravel(), slide.kernel.ravel(), strict=True)
    ]
    shown = " + ".join(pairs if len(pairs) <= 9 else [*pairs[:8], "…"])
    return f"output[{step.row}, {step.col}] = {shown} = {_fmt(step.value)}"


def slide_animation(slide: Slide, operation: str, frame_ms: int = 700) -> go.Figure:
    """Padded input with the moving window, the window's terms, and the output filling cell by cell.

    Plotly frames play in the browser: play, pause and the step slider need no server round trip.
    """
    f = slide.kernel.shape[0]
    term_title = "window" if operation in ("max", "average") else "window ⊙ kernel"
    figure = make_subplots(
        rows=1,
        cols=3,
        column_widths=[0.45, 0.2, 0.35],
        horizontal_spacing=0.05,
        subplot_titles=("padded input", term_title, "output"),
    )
    empty_output = np.full(slide.output.shape, np.nan)

    def traces(index: int) -> list[go.Heatmap]:
        step = slide.steps[index]
        filled = empty_output.copy()
        filled.ravel()[: index + 1] = slide.output.ravel()[: index + 1]
        output = _grid(filled, colorscale="Purples")
        output.text = [[_fmt(v) if np.isfinite(v) else "" for v in row] for row in filled]
        return [_grid(step.terms, colorscale="RdBu", zmid=0), output]

    def layout(index: int) -> dict:
        step = slide.steps[index]
        return dict(
            shapes=[
                _box(step.left, step.top, f, 1, WINDOW_COLOUR),
                _box(step.col, step.row, 1, 3, CELL_COLOUR),
            ],
            title=dict(text=_caption(slide, index, operation), font=dict(size=14)),
        )

    figure.add_trace(_grid(slide.padded, colorscale="Greys"), 1, 1)
    for column, trace in enumerate(traces(0), start=2):
        figure.add_trace(trace, 1, column)
    names = [str(i) for i in range(len(slide.steps))]
    figure.frames = [
        go.Frame(data=traces(i), traces=[1, 2], layout=layout(i), name=name) for i, name in enumerate(names)
    ]
    play_args = dict(
        frame=dict(duration=frame_ms, redraw=True), transition=dict(duration=0), fromcurrent=True
    )
    pause_args = dict(frame=dict(duration=0, redraw=False), mode="immediate")
    figure.update_layout(
        **layout(0),
        height=430,
        margin=dict(l=10, r=10, t=70, b=10),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=-0.08,
                xanchor="left",
                yanchor="top",
                buttons=[
                    dict(label="▶ Play", method="animate", args=[None, play_args]),
                    dict(label="⏸ Pause", method="animate", args=[[None], pause_args]),
                ],
            )
        ],
        sliders=[
            dict(
                active=0,
                x=0.25,
                y=-0.04,
                len=0.75,
                currentvalue=dict(prefix="step ", xanchor="right"),
                steps=[
                    dict(
                        label=name,
                        method="animate",
                        args=[[name], dict(frame=dict(duration=0, redraw=True), mode="immediate")],
                    )
                    for name in names
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
