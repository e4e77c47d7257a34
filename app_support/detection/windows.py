"""The Sliding windows tab on the page's photo: EfficientNet-Lite0 run window by window, next to the same
network run once, fully convolutionally, over the whole photo."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_support.activations.cache import network, rf_by_layer
from app_support.detection.proposals import CLASSIFIER
from app_support.detection.steps import Stage
from app_support.shared.ui import show_error
from app_support.shared.url import bound_number
from app_support.shared.visitor_cache import picture_cache
from cnn_core.activations.imagenet import imagenet_labels
from cnn_core.detection.conv_windows import (
    FEATURE_LAYER,
    INPUT,
    TRUNK_STRIDE,
    ConvMap,
    any_size_trunk,
    conv_class_map,
)
from cnn_core.detection.rcnn import MAX_REGIONS, RegionLabels, classify_regions
from cnn_core.detection.sliding_windows import window_boxes, window_grid
from cnn_core.drawing import draw_boxes
from cnn_core.errors import CNNLabError

#: the window and stride a photo starts with: 25 windows on a 512x512 photo, 40 on a 741x500 one
DEFAULT_WINDOW = 160
DEFAULT_STRIDE = 80


@st.cache_resource(show_spinner="Preparing EfficientNet-Lite0 for any image size…")
def conv_classifier():
    """The shared classifier's trunk for any input size, and its dense layer's kernel (1280, 1000) and
    bias (1000,); warmed up once."""
    model = network(CLASSIFIER)
    trunk = any_size_trunk(model)
    trunk(np.zeros((1, INPUT, INPUT, 3), np.float32), training=False)
    kernel, bias = model.get_layer("logits").get_weights()
    return trunk, kernel, bias


@picture_cache(max_entries=8)
def windows_of(image: np.ndarray, window: int, stride: int) -> RegionLabels:
    """EfficientNet-Lite0 on every window of one photo, one crop after another."""
    height, width = image.shape[:2]
    return classify_regions(network(CLASSIFIER), image, window_boxes(height, width, window, stride))


@picture_cache(max_entries=8, show_spinner="One pass of the trunk over the whole photo…")
def conv_map_of(image: np.ndarray, window: int) -> ConvMap:
    trunk, kernel, bias = conv_classifier()
    return conv_class_map(trunk, kernel, bias, image, window)


def heat_figure(grid: np.ndarray, title: str) -> go.Figure:
    """A (rows, cols) probability grid as a heat map from 0 to its own maximum, row 0 on top, cells square."""
    top = max(float(grid.max()), 1e-3)
    figure = go.Figure(go.Heatmap(z=grid, zmin=0, zmax=top, colorscale="Viridis", colorbar={"thickness": 10}))
    figure.update_layout(
        title=f"{title} (colours 0 to {top:.2f})", height=300, margin={"t": 40, "b": 10, "l": 10, "r": 10}
    )
    figure.update_yaxes(autorange="reversed", scaleanchor="x", title="window row")
    figure.update_xaxes(title="window column")
    return figure


def photo_windows(stage: Stage | None) -> None:
    """Controls, counts and times, the best class's probability over window positions both ways."""
    if stage is None:
        st.info("Choose a photo in Photo and thresholds to slide windows over it.")
        return
    image, sample = stage.photo.pixels, stage.photo.sample
    height, width = image.shape[:2]
    columns = st.columns(2)
    window = bound_number("Window (pixels of the photo)", "det_sw_window", DEFAULT_WINDOW, where=columns[0])
    stride = bound_number("Stride (pixels)", "det_sw_stride", DEFAULT_STRIDE, where=columns[1])
    try:
        rows, cols = window_grid(height, width, window, stride)
        if rows * cols > MAX_REGIONS:
            st.warning(
                f"{rows} x {cols} = {rows * cols} windows of {window} px at stride {stride}: more than "
                f"{MAX_REGIONS}, each one network pass. Take a larger window or stride."
            )
            return
        with st.status(f"Classifying {rows * cols} windows one by one…", expanded=False) as status:
            sliding = windows_of(image, window, stride, sample=sample)
            status.update(label=f"{rows * cols} windows classified", state="complete")
        conv = conv_map_of(image, window, sample=sample)
    except CNNLabError as err:
        show_error(err)
        return
    best = int(sliding.probabilities.max(axis=0).argmax())
    label = imagenet_labels()[best]
    conv_rows, conv_cols = conv.probabilities.shape[:2]
    metrics = st.columns(4)
    metrics[0].metric("windows", f"{rows} x {cols} = {rows * cols}")
    metrics[1].metric(
        "window by window", f"{sliding.ms / 1000:.2f} s", help=f"{sliding.ms_per_crop:.0f} ms per window"
    )
    metrics[2].metric("convolutional windows", f"{conv_rows} x {conv_cols} = {conv_rows * conv_cols}")
    metrics[3].metric("one convolutional pass", f"{conv.ms / 1000:.2f} s")
    left, right = st.columns(2)
    left.plotly_chart(
        heat_figure(sliding.probabilities[:, best].reshape(rows, cols), f"p({label}), window by window"),
        key="det_sw_heat_crops",
    )
    right.plotly_chart(
        heat_figure(conv.probabilities[..., best], f"p({label}), one pass"), key="det_sw_heat_conv"
    )
    top_crop = int(sliding.probabilities[:, best].argmax())
    top_conv = int(conv.probabilities[..., best].argmax())
    picture, _ = st.columns([3, 2])
    picture.image(
        draw_boxes(
            image,
            [sliding.boxes[top_crop], conv.boxes[top_conv]],
            [(240, 140, 20), (40, 90, 220)],
            [
                f"window {sliding.probabilities[top_crop, best]:.2f}",
                f"map {conv.probabilities.reshape(-1, 1000)[top_conv, best]:.2f}",
            ],
        ),
        caption=f"the most {label}-like window found each way: cropped windows (orange), the map (blue)",
        width="stretch",
    )
    field = rf_by_layer(CLASSIFIER)[FEATURE_LAYER].rows.r
    st.markdown(
        f"The best class over all windows is **{label}**. Window by window, each of the {rows * cols} crops "
        f"is resized to {INPUT}x{INPUT} and goes through the whole network: {sliding.ms_per_crop:.0f} ms "
        f"each. The convolutional way scales the photo by {INPUT}/{window} to {conv.input_size[1]}x"
        f"{conv.input_size[0]}, runs the trunk once ({conv.feature_size[0]}x{conv.feature_size[1]}x1280 "
        f"map, stride {TRUNK_STRIDE}), averages every 7x7 block (= one {INPUT}-pixel window) and applies the "
        f"dense layer as a 1x1 convolution at each position: {conv_rows * conv_cols} windows, "
        f"{conv.stride:.1f} photo pixels apart ({TRUNK_STRIDE} network pixels), for less than the cost of "
        f"{conv.ms / max(sliding.ms_per_crop, 1e-9):.0f} separate crops. Its windows overlap and share "
        f"all their computation; each unit of the {FEATURE_LAYER} map sees {field}x{field} input pixels "
        "(its receptive field), so a window's border units also see beyond the window: the map's "
        "probabilities are not the crops' (usually lower and smoother), though their peaks tend to agree."
    )
