"""The thresholds the detection commands share: a score to keep a box, and the IoU of non-max suppression."""

from __future__ import annotations

import argparse

from cnn_core.commands.inputs import checked
from cnn_core.detection.boxes import check_iou_threshold
from cnn_core.detection.pipeline import DEFAULT_IOU
from cnn_core.detection.yolo import check_score_threshold


def add_score_argument(parser: argparse.ArgumentParser, default: float, meaning: str) -> None:
    """``--score``: a probability in [0, 1]; ``meaning`` says what it keeps, e.g. "score threshold"."""
    parser.add_argument(
        "--score",
        type=checked(float, check_score_threshold),
        default=default,
        help=f"{meaning} (default {default})",
    )


def add_iou_argument(parser: argparse.ArgumentParser) -> None:
    """``--iou``: the IoU above which non-max suppression drops the lower-scored of two boxes."""
    parser.add_argument(
        "--iou",
        type=checked(float, check_iou_threshold),
        default=DEFAULT_IOU,
        help=f"IoU threshold of non-max suppression (default {DEFAULT_IOU})",
    )
