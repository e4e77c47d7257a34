"""Pictures for the faces page: boxes and landmarks, distance gauge, |f₁ − f₂|, embedding space, triplets."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from app_support.shared.literal import literal_html
from cnn_core import drawing
from cnn_core.drawing import GREY, draw_boxes
from cnn_core.faces.detect import Face
from cnn_core.faces.triplet import Triplet
from cnn_core.images import fit_height

CHOSEN = (91, 60, 196)  # the theme's primary colour
CHOSEN_HEX = "#5b3cc4"
SAME, DIFFERENT = "#2e9d5b", "#d0453a"


def draw_faces(image: np.ndarray, faces: list[Face], chosen: int | None, height: int = 300) -> np.ndarray:
    """The photo scaled to ``height`` pixels with every face's box labelled '#k', its five landmarks, and
    the chosen face in colour; lines and labels are sized for the picture drawn, not for the photo."""
    scale = height / image.shape[0]
    small = fit_height(image, height)
    colors = [CHOSEN if i == chosen else GREY for i in range(len(faces))]
    boxes = [[value * scale for value in face.box] for face in faces]
    picture = Image.fromarray(draw_boxes(small, boxes, colors, width=3))
    draw = ImageDraw.Draw(picture)
    text_font = drawing.font(height // 11)
    for number, (face, box, color) in enumerate(zip(faces, boxes, colors, strict=True), start=1):
        for x, y in face.landmarks * scale:
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(255, 210, 0), outline=color)
        drawing.label(draw, (box[0] + 3, max(0, box[1] - height // 11 - 6)), f"#{number}", color, text_font)
    return np.asarray(picture)


def distance_gauge(distance: float, threshold: float) -> go.Figure:
    """A gauge of the plain distance d = ‖f(x₁) − f(x₂)‖₂ with the "same person" zone [0, τ] green and
    the rest red."""
    top = max(1.2, distance * 1.1, threshold * 1.2)
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=distance,
            number={"valueformat": ".3f"},
            title={"text": f"distance d (τ = {threshold:.2f})"},
            gauge={
                "axis": {"range": [0, top]},
                "bar": {"color": "#1c1b22", "thickness": 0.25},
                "steps": [
                    {"range": [0, threshold], "color": "#cdebd8"},
                    {"range": [threshold, top], "color": "#f6d3cf"},
                ],
                "threshold": {"line": {"color": "#1c1b22", "width": 3}, "value": threshold},
            },
        )
    )
    return figure.update_layout(height=210, margin={"l": 25, "r": 25, "t": 45, "b": 5})


def difference_bars(difference: np.ndarray) -> go.Figure:
    """The 128 components of |f(x_i) − f(x_j)|, the input of the binary-classification view."""
    figure = go.Figure(go.Bar(x=np.arange(len(difference)), y=difference, marker_color=CHOSEN_HEX))
    return figure.update_layout(
        height=240,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        xaxis_title="component k of the 128-d descriptor",
        yaxis_title="|f_k(x_i) − f_k(x_j)|",
    )


def embedding_space(
    coords: np.ndarray,
    labels: list[str],
    is_probe: list[bool],
    links: list[tuple[int, int, float]],
    share: np.ndarray,
) -> go.Figure:
    """Points (N, 2) after PCA, enrolled people as circles and probes as stars; ``links`` (i, j, d) are
    drawn as dotted lines labelled with the true 128-d distance. ``labels`` hold the names users typed:
    they are shown literally."""
    figure = go.Figure()
    for i, j, distance in links:
        (x1, y1), (x2, y2) = coords[i], coords[j]
        figure.add_trace(
            go.Scatter(
                x=[x1, x2], y=[y1, y2], mode="lines", line={"dash": "dot", "color": "#888"}, showlegend=False
            )
        )
        figure.add_annotation(
            x=(x1 + x2) / 2,
            y=(y1 + y2) / 2,
            text=f"d = {distance:.2f}",
            showarrow=False,
            xshift=28,
            bgcolor="rgba(255, 255, 255, 0.7)",
        )
    for probe, name, symbol in ((False, "enrolled", "circle"), (True, "photo A / B", "star")):
        index = [k for k, p in enumerate(is_probe) if p == probe]
        figure.add_trace(
            go.Scatter(
                x=coords[index, 0],
                y=coords[index, 1],
                mode="markers+text",
                text=[literal_html(labels[k]) for k in index],
                textposition=["top center" if k % 2 == 0 else "bottom center" for k in index],  # less overlap
                marker={"size": 14, "symbol": symbol, "color": SAME if not probe else CHOSEN_HEX},
                name=name,
            )
        )
    return figure.update_layout(
        height=420,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        xaxis_title=f"PC 1 ({share[0]:.0%} of the spread)",
        yaxis_title=f"PC 2 ({share[1]:.0%})",
        yaxis={"scaleanchor": "x"},
    )


def triplet_line(result: Triplet) -> go.Figure:
    """The triplet on a number line of squared distances: d²(A,P), the margin band up to d²(A,P) + α, and
    d²(A,N); the loss is how far d²(A,N) falls short of the band's right edge."""
    edge = result.d_ap + result.alpha
    figure = go.Figure()
    figure.add_vrect(x0=result.d_ap, x1=edge, fillcolor="#f3e3a6", line_width=0, layer="below")
    figure.add_vline(x=edge, line={"dash": "dash", "color": "#b08800"})
    figure.add_annotation(x=edge, y=0.9, text="d²(A,P) + α", showarrow=False, xanchor="left")
    for name, value, color, position in (
        ("d²(A,P)", result.d_ap, SAME, "bottom center"),
        ("d²(A,N)", result.d_an, DIFFERENT, "top center"),
    ):
        figure.add_trace(
            go.Scatter(
                x=[value], y=[0], mode="markers+text", text=[name], textposition=position,
                marker={"size": 16, "color": color}, showlegend=False,
            )
        )  # fmt: skip
    figure.update_yaxes(visible=False, range=[-1, 1.2])
    return figure.update_layout(
        height=200,
        margin={"l": 20, "r": 20, "t": 10, "b": 40},
        xaxis={
            "range": [0, max(result.d_an, edge) * 1.2 + 1e-3],
            "title": "squared distance d² = ‖f(x) − f(y)‖₂²",
        },
    )


def decision_scatter(
    distance: np.ndarray, probability: np.ndarray, same: np.ndarray, threshold: float, probe: tuple | None
) -> go.Figure:
    """Held-out pairs (H,) at (d, ŷ), green when the same person, red when not; the line d = τ (plain
    rule) and ŷ = 0.5 (learned rule); photos A and B's pair as a star when ``probe`` = (d, ŷ) is given."""
    figure = go.Figure()
    for label, mask, color in (("same person", same, SAME), ("different people", ~same, DIFFERENT)):
        figure.add_trace(
            go.Scatter(
                x=distance[mask], y=probability[mask], mode="markers", name=label,
                marker={"color": color, "size": 8, "opacity": 0.7},
            )
        )  # fmt: skip
    if probe is not None:
        figure.add_trace(
            go.Scatter(
                x=[probe[0]], y=[probe[1]], mode="markers", name="photos A, B",
                marker={"symbol": "star", "size": 16, "color": CHOSEN_HEX, "line": {"color": "white"}},
            )
        )  # fmt: skip
    figure.add_vline(x=threshold, line={"dash": "dash", "color": "#1c1b22"})
    figure.add_annotation(
        x=threshold, y=1.08, text=f"d = τ = {threshold:.2f}", showarrow=False, xanchor="left"
    )
    figure.add_hline(y=0.5, line={"dash": "dot", "color": "#888"})
    figure.update_yaxes(range=[-0.05, 1.12], title="learned ŷ = P(same)")
    return figure.update_layout(
        height=300,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        xaxis_title="plain distance d = ‖f(xᵢ) − f(xⱼ)‖₂",
        legend={"orientation": "h", "y": -0.25},
    )
