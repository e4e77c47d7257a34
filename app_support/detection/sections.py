"""The detection page's controls and result: annotated photo, table, downloads and stage timings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from cnn_core.detection.annotate import draw_detections
from cnn_core.detection.pipeline import NetworkPass, Selection, no_objects_message, payload, stage_ms
from cnn_core.images import encode_png

SIZES = (256, 320, 416, 512, 608)


@dataclass(frozen=True)
class Controls:
    """The values of the page's main controls."""

    score: float
    iou: float
    size: int
    classes: list[int] | None  # None: every class


def controls(names: tuple[str, ...]) -> Controls:
    """Score and IoU thresholds, input size and class filter, all mirrored in the URL."""
    score = st.slider(
        "Score threshold (objectness × class probability)",
        0.01,
        0.95,
        0.25,
        0.01,
        key="det_score",
        bind="query-params",
    )
    iou = st.slider(
        "IoU threshold of non-max suppression", 0.05, 0.95, 0.45, 0.05, key="det_iou", bind="query-params"
    )
    size = st.select_slider(
        "Network input size (pixels)", SIZES, value=416, key="det_size", bind="query-params"
    )
    chosen = st.multiselect(
        "Only these classes", names, key="det_classes", placeholder="all 80 COCO classes", bind="query-params"
    )
    return Controls(score, iou, size, [names.index(name) for name in chosen] or None)


def results(image: np.ndarray, network: NetworkPass, selection: Selection, score: float) -> None:
    """The annotated photo, the table of detections, downloads and the time of each stage."""
    ms = stage_ms(network, selection)
    if not selection.detections:
        st.info(no_objects_message(score), icon="🔍")
    annotated = draw_detections(image, selection.detections)
    left, right = st.columns([3, 2])
    left.image(annotated, caption=f"{len(selection.detections)} object(s) found", width="stretch")
    with right:
        table = pd.DataFrame(
            [
                {
                    "class": d.label,
                    "score": round(d.score, 3),
                    "box x1, y1, x2, y2": ", ".join(f"{v:.0f}" for v in d.box),
                }
                for d in selection.detections
            ],
            columns=["class", "score", "box x1, y1, x2, y2"],
        )
        st.dataframe(table, hide_index=True)
        st.download_button(
            "Download annotated PNG",
            partial(encode_png, annotated),  # encoded only when clicked
            "detections.png",
            "image/png",
            key="det_png",
            on_click="ignore",
        )
        st.download_button(
            "Download detections (JSON)",
            json.dumps(payload(selection.detections, ms), indent=2),
            "detections.json",
            "application/json",
            key="det_json",
            on_click="ignore",
        )
        st.caption(
            "Time per stage: "
            + " · ".join(f"{stage} {value:.1f} ms" for stage, value in ms.items())
            + " (the network time is from this image's first run; later runs reuse its output)"
        )
