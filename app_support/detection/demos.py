"""The detection page's side demos: IoU playground, anchor k-means, sliding windows (on the photo and the
course's convolutional example)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app_support.detection.plots import anchors_figure, iou_picture, windows_picture
from app_support.detection.steps import Stage
from app_support.detection.windows import photo_windows
from app_support.shared.ui import run_tabs
from app_support.shared.url import IN_URL, bound_slider
from cnn_core.detection.anchors import kmeans_anchors, mean_best_iou
from cnn_core.detection.boxes import overlap
from cnn_core.detection.sliding_windows import WINDOW, sliding_window_cost
from cnn_core.errors import CNNLabError

#: The playground's canvas is CANVAS x CANVAS units.
CANVAS = 100
#: The course's convention: a detection is correct when its IoU with the true box is at least this.
CORRECT_IOU = 0.5


def _box_sliders(name: str, default: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    st.markdown(f"**Box {name}**")
    x = bound_slider(f"{name}: left x", f"det_iou_{name}_x", default[0])
    y = bound_slider(f"{name}: top y", f"det_iou_{name}_y", default[1])
    w = bound_slider(f"{name}: width", f"det_iou_{name}_w", default[2])
    h = bound_slider(f"{name}: height", f"det_iou_{name}_h", default[3])
    return x, y, min(x + w, CANVAS), min(y + h, CANVAS)


@st.fragment
def iou_playground() -> None:
    """Two boxes moved with sliders; the intersection, union and IoU shown with their numbers."""
    left, middle, right = st.columns([1, 1, 2])
    with left:
        a = _box_sliders("A", (10, 15, 50, 40))
    with middle:
        b = _box_sliders("B", (35, 30, 50, 45))
    result = overlap(a, b)
    with right:
        st.image(iou_picture(a, b, result, CANVAS), caption="A blue, B orange, A ∩ B green", width="stretch")
        st.metric("IoU", f"{result.iou:.3f}")
        st.latex(
            rf"\mathrm{{IoU}} = \frac{{|A \cap B|}}{{|A \cup B|}} = \frac{{{result.intersection:g}}}"
            rf"{{{result.union:g}}} = {result.iou:.3f}"
        )
        verdict = (
            "counts as a correct detection"
            if result.iou >= CORRECT_IOU
            else f"is below the usual {CORRECT_IOU}"
        )
        st.caption(f"By the course's convention, an IoU of {result.iou:.2f} {verdict}.")


@st.fragment
def anchor_kmeans(
    yolo_anchors: np.ndarray, sample_shapes: Callable[[], np.ndarray], session_shapes: np.ndarray
) -> None:
    """k-means (1 − IoU) over (N, 2) w, h box shapes, against YOLOv3-tiny's own (K, 2) anchors."""
    st.markdown(
        "YOLOv2/v3 chose their anchors by k-means over the training boxes' shapes with the distance "
        "d = 1 − IoU(box, anchor), so big and small boxes count alike. Here the boxes are the objects the "
        "detector found (on the sample images, or on the photos of this session)."
    )
    source = st.radio(
        "Box shapes from",
        ["sample images", "this session's detections"],
        horizontal=True,
        key="det_anchor_source",
        bind=IN_URL,
    )
    k = bound_slider("Number of anchors k", "det_anchor_k", len(yolo_anchors))
    shapes = sample_shapes() if source == "sample images" else session_shapes
    try:
        clusters = kmeans_anchors(shapes, k)
    except CNNLabError as err:
        st.info(f"{len(shapes)} box shape(s) so far: {err}. Detect objects in a few more photos.")
        return
    st.plotly_chart(
        anchors_figure(shapes, clusters.labels, clusters.anchors, yolo_anchors), key="det_anchor_plot"
    )
    st.dataframe(
        pd.DataFrame(
            {
                "anchors": [f"k-means, k = {k}", f"YOLOv3-tiny (COCO k-means, k = {len(yolo_anchors)})"],
                "mean IoU of each box with its best anchor": [
                    round(clusters.mean_iou, 3),
                    round(mean_best_iou(shapes, yolo_anchors), 3),
                ],
                "boxes": [len(shapes)] * 2,
            }
        ),
        hide_index=True,
    )


@st.fragment
def sliding_windows(stage: Stage | None) -> None:
    """Sliding windows on the page's photo (EfficientNet-Lite0), and the course's 14x14 example."""
    run_tabs(
        [
            ("On the photo (EfficientNet-Lite0)", partial(photo_windows, stage)),
            ("The course's 14x14 example", course_windows),
        ],
        key="det_sw_view",
    )


def course_windows() -> None:
    """The course's 14x14 classifier slid over a bigger image vs run once as a convolution."""
    st.markdown(
        "Write the classifier's FC layers as convolutions (FC 400 = 400 filters of 5x5x16, then 1x1 "
        "convolutions) and it runs on any image size. On a bigger image each output cell is one window's "
        "prediction, and overlapping windows share their computation. (The notes say the 16x16 image's "
        "four windows are 16 x 16: each is 14 x 14, the classifier's input, at stride 2.)"
    )
    n = st.select_slider(
        "Image size n (n x n x 3)", list(range(WINDOW, 34, 2)), value=16, key="det_sw_n", bind=IN_URL
    )
    cost = sliding_window_cost(n)
    columns = st.columns(4)
    columns[0].metric("windows (stride 2)", f"{cost.windows}")
    columns[1].metric("multiplies, window by window", f"{cost.sliding_multiplies:,}")
    columns[2].metric("multiplies, one convolutional pass", f"{cost.convolutional_multiplies:,}")
    columns[3].metric("saved", f"{cost.saved_fraction:.0%}")
    left, right = st.columns([1, 1])
    left.dataframe(
        pd.DataFrame(
            [
                {"layer": c.name, "output": "x".join(map(str, c.shape)), "multiplies": f"{c.multiplies:,}"}
                for c in cost.layers
            ]
        ),
        hide_index=True,
    )
    right.image(
        windows_picture(n, WINDOW, cost.window_stride, cost.layers[-1].shape[0]),
        caption=f"the {cost.windows} windows of {WINDOW}x{WINDOW} on the {n}x{n} image",
        width=340,
    )
