"""The Siamese network drawn from the page's real data: both crops through one f, their 128-d encodings,
and the distance d against τ. Built with matplotlib's object API (no pyplot: safe in Streamlit threads)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from PIL import Image

from app_support.faces.plots import CHOSEN_HEX, DIFFERENT, SAME
from cnn_core.images import encode_png, fit_width

#: the 128 components are drawn as an 8x16 heat strip
STRIP = (8, 16)


@dataclass(frozen=True)
class SiameseView:
    """What the drawing shows: the two aligned crops (S, S, 3) uint8, their descriptors (128,), d, τ and
    the network's parameter count."""

    crops: tuple[np.ndarray, np.ndarray]
    encodings: tuple[np.ndarray, np.ndarray]
    distance: float
    threshold: float
    parameters: int


def _box(figure: Figure, x: float, y: float, w: float, h: float, text: str, color: str) -> None:
    figure.patches.append(
        FancyBboxPatch(
            (x, y), w, h, boxstyle="round,pad=0.01", transform=figure.transFigure, figure=figure,
            facecolor=color, edgecolor="#1c1b22", linewidth=1.2, alpha=0.9,
        )
    )  # fmt: skip
    figure.text(
        x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=11, color="white", weight="bold"
    )


def _arrow(figure: Figure, start: tuple[float, float], end: tuple[float, float], **style) -> None:
    figure.patches.append(
        FancyArrowPatch(
            start, end, transform=figure.transFigure, figure=figure, mutation_scale=14,
            **{"arrowstyle": "-|>", "color": "#1c1b22", "linewidth": 1.4, **style},
        )
    )  # fmt: skip


def siamese_figure(view: SiameseView) -> Figure:
    """x⁽¹⁾ → f → f(x⁽¹⁾) and x⁽²⁾ → the same f → f(x⁽²⁾), joined by d = ‖f(x⁽¹⁾) − f(x⁽²⁾)‖₂ vs τ."""
    figure = Figure(figsize=(6.4, 4.0), dpi=150)
    limit = float(np.abs(np.stack(view.encodings)).max()) or 1.0  # one colour scale for both strips
    rows = (0.55, 0.16)  # bottom of each row's pictures, in figure fractions
    height = 0.31
    for number, (bottom, crop, encoding) in enumerate(zip(rows, view.crops, view.encodings, strict=True), 1):
        middle = bottom + height / 2
        photo = figure.add_axes((0.0, bottom, 0.18, height))
        photo.imshow(crop)
        photo.set_axis_off()
        photo.set_title(f"$x^{{({number})}}$", fontsize=11, pad=3)
        _arrow(figure, (0.185, middle), (0.235, middle))
        _box(figure, 0.24, bottom + 0.06, 0.14, height - 0.12, "f\nResNet", CHOSEN_HEX)
        _arrow(figure, (0.385, middle), (0.435, middle))
        strip = figure.add_axes((0.44, bottom + 0.04, 0.26, height - 0.08))
        image = strip.imshow(encoding.reshape(STRIP), cmap="RdBu_r", vmin=-limit, vmax=limit)
        strip.set_xticks([])
        strip.set_yticks([])
        strip.set_title(f"$f(x^{{({number})}}) \\in \\mathbb{{R}}^{{128}}$", fontsize=10, pad=3)
        _arrow(
            figure, (0.705, middle), (0.77, 0.5), connectionstyle=f"arc3,rad={0.2 if number == 1 else -0.2}"
        )
    _arrow(
        figure, (0.31, rows[0] + 0.055), (0.31, rows[1] + height - 0.055), arrowstyle="<|-|>", linestyle="--"
    )
    figure.text(
        0.32, 0.5, f"same weights\n({view.parameters / 1e6:.1f} M)", fontsize=9, va="center", ha="left"
    )
    same = view.distance <= view.threshold
    color = SAME if same else DIFFERENT
    _box(
        figure,
        0.775,
        0.38,
        0.21,
        0.24,
        f"d = {view.distance:.3f}\n{'≤' if same else '>'} τ = {view.threshold:.2f}",
        color,
    )
    figure.text(
        0.88,
        0.35,
        "same person" if same else "different\npeople",
        fontsize=10,
        ha="center",
        va="top",
        color=color,
        weight="bold",
    )
    figure.text(
        0.88, 0.66, r"$d = \Vert f(x^{(1)}) - f(x^{(2)}) \Vert_2$", fontsize=9, ha="center", va="bottom"
    )
    bar = figure.add_axes((0.44, 0.07, 0.26, 0.025))
    figure.colorbar(image, cax=bar, orientation="horizontal")
    bar.tick_params(labelsize=7)
    return figure


def figure_png(figure: Figure, width: int) -> bytes:
    """The figure as PNG bytes, shrunk to ``width`` pixels where it is wider: the width it is shown at.
    A wider PNG would be decoded, shrunk and encoded again by Streamlit on every rerun (~25 ms)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white", bbox_inches="tight", pad_inches=0.05)
    drawn = Image.open(buffer)  # reads the header: the size, not the pixels
    if drawn.width <= width:
        return buffer.getvalue()
    return encode_png(fit_width(np.asarray(drawn.convert("RGB")), width))
