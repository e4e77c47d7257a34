"""The detection page's "Region proposals (R-CNN)" tab: selective-search proposals on the page's photo,
each classified by EfficientNet-Lite0 (R-CNN), timed against YOLOv3-tiny's single pass, and the costs of
Fast and Faster R-CNN computed from the classifier's per-layer multiply-adds."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from app_support.activations.cache import network
from app_support.detection.steps import Stage
from app_support.shared.ui import show_error
from app_support.shared.url import bound_number, bound_slider
from app_support.shared.visitor_cache import picture_cache
from cnn_core.detection.pipeline import DEFAULT_IOU
from cnn_core.detection.proposals import DEFAULT_SCALE, WORKING_SIDE, propose_regions
from cnn_core.detection.rcnn import (
    DEFAULT_RCNN_SCORE,
    DEFAULT_REGIONS,
    PAPER_REGIONS,
    RPN_ANCHORS,
    RPN_CHANNELS,
    TRUNK_END,
    RcnnCosts,
    RegionLabels,
    classify_regions,
    keep_regions,
    rcnn_costs,
    region_rows,
)
from cnn_core.drawing import class_color, draw_boxes
from cnn_core.errors import CNNLabError

CLASSIFIER = "efficientnet-lite0"


@picture_cache(max_entries=8, show_spinner="Segmenting and merging regions…")
def proposals_of(image: np.ndarray, scale: int) -> tuple[np.ndarray, float]:
    """All (N, 4) proposals of one photo and the seconds they took."""
    start = time.perf_counter()
    boxes = propose_regions(image, scale)
    return boxes, time.perf_counter() - start


@picture_cache(max_entries=8)
def rcnn_of(image: np.ndarray, boxes: np.ndarray) -> RegionLabels:
    """EfficientNet-Lite0's verdict on each of the (N, 4) regions of one photo."""
    return classify_regions(network(CLASSIFIER), image, boxes)


@st.cache_data(show_spinner="Counting multiply-adds…", max_entries=16)
def costs_of(height: int, width: int, regions: int) -> RcnnCosts:
    """The three detectors' multiply-adds on an H x W photo (weightless models, shapes only)."""
    from cnn_core.architectures.keras_graph import weightless
    from cnn_core.architectures.summary import summarize
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    with weightless():
        any_size = build_efficientnet_lite0((None, None, 3), weights=False)
        crop = build_efficientnet_lite0(weights=False)
    return rcnn_costs(summarize(crop), summarize(any_size, (height, width, 3)), regions)


def _controls() -> tuple[int, int, float]:
    columns = st.columns(3)
    scale = bound_number(
        "Felzenszwalb scale (larger: fewer regions)", "det_rp_scale", DEFAULT_SCALE, where=columns[0]
    )
    shown = bound_number("Proposals classified", "det_rp_n", DEFAULT_REGIONS, where=columns[1])
    score = bound_slider("Keep a region when p ≥", "det_rp_score", DEFAULT_RCNN_SCORE, 0.05, where=columns[2])
    return scale, shown, score


def _cost_table(costs: RcnnCosts, proposal_s: float) -> pd.DataFrame:
    n, g = costs.regions, 1e9
    paper = costs.with_regions(PAPER_REGIONS)
    rows = [
        ("R-CNN", f"selective search ({proposal_s:.2f} s here), then N whole 224x224 passes", "rcnn"),
        ("Fast R-CNN", "selective search, one trunk pass over the photo, N RoI heads", "fast_rcnn"),
        ("Faster R-CNN", "one trunk pass, an RPN on its map, N RoI heads", "faster_rcnn"),
    ]
    return pd.DataFrame(
        [
            {
                "detector": name,
                f"G multiply-adds, N = {n}": round(getattr(costs, field) / g, 2),
                f"N = {PAPER_REGIONS:,} (the paper's)": round(getattr(paper, field) / g, 1),
                f"share of R-CNN's at {PAPER_REGIONS:,}": f"{getattr(paper, field) / paper.rcnn:.1%}",
                "what runs": what,
            }
            for name, what, field in rows
        ]
    )


def _explain(costs: RcnnCosts, per_crop_ms: float) -> None:
    st.markdown(
        f"**Fast R-CNN** runs the convolutional trunk once over the whole photo (EfficientNet-Lite0 up to "
        f"`{TRUNK_END}`, stride 32: a {costs.feature_map[0]}x{costs.feature_map[1]} map), then *RoI "
        "pooling* cuts each proposal's part of that shared map into a 7x7 grid and max-pools each cell, "
        "and only the head (1x1 conv to 1280, average pool, dense 1000) runs per proposal. **Faster "
        f"R-CNN** also replaces selective search by a *region proposal network* on the same map: a 3x3 "
        f"convolution ({RPN_CHANNELS} filters) and two 1x1 convolutions scoring {RPN_ANCHORS} anchors per "
        "position (2 scores + 4 box offsets each). Counted from the real network's layers, one 224x224 "
        f"pass costs {costs.per_crop / 1e6:.0f} M multiply-adds and one head {costs.head / 1e6:.1f} M; "
        f"here one crop took {per_crop_ms:.0f} ms. The trunk over the whole photo costs "
        f"{costs.trunk / 1e9:.2f} G and the RPN {costs.rpn / 1e9:.2f} G. YOLO's paper puts it at more than "
        "1000x faster than R-CNN and 100x faster than Fast R-CNN (the numbers the notes quote)."
    )


def region_proposals(stage: Stage | None) -> None:
    """Proposals on the page's photo, each classified (R-CNN); times beside YOLO's; Fast/Faster costs."""
    st.markdown(
        "R-CNN first *proposes* a few regions that look like objects (a segmentation merged into ever "
        "larger blobs, each blob's box is a proposal), then runs a classifier on each one."
    )
    if stage is None:
        st.info("Choose a photo in Photo and thresholds to propose regions in it.")
        return
    scale, shown, score = _controls()
    image, sample = stage.photo.pixels, stage.photo.sample
    try:
        boxes, proposal_s = proposals_of(image, scale, sample=sample)
        chosen = boxes[:shown]
        with st.status(f"R-CNN: classifying {len(chosen)} crops…", expanded=False) as status:
            labels = rcnn_of(image, chosen, sample=sample)
            status.update(label=f"R-CNN: {len(chosen)} crops classified", state="complete")
    except CNNLabError as err:
        show_error(err)
        return
    kept = keep_regions(labels, score, DEFAULT_IOU)
    names = labels.labels
    left, right = st.columns([1, 1])
    left.image(
        draw_boxes(image, chosen, [class_color(k) for k in range(len(chosen))], width=2),
        caption=f"the first {len(chosen)} of {len(boxes)} proposals (felzenszwalb scale {scale})",
        width="stretch",
    )
    right.image(
        draw_boxes(
            image,
            labels.boxes[kept],
            [class_color(int(labels.class_id[k])) for k in kept],
            [f"{names[k]} {labels.score[k]:.2f}" for k in kept],
        ),
        caption=f"{len(kept)} region(s) with p ≥ {score:.2f} after per-class NMS (IoU {DEFAULT_IOU})",
        width="stretch",
    )
    yolo_ms = sum(stage.network.ms.values())
    metrics = st.columns(4)
    metrics[0].metric("proposals", f"{len(boxes)}", help=f"found on a copy at most {WORKING_SIDE} px wide")
    metrics[1].metric("proposing", f"{proposal_s:.2f} s")
    metrics[2].metric(
        f"classifying {len(chosen)} crops",
        f"{labels.ms / 1000:.2f} s",
        help=f"{labels.ms_per_crop:.0f} ms per crop",
    )
    metrics[3].metric(f"YOLOv3-tiny, one pass at {stage.network.placement.size}", f"{yolo_ms / 1000:.2f} s")
    st.caption(
        f"R-CNN took {proposal_s + labels.ms / 1000:.2f} s (proposals + {len(chosen)} crops at "
        f"{labels.ms_per_crop:.0f} ms each), {(proposal_s * 1000 + labels.ms) / max(yolo_ms, 1e-9):.0f}x "
        f"YOLOv3-tiny's {yolo_ms:.0f} ms for the whole photo. Times are from this photo's first run; later "
        "runs reuse them."
    )
    with st.expander(f"Each of the {len(chosen)} proposals: its best ImageNet class", expanded=False):
        st.dataframe(pd.DataFrame(region_rows(labels, kept)), hide_index=True)
    costs = costs_of(*image.shape[:2], len(chosen))
    height, width = image.shape[:2]
    st.markdown(
        f"**Making it faster**: multiply-adds for {len(chosen)} proposals on this {width}x{height} photo"
    )
    st.dataframe(_cost_table(costs, proposal_s), hide_index=True)
    _explain(costs, labels.ms_per_crop)
