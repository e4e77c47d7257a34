"""Figures of the activations page: the clickable grid of feature maps, one enlarged map, receptive fields."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw
from plotly.colors import hex_to_rgb, sequential

from cnn_core.activations.receptive_field import LayerRF

#: gap (pixels) between the maps of the grid
GAP = 1
_VIRIDIS = np.array([hex_to_rgb(c) for c in sequential.Viridis], dtype=np.float64)  # (10, 3)
RF_COLOUR = (255, 40, 40)
#: the tallest figure of the page (a projector shows about 600 px under its title), and one enlarged map
MAX_FIGURE_HEIGHT, MAP_HEIGHT = 460, 300


def colour(values: np.ndarray) -> np.ndarray:
    """Values in [0, 1] (NaN for gaps) → viridis RGB uint8, gaps white."""
    stops = np.linspace(0, 1, len(_VIRIDIS))
    filled = np.nan_to_num(values, nan=0.0)
    rgb = np.stack([np.interp(filled, stops, _VIRIDIS[:, i]) for i in range(3)], axis=-1)
    rgb[np.isnan(values)] = 255
    return rgb.astype(np.uint8)


def _clickable(
    fig: go.Figure, xs: np.ndarray, ys: np.ndarray, size: int, hover: str, data: np.ndarray
) -> go.Figure:
    """Invisible markers on top of an image, so a click selects the nearest one (plotly heatmaps and
    images emit no click selections; scatter points do). The page reads the clicked point's x and y.
    ``xs``, ``ys`` and ``data`` (N,) (what ``hover`` shows as ``%{customdata}``) are numpy arrays: Plotly
    checks an array's type once, a list element by element (a 112x112 map: ~100 ms)."""
    fig.add_trace(
        go.Scattergl(
            x=xs,
            y=ys,
            customdata=data,
            mode="markers",
            hovertemplate=hover + "<extra></extra>",
            marker={"size": size, "symbol": "square", "opacity": 0.0, "color": "white"},
            showlegend=False,
        )
    )
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        clickmode="event+select",
        hoverdistance=-1,  # a click anywhere selects the nearest point
        dragmode=False,
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "autorange": "reversed"},
    )
    return fig


def grid_figure(tiles: np.ndarray, map_shape: tuple[int, int, int], columns: int, selected: int) -> go.Figure:
    """The tiled maps (from ``tile_maps``) as an image; clicking a map selects its channel."""
    h, w, channels = map_shape
    fig = go.Figure(go.Image(z=colour(tiles), hoverinfo="skip"))
    rows, cols = np.divmod(np.arange(channels), columns)  # (channels,) each
    xs, ys = cols * (w + GAP) + (w - 1) / 2, rows * (h + GAP) + (h - 1) / 2
    r, q = divmod(selected, columns)
    fig.add_shape(
        type="rect",
        x0=q * (w + GAP) - 1,
        y0=r * (h + GAP) - 1,
        x1=q * (w + GAP) + w,
        y1=r * (h + GAP) + h,
        line={"color": "red", "width": 2},
    )
    fig = _clickable(fig, xs, ys, 24, "channel %{customdata}", np.arange(channels))
    fig.update_layout(height=int(np.clip(480 * tiles.shape[0] / tiles.shape[1], 160, MAX_FIGURE_HEIGHT)))
    return fig


def channel_figure(values: np.ndarray, unit: tuple[int, int], low: float, high: float) -> go.Figure:
    """One feature map (h, w) as a heat map with its colour bar; clicking a cell selects that unit."""
    h, w = values.shape
    fig = go.Figure(go.Heatmap(z=values, zmin=low, zmax=high, colorscale="Viridis", hoverinfo="skip"))
    rows, cols = np.indices((h, w))
    fig.add_shape(
        type="rect",
        x0=unit[1] - 0.5,
        x1=unit[1] + 0.5,
        y0=unit[0] - 0.5,
        y1=unit[0] + 0.5,
        line={"color": "red", "width": 3},
    )
    fig = _clickable(
        fig,
        cols.ravel(),
        rows.ravel(),
        max(4, MAP_HEIGHT // max(h, w)),
        "row %{y}, col %{x}: %{customdata:.3g}",
        values.ravel(),
    )
    fig.update_layout(height=MAP_HEIGHT)
    return fig


def zoom_for(picture: np.ndarray, side: int) -> int:
    """The whole factor enlarging ``picture`` (h, w, c) to about ``side`` pixels high: max(1, ⌊side/h⌋)."""
    return max(1, side // picture.shape[0])


def zoomed(picture: np.ndarray, side: int) -> np.ndarray:
    """Enlarge an (h, w, c) picture by ``zoom_for(picture, side)`` (nearest neighbour)."""
    zoom = zoom_for(picture, side)
    return np.kron(picture, np.ones((zoom, zoom, 1), picture.dtype))


def draw_window(picture: np.ndarray, window: tuple[int, int, int, int], zoom: int) -> np.ndarray:
    """The (H, W, 3) picture enlarged ``zoom`` times (nearest) with the receptive field drawn as a red
    box (inclusive pixel window; the parts outside the image are cut off at its border)."""
    big = Image.fromarray(picture).resize((picture.shape[1] * zoom, picture.shape[0] * zoom), Image.NEAREST)
    top, left, bottom, right = window
    draw = ImageDraw.Draw(big)
    draw.rectangle(
        [left * zoom, top * zoom, (right + 1) * zoom - 1, (bottom + 1) * zoom - 1],
        outline=RF_COLOUR,
        width=max(2, zoom // 2),
    )
    centre = ((left + right + 1) / 2 * zoom, (top + bottom + 1) / 2 * zoom)
    draw.ellipse([centre[0] - 3, centre[1] - 3, centre[0] + 3, centre[1] + 3], fill=RF_COLOUR)
    return np.asarray(big)


def rf_chart(table: list[LayerRF], title: str) -> go.Figure:
    """Receptive field r and jump j of network ``title`` by depth (log scale), along the image rows."""
    names = [layer.name for layer in table]
    fig = go.Figure()
    for label, symbol, values in (
        ("receptive field r", "r", [t.rows.r for t in table]),
        ("jump j", "j", [t.rows.j for t in table]),
    ):
        fig.add_trace(
            go.Scatter(
                x=list(range(len(table))),
                y=values,
                name=label,
                text=names,
                hovertemplate=f"%{{text}}: {symbol} = %{{y}}<extra></extra>",
            )
        )
    fig.update_layout(
        xaxis_title="layer (depth order)",
        yaxis_title="input pixels",
        yaxis_type="log",
        title={"text": f"{title}: r and j, layer by layer", "font": {"size": 14}},
        height=360,
        margin={"t": 40},
        legend={"orientation": "h"},
    )
    return fig
