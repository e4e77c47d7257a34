"""Plotly figures of the Architectures page: where parameters and multiply-adds go, layer by layer."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app_support.shared.literal import literal_html
from cnn_core.architectures.summary import ModelSummary
from cnn_core.conv.costs import BottleneckCost

PARAMS_COLOUR, MACS_COLOUR = "#5b3cc4", "#f59e0b"
CATEGORY_NAMES = {"conv": "convolution", "fc": "fully connected", "norm": "normalisation", "other": "other"}


@dataclass(frozen=True)
class ModelCharts:
    """The three figures drawn for one model."""

    costs: go.Figure  # parameters and multiply-adds per layer
    flow: go.Figure  # H·W against C over the layers
    share: go.Figure  # parameters by kind of layer


def model_charts(summary: ModelSummary, log_scale: bool) -> ModelCharts:
    """The layer costs (``log_scale`` or linear), shape flow and parameter share figures of one model."""
    return ModelCharts(
        layer_costs_figure(summary, log_scale), shape_flow_figure(summary), param_share_figure(summary)
    )


def _weighted_rows(summary: ModelSummary) -> list:
    """Rows that hold weights or do multiply-adds (BatchNorm left out: it would double the bars)."""
    return [r for r in summary.rows if r.category in ("conv", "fc") or (r.category == "other" and r.params)]


def layer_costs_figure(summary: ModelSummary, log_scale: bool) -> go.Figure:
    """Two bar charts sharing the x axis: parameters and multiply-adds of each conv/FC layer (layer names of
    an uploaded model are shown literally)."""
    rows = _weighted_rows(summary)
    names = [literal_html(row.name) for row in rows]
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=("parameters", "multiply-adds"),
    )
    figure.add_trace(
        go.Bar(x=names, y=[r.params for r in rows], marker_color=PARAMS_COLOUR, name="params"), 1, 1
    )
    figure.add_trace(
        go.Bar(x=names, y=[r.macs or 0 for r in rows], marker_color=MACS_COLOUR, name="MACs"), 2, 1
    )
    axis_type = "log" if log_scale else "linear"
    figure.update_yaxes(type=axis_type, dtick=1 if log_scale else None)  # log: powers of ten only
    figure.update_layout(height=520, showlegend=False, margin={"t": 40, "b": 10, "l": 10, "r": 10})
    return figure


def shape_flow_figure(summary: ModelSummary) -> go.Figure:
    """H·W (left axis, log) shrinking while C (right axis) grows, over the layers with H x W x C outputs."""
    rows = [
        r
        for r in summary.rows
        if len(r.output_shapes) == 1
        and len(r.output_shape) == 3
        and None not in r.output_shape
        and r.category in ("conv", "other")
    ]
    names = [literal_html(r.name) for r in rows]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(
        go.Scatter(
            x=names,
            y=[r.output_shape[0] * r.output_shape[1] for r in rows],
            name="H·W (positions)",
            line={"color": PARAMS_COLOUR},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=names,
            y=[r.output_shape[2] for r in rows],
            name="C (channels)",
            line={"color": MACS_COLOUR, "dash": "dot"},
        ),
        secondary_y=True,
    )
    # powers of ten on the log axis, a few round numbers on the linear one, each with its own grid
    figure.update_yaxes(title_text="H·W", type="log", dtick=1, secondary_y=False)
    figure.update_yaxes(
        title_text="C", tickmode="auto", nticks=6, rangemode="tozero", showgrid=False, secondary_y=True
    )
    figure.update_xaxes(tickangle=-45, automargin=True)
    figure.update_layout(
        height=380,
        margin={"t": 40, "b": 10, "l": 10, "r": 10},
        # above the plot: under it, the legend would sit on the slanted layer names
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    )
    return figure


def param_share_figure(summary: ModelSummary) -> go.Figure:
    """A donut of the parameters in conv, fully connected, normalisation and other layers."""
    shares = {CATEGORY_NAMES[k]: v for k, v in summary.params_by_category().items() if v}
    figure = go.Figure(go.Pie(labels=list(shares), values=list(shares.values()), hole=0.45, sort=False))
    figure.update_layout(height=360, margin={"t": 30, "b": 10, "l": 10, "r": 10})
    return figure


def compare_figure(summaries: dict[str, ModelSummary]) -> go.Figure:
    """Grouped bars (log scale) of parameters, multiply-adds and activation memory of several models, each
    named by its display name (the dict's keys)."""
    figure = go.Figure()
    for title, summary in summaries.items():
        values = [summary.total_params, summary.macs, summary.activation_bytes]
        figure.add_trace(go.Bar(name=title, x=["parameters", "multiply-adds", "activation bytes"], y=values))
    figure.update_layout(
        barmode="group", yaxis_type="log", yaxis_dtick=1, height=360, margin={"t": 30, "b": 10}
    )
    return figure


def bottleneck_figure(cost: BottleneckCost) -> go.Figure:
    """Stacked bars: the direct f x f conv vs the 1x1 reduction plus the f x f conv on fewer channels."""
    figure = go.Figure()
    figure.add_trace(
        go.Bar(x=["direct"], y=[cost.direct_multiplies], name="f x f conv", marker_color=MACS_COLOUR)
    )
    figure.add_trace(
        go.Bar(
            x=["with bottleneck"],
            y=[cost.reduce_multiplies],
            name="1x1 conv (bottleneck)",
            marker_color=PARAMS_COLOUR,
        )
    )
    figure.add_trace(
        go.Bar(
            x=["with bottleneck"],
            y=[cost.expand_multiplies],
            name="f x f conv on the bottleneck",
            marker_color="#f8c471",
        )
    )
    figure.update_layout(barmode="stack", height=320, yaxis_title="multiplies", margin={"t": 20, "b": 10})
    return figure
