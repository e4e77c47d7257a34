"""Object detection: YOLOv3-tiny finds COCO objects in a photo, with every stage of YOLO on view."""

from app_support.detection import demos, proposals
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

run_tabs(
    [
        ("Step by step", views.detection),
        ("IoU playground", demos.iou_playground),
        ("Anchor boxes", views.anchor_boxes),
        ("Sliding windows", views.with_photo(demos.sliding_windows)),
        ("Region proposals (R-CNN)", views.with_photo(proposals.region_proposals)),
        ("Localization", views.with_photo(localization)),
        ("The notes' YOLO encoding", views.with_photo(encoding)),
    ],
    key="det_tab",
)
