"""``proposals``: R-CNN on images: selective-search proposals, each classified by EfficientNet-Lite0."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

from cnn_core.commands.classify import warm_classifier
from cnn_core.commands.detection_options import add_iou_argument, add_score_argument
from cnn_core.commands.inputs import (
    FileResult,
    add_image_arguments,
    checked,
    each_file,
    image_files,
    load_once,
)
from cnn_core.commands.output import format_table
from cnn_core.detection.proposals import DEFAULT_SCALE, check_scale, propose_regions
from cnn_core.detection.rcnn import (
    DEFAULT_RCNN_SCORE,
    DEFAULT_REGIONS,
    check_regions,
    classify_regions,
    keep_regions,
)
from cnn_core.images import load_image

SUMMARY = "R-CNN: proposed regions classified by EfficientNet-Lite0, timed"
HELP = (
    "Propose regions (felzenszwalb segmentation merged by selective search: colour + size + fill "
    "similarity), classify the first N crops at 224x224 with EfficientNet-Lite0, keep those whose best "
    "class scores at least --score after per-class non-max suppression."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_image_arguments(parser)
    parser.add_argument(
        "--scale",
        type=checked(float, check_scale),
        default=DEFAULT_SCALE,
        help=f"felzenszwalb scale: larger gives fewer, larger regions (default {DEFAULT_SCALE})",
    )
    parser.add_argument(
        "--regions",
        type=checked(int, check_regions),
        default=DEFAULT_REGIONS,
        help=f"proposals classified, best-ranked first (default {DEFAULT_REGIONS})",
    )
    add_score_argument(parser, DEFAULT_RCNN_SCORE, "keep a region when its best class has p ≥ this")
    add_iou_argument(parser)


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    model = load_once(warm_classifier)  # the classify command's warmed-up EfficientNet-Lite0

    def propose_file(path: Path) -> dict:
        image = load_image(path, max_side=None)  # boxes in the file's own pixels; read before the model
        classifier = model()
        start = time.perf_counter()
        boxes = propose_regions(image, args.scale)
        proposal_ms = (time.perf_counter() - start) * 1000
        labels = classify_regions(classifier, image, boxes[: args.regions])
        kept = keep_regions(labels, args.score, args.iou)
        return {
            "proposals": len(boxes),
            "boxes": [[round(float(v), 1) for v in box] for box in labels.boxes],
            "labels": labels.labels,
            "class_ids": [int(k) for k in labels.class_id],
            "scores": [round(float(p), 4) for p in labels.score],
            "kept": [int(k) for k in kept],
            "ms": {
                "proposals": round(proposal_ms, 1),
                "classify": round(labels.ms, 1),
                "per_crop": round(labels.ms_per_crop, 1),
            },
        }

    return each_file(image_files(args.images), propose_file)


def render(result: dict) -> str:
    """The classified proposals as a table (rank, class, p, box, kept), then the times."""
    kept = set(result["kept"])
    rows = [
        [k + 1, label, f"{p:.3f}", *(f"{v:.0f}" for v in box), "yes" if k in kept else ""]
        for k, (label, p, box) in enumerate(
            zip(result["labels"], result["scores"], result["boxes"], strict=True)
        )
    ]
    ms = result["ms"]
    return (
        f"{format_table(['#', 'class', 'p', 'x1', 'y1', 'x2', 'y2', 'kept'], rows)}\n"
        f"{result['proposals']} proposals in {ms['proposals']:.1f} ms; {len(rows)} crops classified in "
        f"{ms['classify']:.1f} ms ({ms['per_crop']:.1f} ms each)"
    )
