"""Sections of the activations page: input, prediction, feature maps with a clickable unit and its receptive
field, top patches, Grad-CAM, layer-1 filters and the receptive-field table of every zoo model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app_support.activations import cache as models
from app_support.activations.plots import GAP, channel_figure, draw_window, grid_figure, rf_chart
from app_support.shared.image_picker import fingerprint, image_picker
from cnn_core.activations.feature_maps import grid_unit, heat_overlay, normalise_maps, tile_maps
from cnn_core.activations.receptive_field import clip_window
from cnn_core.images import encode_png

MAX_GRID_CHANNELS = 64
#: the user's own inputs kept for the top-patch search (per session)
MAX_OWN_INPUTS = 40


def zoomed(picture: np.ndarray, side: int) -> np.ndarray:
    """Enlarge an (h, w, 3) picture by a whole factor (nearest) so its height is about ``side``."""
    zoom = max(1, side // picture.shape[0])
    return np.kron(picture, np.ones((zoom, zoom, 1), picture.dtype))


def pick_digit() -> np.ndarray | None:
    """A digit for LeNet: drawn on the canvas, an MNIST test digit, or a photo/upload."""
    source = st.radio(
        "Digit",
        ["Draw", "MNIST test digit", "Photo or upload"],
        horizontal=True,
        key="act_digit_source",
        bind="query-params",
    )
    if source == "Draw":
        from streamlit_drawable_canvas import st_canvas

        st.caption("Draw one digit, large, in the middle of the square.")
        canvas = st_canvas(
            stroke_width=22,
            stroke_color="#ffffff",
            background_color="#000000",
            height=280,
            width=280,
            drawing_mode="freedraw",
            return_image_data=True,
            key="act_canvas",
        )
        pixels = canvas.image_data
        if pixels is None or pixels[..., :3].max() == 0:
            return None
        return np.ascontiguousarray(pixels[..., :3].astype(np.uint8))
    if source == "MNIST test digit":
        inputs, names = models.image_set("lenet5-mnist")
        index = st.number_input("Test digit", 0, len(names) - 1, 0, key="act_digit", bind="query-params")
        st.caption(names[index])
        return models.shown(inputs[index])
    return image_picker("act_photo", camera=True, default_sample="camera")


def remember(key: str, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Keep the user's own inputs of this session (not those already in the image set) for the
    top-patch search; return them."""
    own = st.session_state.setdefault(f"act_own_{key}", {})
    tag = fingerprint(x)
    if tag not in models.set_fingerprints(key):
        own.setdefault(tag, x)
    while len(own) > MAX_OWN_INPUTS:
        own.pop(next(iter(own)))
    return tuple(own.values())


def prediction(model: models.PageModel, x: np.ndarray) -> list[dict]:
    top5 = models.predict(model.key, x)
    st.markdown(f"Prediction: **{top5[0]['label']}** (p = {top5[0]['score']:.2f})")
    table = pd.DataFrame(top5).rename(columns={"label": "class", "score": "probability"})
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "probability": st.column_config.ProgressColumn(format="%.3f", min_value=0.0, max_value=1.0)
        },
    )
    return top5


def _clamp(key: str, maximum: int) -> None:
    if st.session_state.get(key, 0) > maximum:
        st.session_state[key] = maximum


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


def feature_maps(model: models.PageModel, x: np.ndarray) -> None:
    """Layer → grid of maps (click one) → that map enlarged (click a unit) → its receptive field drawn."""
    names = models.layer_names(model.key)
    layer = st.selectbox(
        "Layer", names, index=names.index(model.default_layer), key="act_layer", bind="query-params"
    )
    maps = models.maps_of(model.key, x, layer)
    h, w, channels = maps.shape
    rf = models.rf_by_layer(model.key)[layer]
    st.caption(
        f"{layer}: {h}×{w}×{channels}; each unit sees r = {rf.rows.r} input pixels, "
        f"neighbours are j = {rf.rows.j} pixels apart."
    )
    shared = st.checkbox("One colour scale for all maps", value=True, key="act_shared", bind="query-params")
    for key, top in (("act_channel", channels - 1), ("act_row", h - 1), ("act_col", w - 1)):
        _clamp(key, top)
    channel_box, row_box, col_box = st.columns(3)
    channel = channel_box.number_input("Channel", 0, channels - 1, 0, key="act_channel", bind="query-params")
    row = row_box.number_input("Unit row", 0, h - 1, h // 2, key="act_row", bind="query-params")
    col = col_box.number_input("Unit column", 0, w - 1, w // 2, key="act_col", bind="query-params")
    first = min(channel // MAX_GRID_CHANNELS * MAX_GRID_CHANNELS, channels - 1)
    shown = maps[..., first : first + MAX_GRID_CHANNELS]
    columns = int(np.ceil(np.sqrt(shown.shape[-1] * 1.5)))
    grid_col, map_col = st.columns([3, 2])
    with grid_col:
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
    with map_col:
        st.markdown(f"**Channel {channel}** · click a unit")
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
    zoom = max(1, 448 // picture.shape[0])
    st.image(
        draw_window(picture, visible, zoom),
        width=min(448, picture.shape[1] * zoom),
        caption=(
            f"Receptive field of unit ({row}, {col}) of channel {channel}: input rows "
            f"{window[0]}…{window[2]}, columns {window[1]}…{window[3]} (r = {rf.rows.r}; the network saw "
            f"this {picture.shape[0]}×{picture.shape[1]} input). Activation {maps[row, col, channel]:.3g}."
        ),
    )


def strongest_patches(model: models.PageModel, own: tuple[np.ndarray, ...]) -> None:
    """The course's "nine patches": where the chosen channel fires most across the image set."""
    layer, channel = (
        st.session_state.get("act_layer", model.default_layer),
        st.session_state.get("act_channel", 0),
    )
    patches, names = models.strongest(model.key, layer, int(channel), own)
    st.markdown(
        f"**{layer}, channel {channel}**: the 9 strongest units across {len(names)} images, each cut "
        "at its receptive field (grey beyond the image's border)."
    )
    for start in range(0, len(patches), 3):  # the course's 3 x 3 grid of patches
        for column, patch in zip(st.columns(3), patches[start : start + 3], strict=False):
            column.image(
                zoomed(patch.pixels, 128),
                caption=f"{names[patch.image]} · ({patch.row}, {patch.col}) · {patch.activation:.3g}",
            )


def gradcam(model: models.PageModel, x: np.ndarray, top5: list[dict]) -> None:
    options = {f"{p['label']} ({p['score']:.2f})": p["index"] for p in top5}
    choice = st.selectbox("Class", list(options), key="act_cam_class")
    heat = models.cam_of(model.key, x, model.cam_layer, options[choice])
    overlay = heat_overlay(models.shown(x), heat)
    st.image(
        zoomed(overlay, 448),
        caption=f"Grad-CAM of '{choice}' at layer {model.cam_layer} ({heat.shape[0]}×{heat.shape[1]} map)",
    )
    st.download_button("Download Grad-CAM PNG", encode_png(overlay), "grad_cam.png", "image/png")


def first_filters(model: models.PageModel) -> None:
    filters = models.filters_of(model.key)  # (N, k, k, C)
    st.markdown(
        f"{len(filters)} filters of {filters.shape[1]}×{filters.shape[2]}×{filters.shape[3]}; grey is "
        "zero weight, bright is positive, dark is negative (colour: the weights per RGB channel)."
    )
    columns = st.columns(min(len(filters), 16))
    for i, kernel in enumerate(filters):
        big = zoomed(kernel, 48)
        columns[i % len(columns)].image(big if big.shape[-1] == 3 else big[..., 0], caption=str(i))


def rf_table() -> None:
    """Receptive field, jump and start per layer for any zoo model, with the chart and a CSV download."""
    from cnn_core.zoo import ZOO

    name = st.selectbox(
        "Zoo model",
        list(ZOO),
        index=list(ZOO).index("vgg16"),
        key="act_rf_model",
        bind="query-params",
    )
    table = models.zoo_rf_table(name)
    st.caption(f"{ZOO[name].title} · {ZOO[name].reference}")
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
    st.plotly_chart(rf_chart(table), key="act_rf_chart")
    st.dataframe(frame, hide_index=True, height=320)
    st.download_button(
        "Download table (CSV)", frame.to_csv(index=False), f"{name}_receptive_fields.csv", "text/csv"
    )
    if st.button("Check by gradients", key="act_rf_check"):
        layer, analytic, empirical = models.gradient_check(name)
        verdict = st.success if analytic == empirical else st.warning
        verdict(
            f"{layer}, centre unit: analytic window {analytic}, non-zero input gradients in {empirical} "
            "(top, left, bottom, right)."
        )
