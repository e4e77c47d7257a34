"""``detect``: YOLOv3-tiny on images; boxes in pixels of each original image and the time of each stage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from cnn_core.commands.detection_options import add_iou_argument, add_score_argument
from cnn_core.commands.inputs import (
    FileResult,
    add_image_arguments,
    checked,
    each_file,
    image_files,
    load_once,
    several_inputs,
)
from cnn_core.commands.output import format_table, png_path
from cnn_core.detection.annotate import draw_detections
from cnn_core.detection.pipeline import DEFAULT_SCORE, detect, no_objects_message, payload
from cnn_core.detection.yolo import check_size
from cnn_core.detection.yolov3_tiny import DEFAULT_SIZE, load_yolov3_tiny
from cnn_core.errors import ParameterError
from cnn_core.images import encode_png, load_image

SUMMARY = "COCO objects in images (YOLOv3-tiny): boxes, scores, times"
HELP = (
    "Detect COCO objects with YOLOv3-tiny: letterbox, network, decode σ(t)+c and p·e^t, score = "
    "objectness × class probability, per-class non-max suppression."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_image_arguments(parser)
    add_score_argument(parser, DEFAULT_SCORE, "score threshold")
    add_iou_argument(parser)
    parser.add_argument(
        "--size",
        type=checked(int, check_size),
        default=DEFAULT_SIZE,
        help=f"network input side, a multiple of 32 (default {DEFAULT_SIZE})",
    )
    parser.add_argument(
        "-o",
        "--out",
        help="write the annotated picture (original size): a .png file for one image, a folder for several",
    )


def picture_paths(files: list[Path], out: str | None, several: bool) -> dict[Path, Path]:
    """Where each input's annotated picture goes: ``out`` itself for one image, ``out/<name>.png`` for
    several (the folder is created; two inputs with one name would overwrite each other, so they fail)."""
    if out is None:
        return {}
    if not several:
        return {files[0]: png_path(out)}
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"--out must be a folder when there are several images, got file '{out}'")
    pictures = {path: folder / f"{path.stem}.png" for path in files}
    if len(set(pictures.values())) < len(files):
        raise ParameterError("--out folder: two input files share a name, and their pictures would collide")
    folder.mkdir(parents=True, exist_ok=True)
    return pictures


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    files = image_files(args.images)
    pictures = picture_paths(files, args.out, several_inputs(args.images))
    detector = load_once(load_yolov3_tiny)

    def detect_file(path: Path) -> dict:
        image = load_image(path, max_side=None)  # boxes in the file's own pixels; read before the model
        result = detect(detector(), image, args.score, args.iou, args.size)
        if not result.detections:
            print(f"{path}: {no_objects_message(args.score)}", file=sys.stderr)
        found = payload(result.detections, result.ms)
        if path in pictures:
            pictures[path].write_bytes(encode_png(draw_detections(image, result.detections)))
            found["out"] = str(pictures[path])
        return found

    return each_file(files, detect_file)


def render(result: dict) -> str:
    """The boxes as a table (label, score, x1, y1, x2, y2 in pixels), then the stage times."""
    rows = [[d["label"], f"{d['score']:.4f}", *(f"{v:.1f}" for v in d["box"])] for d in result["detections"]]
    lines = [format_table(["label", "score", "x1", "y1", "x2", "y2"], rows) if rows else "no objects"]
    lines.append("time: " + ", ".join(f"{stage} {ms:.1f} ms" for stage, ms in result["ms"].items()))
    if "out" in result:
        lines.append(f"annotated picture: {result['out']}")
    return "\n".join(lines)
