"""Object detection: YOLOv3-tiny finds COCO objects in a photo, with every stage of YOLO on view."""

from functools import partial

from app_support.detection import demos, proposals, steps
from app_support.detection import sections as views
from app_support.detection.grid_targets import encoding
from app_support.detection.localization import localization
from app_support.shared.ui import page_header, run_tabs

page_header(
    "Object detection (YOLO)",
    "YOLO cuts the image into a grid and, in a single pass of one convolutional network, every cell predicts "
    "a few boxes shaped from its anchors, each with an objectness and class probabilities. Boxes scoring "
    "above a threshold are kept, and non-max suppression removes the duplicates of each object.",
    r"b_x = \sigma(t_x) + c_x,\; b_y = \sigma(t_y) + c_y,\; b_w = p_w e^{t_w},\; b_h = p_h e^{t_h},"
    r"\quad \text{score} = \sigma(t_o)\cdot\sigma(t_{class})",
)

stage = views.top()
run_tabs(
    [
        ("Step by step", partial(steps.step_by_step, stage)),
        ("IoU playground", demos.iou_playground),
        ("Anchor boxes", views.anchor_boxes),
        ("Sliding windows", partial(demos.sliding_windows, stage)),
        ("Region proposals (R-CNN)", partial(proposals.region_proposals, stage)),
        ("Localization", partial(localization, stage)),
        ("The notes' YOLO encoding", partial(encoding, stage)),
    ],
    key="det_tab",
)
