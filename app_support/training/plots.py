"""Plotly figures of the Training page: learning curves, confusion matrix, depth curves, gradient norms."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnn_core.training.depth_compare import KINDS, CurvePoint
from cnn_core.training.trainer import EpochRecord

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
_LEGEND = {"orientation": "h", "y": -0.25}


def curves_figure(history: Sequence[EpochRecord]) -> go.Figure:
    """Loss (left) and accuracy (right) per epoch, training solid and validation dashed."""
    figure = make_subplots(1, 2, subplot_titles=("loss (cross-entropy)", "accuracy"), horizontal_spacing=0.1)
    epochs = [r.epoch for r in history]
    for column, (train, val) in enumerate([("loss", "val_loss"), ("accuracy", "val_accuracy")], start=1):
        for field, name, dash in ((train, "training", "solid"), (val, "validation", "dash")):
            values = [getattr(r, field) for r in history]
            if all(v is None for v in values):
                continue
            figure.add_trace(
                go.Scatter(
                    x=epochs,
                    y=values,
                    name=name,
                    mode="lines+markers",
                    line={"dash": dash, "color": "#1f77b4" if name == "training" else "#ff7f0e"},
                    showlegend=column == 1,
                ),
                1,
                column,
            )
    figure.update_xaxes(title_text="epoch")
    figure.update_yaxes(range=[0, 1.02], row=1, col=2)
    figure.update_layout(height=300, margin=_MARGIN, legend=_LEGEND)
    return figure


def confusion_figure(matrix: np.ndarray, names: Sequence[str]) -> go.Figure:
    """The confusion matrix as a heatmap with its counts: rows true class, columns predicted class."""
    figure = go.Figure(
        go.Heatmap(
            z=matrix,
            x=list(names),
            y=list(names),
            colorscale="Blues",
            text=matrix,
            texttemplate="%{text}",
            hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>",
            showscale=False,
        )
    )
    figure.update_layout(
        height=120 + 40 * len(names),
        margin=_MARGIN,
        xaxis_title="predicted",
        yaxis_title="true",
        yaxis_autorange="reversed",
    )
    return figure


def depth_figure(
    points: Sequence[CurvePoint], live_digits: int, recorded: Sequence[dict] = (), recorded_digits: int = 0
) -> go.Figure:
    """Training error against the digits seen so far (epoch x training digits), plain nets left and
    residual nets right, one line per depth; a recorded longer run is drawn dotted and named "recorded"."""
    figure = make_subplots(1, 2, subplot_titles=("plain", "residual (ResNet)"), shared_yaxes=True)
    depths = sorted({p.depth for p in points} | {int(r["depth"]) for r in recorded})
    palette = ["#2ca02c", "#1f77b4", "#d62728", "#9467bd", "#8c564b"]
    colour = {depth: palette[i % len(palette)] for i, depth in enumerate(depths)}
    for column, kind in enumerate(KINDS, start=1):
        for depth in depths:
            old = [r for r in recorded if r["kind"] == kind and int(r["depth"]) == depth]
            if old:
                figure.add_trace(
                    go.Scatter(
                        x=[r["epoch"] * recorded_digits for r in old],
                        y=[r["train_error"] for r in old],
                        name=f"{depth} layers, recorded",
                        mode="lines",
                        line={"dash": "dot", "color": colour[depth]},
                        legendgroup=f"rec{depth}",
                        showlegend=column == 1,
                    ),
                    1,
                    column,
                )
            live = [p for p in points if p.kind == kind and p.depth == depth]
            if live:
                figure.add_trace(
                    go.Scatter(
                        x=[p.epoch * live_digits for p in live],
                        y=[p.train_error for p in live],
                        name=f"{depth} layers, live",
                        mode="lines+markers",
                        line={"color": colour[depth]},
                        legendgroup=f"live{depth}",
                        showlegend=column == 1,
                    ),
                    1,
                    column,
                )
    figure.update_xaxes(title_text="digits seen")
    figure.update_yaxes(title_text="training error", range=[0, 1], row=1, col=1)
    figure.update_layout(height=340, margin=_MARGIN, legend=_LEGEND)
    return figure


def gradient_figure(norms: dict[str, list[tuple[str, float]]]) -> go.Figure:
    """‖∂L/∂W‖₂ of every layer (input → output) for each named network, log scale."""
    figure = go.Figure()
    for name, rows in norms.items():
        figure.add_trace(
            go.Scatter(
                x=list(range(1, len(rows) + 1)),
                y=[value for _, value in rows],
                text=[layer for layer, _ in rows],
                name=name,
                mode="lines+markers",
                hovertemplate="%{text}: %{y:.3g}<extra></extra>",
            )
        )
    figure.update_layout(
        height=300,
        margin=_MARGIN,
        xaxis_title="layer (input → output)",
        yaxis_title="‖∂L/∂W‖₂",
        yaxis_type="log",
        legend=_LEGEND,
    )
    return figure
