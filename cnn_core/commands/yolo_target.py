"""``yolo-target``: the course's YOLO training target (S x S x 8, or x 16 with its two anchors) of the objects
YOLOv3-tiny finds in images, as the list of its non-empty cells."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from cnn_core.commands.detection_options import add_score_argument
from cnn_core.commands.inputs import (
    FileResult,
    add_image_arguments,
    checked,
    each_file,
    image_files,
    load_once,
)
from cnn_core.commands.output import format_table
from cnn_core.detection.grid_targets import DEFAULT_GRID, NOTES_ANCHORS, check_grid, filled_cells, yolo_target
from cnn_core.detection.localization import NOTES_CLASSES, RelativeBox, notes_class
from cnn_core.detection.pipeline import DEFAULT_IOU, DEFAULT_SCORE, detect
from cnn_core.detection.yolov3_tiny import load_yolov3_tiny
from cnn_core.images import load_image

SUMMARY = "the course's SxSx8 (or x16) YOLO target of objects in images"
HELP = (
    "Detect objects with YOLOv3-tiny, keep the course's classes (person → pedestrian, car, motorbike → "
    "motorcycle) and encode them as the course's training target: each object in the cell of its midpoint "
    "(b_x, b_y inside the cell, b_h, b_w in cell sizes), with --anchors also in the best of a tall and a "
    "wide anchor by IoU. Prints the non-empty cells."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_image_arguments(parser)
    parser.add_argument(
        "--grid",
        type=checked(int, check_grid),
        default=DEFAULT_GRID,
        help=f"grid side S (default {DEFAULT_GRID}, as in the course)",
    )
    parser.add_argument(
        "--anchors",
        action="store_true",
        help="use the course's two anchors (w x h of the image: tall "
        + ", wide ".join(f"{w:g}x{h:g}" for w, h in NOTES_ANCHORS)
        + ")",
    )
    add_score_argument(parser, DEFAULT_SCORE, "score threshold of the detector")


def target_payload(detections: list, width: int, height: int, grid: int, anchors: bool) -> dict:
    """The target of ``detections`` (pipeline.Detection, best first) in a ``width`` x ``height`` image."""
    kept = [(d, notes_class(d.label)) for d in detections]
    course = [(d, k) for d, k in kept if k is not None]
    boxes = np.array(
        [
            [b.bx, b.by, b.bh, b.bw]
            for b in (RelativeBox.from_corners(d.box, width, height) for d, _ in course)
        ]
    ).reshape(-1, 4)
    target = yolo_target(boxes, [k for _, k in course], grid, NOTES_ANCHORS if anchors else None)
    return {
        "shape": list(target.y.shape),
        "cells": [
            {
                "row": row,
                "col": col,
                "anchor": anchor,
                "class": NOTES_CLASSES[int(np.argmax(target.slot(row, col, anchor)[5:]))],
                "y": [round(float(v), 4) for v in target.slot(row, col, anchor)],
            }
            for row, col, anchor in filled_cells(target)
        ],
        "lost": [course[a.index][0].label for a in target.assignments if a.dropped_for is not None],
        "not_course_classes": [d.label for d, k in kept if k is None],
    }


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    detector = load_once(load_yolov3_tiny)

    def encode(path: Path) -> dict:
        image = load_image(path, max_side=None)
        found = detect(detector(), image, args.score, DEFAULT_IOU).detections
        return target_payload(found, image.shape[1], image.shape[0], args.grid, args.anchors)

    return each_file(image_files(args.images), encode)


def render(result: dict) -> str:
    """The non-empty cells as a table (row, col, anchor, class, y), then the objects left out."""
    rows = [
        [str(c["row"]), str(c["col"]), str(c["anchor"] + 1), c["class"], ", ".join(f"{v:g}" for v in c["y"])]
        for c in result["cells"]
    ]
    lines = ["target " + "x".join(map(str, result["shape"]))]
    lines.append(
        format_table(["row", "col", "anchor", "class", "y"], rows) if rows else "every cell: p_c = 0"
    )
    if result["lost"]:
        lines.append("lost (cell and anchor already taken): " + ", ".join(result["lost"]))
    if result["not_course_classes"]:
        lines.append("not the course's classes: " + ", ".join(result["not_course_classes"]))
    return "\n".join(lines)
