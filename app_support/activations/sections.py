"""Sections of the activations page, one per tab: feature maps with a clickable unit and its receptive
field, top patches, Grad-CAM, layer-1 filters and the receptive-field table of every zoo model. Each tab
puts the picture's ``chosen_input()`` and its own controls in the left column and its result beside them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app_support.activations import cache as models
from app_support.activations.inputs import chosen_input, show_input
from app_support.activations.plots import (
    GAP,
    channel_figure,
    draw_window,
    grid_figure,
    rf_chart,
    zoom_for,
    zoomed,
)
from app_support.shared.layout import controls_and_result, explanation, show_at_width
from app_support.shared.url import IN_URL, bound_number
from cnn_core.activations.feature_maps import GRADCAM_SIDE, grid_unit, heat_overlay, normalise_maps, tile_maps
from cnn_core.activations.receptive_field import clip_window
from cnn_core.images import encode_png

#: feature maps shown at once in the grid (a layer with more channels is paged by the chosen channel)
MAX_GRID_CHANNELS = 64
#: the receptive-field drawing is as large as the Grad-CAM overlay, so the two can be compared
FIELD_SIDE = GRADCAM_SIDE
#: heights (pixels) of a top patch and of a layer-1 filter; layer-1 filters per row
PATCH_SIDE, FILTER_SIDE, FILTER_COLUMNS = 128, 48, 8
#: width (CSS pixels) the Grad-CAM overlay is shown at: with its caption inside a projector's first screen,
#: and narrower than a phone
CAM_WIDTH = 360
#: the zoo model whose receptive fields the table opens on
RF_DEFAULT_MODEL = "vgg16"


def _clamp(key: str, maximum: int) -> None:
    """Lower the remembered value of control ``key`` to ``maximum`` (a new layer may have fewer units)."""
    if st.session_state.get(key, 0) > maximum:
        st.session_state[key] = maximum


def _layer_control(model: models.PageModel) -> str:
    """The layer whose units the Feature maps and Top patches tabs show (one control, in the URL)."""
    names = models.layer_names(model.key)
    return st.selectbox("Layer", names, index=names.index(model.default_layer), key="act_layer", bind=IN_URL)


def _channel_control(channels: int) -> int:
    """The channel of the chosen layer (0 … channels − 1), in the URL."""
    _clamp("act_channel", channels - 1)
    return bound_number("Channel", "act_channel", 0, high=channels - 1)


def _clicked_point() -> tuple[int, int] | None:
    """Grid pixel (y, x) of the point just clicked in a chart (its data coordinates), or None."""
    for key in ("act_grid", "act_map"):
        points = st.session_state.get(key, {}).get("selection", {}).get("points", [])
        if points:
            return round(points[0]["y"]), round(points[0]["x"])
    return None


def _on_grid_click() -> None:
    point = _clicked_point()
    shape, columns, first = st.session_state["act_grid_layout"]
    unit = grid_unit(*point, shape, columns, GAP) if point else None
    if unit is not None:
        st.session_state["act_channel"] = first + unit[0]


def _on_map_click() -> None:
    point = _clicked_point()
    if point is not None:
        st.session_state["act_row"], st.session_state["act_col"] = point


def feature_maps() -> None:
    """Layer → grid of maps (click one) → that map enlarged (click a unit) → its receptive field drawn."""
    controls, result = controls_and_result()
    with controls:
        chosen = chosen_input()
        model, x = chosen.model, chosen.x
        if x is None:
            result.info("Pick, upload or draw an image to see its feature maps.")
            return
        layer = _layer_control(model)
        maps = models.maps_of(model.key, x, layer, sample=chosen.sample)
        h, w, channels = maps.shape
        rf = models.rf_by_layer(model.key)[layer]
        shared = st.checkbox("One colour scale for all maps", value=True, key="act_shared", bind=IN_URL)
        for key, top in (("act_row", h - 1), ("act_col", w - 1)):
            _clamp(key, top)
        channel_box, row_box, col_box = st.columns(3)
        with channel_box:
            channel = _channel_control(channels)
        row = bound_number("Unit row", "act_row", h // 2, where=row_box, high=h - 1)
        col = bound_number("Unit column", "act_col", w // 2, where=col_box, high=w - 1)
        show_input(chosen)
    first = min(channel // MAX_GRID_CHANNELS * MAX_GRID_CHANNELS, channels - 1)
    shown = maps[..., first : first + MAX_GRID_CHANNELS]
    columns = int(np.ceil(np.sqrt(shown.shape[-1] * 1.5)))
    with result:
        st.caption(
            f"{layer}: {h}×{w}×{channels}; each unit sees r = {rf.rows.r} input pixels, "
            f"neighbours are j = {rf.rows.j} pixels apart."
        )
        st.markdown(
            f"**Channels {first}–{first + shown.shape[-1] - 1}** of {channels} · click one to enlarge"
        )
        tiles = tile_maps(normalise_maps(shown, shared), columns, GAP)
        st.session_state["act_grid_layout"] = (shown.shape, columns, first)
        st.plotly_chart(
            grid_figure(tiles, shown.shape, columns, channel - first),
            key="act_grid",
            on_select=_on_grid_click,
            selection_mode="points",
            config={"displayModeBar": False},
        )
        map_col, field_col = st.columns(2)
    with map_col:
        scale = "one scale for all maps" if shared else "its own scale"
        st.markdown(f"**Channel {channel}** ({scale}) · click a unit")
        low, high = (
            (maps.min(), maps.max()) if shared else (maps[..., channel].min(), maps[..., channel].max())
        )
        st.plotly_chart(
            channel_figure(maps[..., channel], (row, col), float(low), float(high)),
            key="act_map",
            on_select=_on_map_click,
            selection_mode="points",
            config={"displayModeBar": False},
        )
    picture = models.shown(x)
    window = rf.window(row, col)
    visible = clip_window(window, *picture.shape[:2])
    zoom = zoom_for(picture, FIELD_SIDE)
    field_col.image(
        draw_window(picture, visible, zoom),
        caption=(
            f"Receptive field of unit ({row}, {col}) of channel {channel}: input rows "
            f"{window[0]}…{window[2]}, columns {window[1]}…{window[3]} (r = {rf.rows.r}; the network saw "
            f"this {picture.shape[0]}×{picture.shape[1]} input). Activation {maps[row, col, channel]:.3g}."
        ),
    )


def strongest_patches() -> None:
    """The course's "nine patches": where the chosen channel fires most across the image set (and the
    visitor's own pictures of this session)."""
    controls, result = controls_and_result()
    with controls:
        chosen = chosen_input()
        model = chosen.model
        layer = _layer_control(model)
        channel = _channel_control(models.channels_of(model.key, layer))
        show_input(chosen)
    patches, names = models.strongest(model.key, layer, channel, chosen.own, sample=not chosen.own)
    own = f", {len(chosen.own)} of them yours" if chosen.own else ""
    with result:
        st.markdown(
            f"**{layer}, channel {channel}**: the 9 strongest units across {len(names)} images{own}, each "
            "cut at its receptive field (grey beyond the image's border)."
        )
        for start in range(0, len(patches), 3):  # the course's 3 x 3 grid of patches
            for column, patch in zip(st.columns(3), patches[start : start + 3], strict=False):
                column.image(
                    zoomed(patch.pixels, PATCH_SIDE),
                    caption=f"{names[patch.image]} · ({patch.row}, {patch.col}) · {patch.activation:.3g}",
                )


def gradcam() -> None:
    """Where the network looks for one of its top-5 classes: the Grad-CAM map over the input."""
    controls, result = controls_and_result()
    with controls:
        chosen = chosen_input()
        model, x = chosen.model, chosen.x
        if x is None:
            result.info("Pick, upload or draw an image to see where the network looks.")
            return
        options = {f"{p['label']} ({p['score']:.2f})": p["index"] for p in chosen.top5}
        choice = st.selectbox("Class", list(options), key="act_cam_class", bind=IN_URL)
        show_input(chosen)
        with explanation():
            st.markdown(
                "Grad-CAM weighs each map $A^k$ of the last convolutional layer by the mean gradient of the "
                "class score, $\\alpha_k = \\frac{1}{Z}\\sum_{ij} \\partial y^c / \\partial A^k_{ij}$, "
                "and shows $\\mathrm{ReLU}(\\sum_k \\alpha_k A^k)$ (Selvaraju et al., 2017)."
            )
    heat = models.cam_of(model.key, x, model.cam_layer, options[choice], sample=chosen.sample)
    overlay = heat_overlay(models.shown(x), heat)
    with result:
        show_at_width(
            zoomed(overlay, GRADCAM_SIDE),
            CAM_WIDTH,
            f"Grad-CAM of '{choice}' at layer {model.cam_layer} ({heat.shape[0]}×{heat.shape[1]} "
            f"map) over the {x.shape[0]}×{x.shape[1]} input the network saw",
        )
        st.download_button("Download Grad-CAM PNG", encode_png(overlay), "grad_cam.png", "image/png")


def first_filters() -> None:
    """Every first-layer kernel of the chosen network as a small picture."""
    controls, result = controls_and_result()
    with controls:
        chosen = chosen_input()
        show_input(chosen)
    filters = models.filters_of(chosen.model.key)  # (N, k, k, C)
    n, k, _, depth = filters.shape
    rgb = depth == 3
    channels = "colour: the weights per RGB channel" if rgb else f"{depth} input channel{'s' * (depth > 1)}"
    learns = "edges, blobs and colours" if rgb else "edges and strokes"
    with result:
        st.markdown(
            f"The **{n} first-layer filters** of {chosen.model.title}, each {k}×{k}×{depth}: grey is zero "
            f"weight, bright is positive, dark is negative ({channels}). Layer 1 learns {learns}."
        )
        columns = st.columns(min(n, FILTER_COLUMNS))
        for i, kernel in enumerate(filters):
            big = zoomed(kernel, FILTER_SIDE)
            columns[i % len(columns)].image(big if big.shape[-1] == 3 else big[..., 0], caption=str(i))


def rf_table() -> None:
    """Receptive field, jump and start per layer for any zoo model, with the chart and a CSV download."""
    from cnn_core.zoo import ZOO

    controls, result = controls_and_result()
    with controls:
        name = st.selectbox(
            "Zoo model",
            list(ZOO),
            index=list(ZOO).index(RF_DEFAULT_MODEL),
            key="act_rf_model",
            bind=IN_URL,
        )
        entry = ZOO[name]
        note = f" · **Note:** {entry.note}" if entry.note else ""
        st.caption(f"{entry.title} · {entry.reference}{note}")
        with explanation():
            st.markdown(
                "Receptive field r, jump j (distance between neighbouring units, in input pixels) and start "
                "(centre of the first unit) of every layer, by the recurrences under the page's title "
                "(Araujo et al., Distill 2019); where paths merge, the union of their fields."
            )
        check = st.button("Check by gradients", key="act_rf_check")
    table = models.zoo_rf_table(name)
    frame = pd.DataFrame(
        [
            {
                "layer": t.name,
                "type": t.kind,
                "output": f"{t.rows.n}×{t.cols.n}",
                "r": t.rows.r,
                "jump j": t.rows.j,
                "start": t.rows.start,
            }
            for t in table
        ]
    )
    with controls:
        if check:
            layer, analytic, empirical = models.gradient_check(name)
            verdict = st.success if analytic == empirical else st.warning
            verdict(
                f"{layer}, centre unit: analytic window {analytic}, non-zero input gradients in {empirical} "
                "(top, left, bottom, right)."
            )
        st.download_button(
            "Download table (CSV)", frame.to_csv(index=False), f"{name}_receptive_fields.csv", "text/csv"
        )
    with result:
        st.plotly_chart(rf_chart(table, entry.title), key="act_rf_chart")
        st.dataframe(frame, hide_index=True, height=320)
