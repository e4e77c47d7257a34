"""Plotly figures of the style-transfer page: the costs as they fall, and Gram matrices side by side."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnn_core.style.settings import GatysSettings

#: Gram heatmaps show at most this many channels (block6a has 672; a 672x672 heatmap says little).
GRAM_CHANNELS = 48


def cost_figure(history: list[dict[str, float]], settings: GatysSettings) -> go.Figure:
    """α·J_content, β·J_style, w_TV·TV and their sum J against the step, on a log scale."""
    steps = [row["step"] for row in history]
    series = {
        "α·J_content": [settings.alpha * row["content"] for row in history],
        "β·J_style": [settings.beta * row["style"] for row in history],
        "w_TV·TV": [settings.tv_weight * row["tv"] for row in history],
        "J (total)": [row["total"] for row in history],
    }
    figure = go.Figure()
    for name, values in series.items():
        dash = "solid" if name.startswith("J") else "dot" if name.startswith("w") else "dash"
        figure.add_trace(go.Scatter(x=steps, y=values, name=name, mode="lines", line={"dash": dash}))
    figure.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis_title="step",
        yaxis_title="cost",
        yaxis_type="log",
        legend={"orientation": "h", "y": 1.15},
    )
    return figure


def gram_figure(style_gram: np.ndarray, generated_gram: np.ndarray, layer: str) -> go.Figure:
    """Heatmaps of Ĝ(S), Ĝ(G) and Ĝ(S) − Ĝ(G) for the first GRAM_CHANNELS channels (C x C each)."""
    n = min(GRAM_CHANNELS, style_gram.shape[0])
    s, g = style_gram[:n, :n], generated_gram[:n, :n]
    top = float(max(s.max(), g.max()))
    spread = float(np.abs(s - g).max()) or 1.0
    figure = make_subplots(
        1, 3, subplot_titles=("style image S", "generated G", "S − G"), horizontal_spacing=0.06
    )
    for column, (values, scale, low, high) in enumerate(
        [(s, "Viridis", 0.0, top), (g, "Viridis", 0.0, top), (s - g, "RdBu", -spread, spread)], start=1
    ):
        figure.add_trace(
            go.Heatmap(
                z=values,
                colorscale=scale,
                zmin=low,
                zmax=high,
                showscale=column != 1,
                colorbar={"x": 0.64 if column == 2 else 1.0, "len": 0.9},
                hovertemplate="channels %{y}, %{x}: %{z:.4g}<extra></extra>",
            ),
            1,
            column,
        )
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(
        height=330,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": f"Per-position Gram matrices at {layer} (first {n} channels)", "font": {"size": 14}},
    )
    return figure
