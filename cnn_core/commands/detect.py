"""``detect``: YOLOv3-tiny on one image; boxes in pixels of the original image and the time of each stage."""

from __future__ import annotations

import argparse
import sys

HELP = (
    "Detect COCO objects with YOLOv3-tiny: letterbox, network, decode σ(t)+c and p·e^t, score = "
    "objectness × class probability, per-class non-max suppression."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", help="path of a PNG, JPEG, … image")
    parser.add_argument("--score", type=float, default=0.25, help="score threshold (default 0.25)")
    parser.add_argument(
        "--iou", type=float, default=0.45, help="IoU threshold of non-max suppression (default 0.45)"
    )
    parser.add_argument(
        "--size", type=int, default=416, help="network input side, a multiple of 32 (default 416)"
    )


def run(args: argparse.Namespace) -> dict:
    from cnn_core.detection.boxes import check_iou_threshold
    from cnn_core.detection.pipeline import detect, no_objects_message, payload
    from cnn_core.detection.yolo import check_score_threshold, check_size
    from cnn_core.detection.yolov3_tiny import load_yolov3_tiny
    from cnn_core.images import load_image

    check_score_threshold(args.score)
    check_iou_threshold(args.iou)
    check_size(args.size)
    image = load_image(args.image, max_side=None)  # boxes in the file's own pixels; checked before TF loads
    result = detect(load_yolov3_tiny(), image, args.score, args.iou, args.size)
    if not result.detections:
        print(no_objects_message(args.score), file=sys.stderr)
    return payload(result.detections, result.ms)
