"""``landmarks``: the 68 face landmarks (face-api's network) of every face in each photo, in its pixels."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cnn_core.commands.inputs import FileResult, add_image_arguments, each_file, image_files, load_once
from cnn_core.commands.output import format_table
from cnn_core.images import load_image

SUMMARY = "68 landmarks of every face in images (face-api's landmark CNN)"
HELP = (
    "Face landmarks: MTCNN finds the faces (with its own 5 points); each face box is cropped, padded to a "
    "square and resized to 112x112, and face-api's CNN regresses 136 numbers, (x, y) of 68 points "
    "(jaw 1-17, eyebrows 18-27, nose 28-36, eyes 37-48, lips 49-68), given here in the photo's pixels. "
    "Faces come most confident first."
)

if TYPE_CHECKING:
    import keras


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_image_arguments(parser)


def _load_net() -> keras.Model:
    from cnn_core.faces.landmarks import load_landmark_net  # imports TensorFlow, so only once a file is read

    return load_landmark_net()


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    model = load_once(_load_net)

    def landmarks_of(path: Path) -> dict:
        photo = load_image(path, max_side=None)  # a bad file fails before TensorFlow is imported
        net = model()
        from cnn_core.faces.landmarks import face_landmarks

        start = time.perf_counter()
        found = face_landmarks(photo, net)
        return {
            "faces": [face.as_dict() for face in found],
            "ms": round((time.perf_counter() - start) * 1000, 1),
        }

    return each_file(image_files(args.images), landmarks_of)


def render(result: dict) -> str:
    """Per face: its box, score and MTCNN's 5 points, then a table of the 68 points with their regions."""
    from cnn_core.faces.landmark_geometry import region_of

    parts = []
    for number, face in enumerate(result["faces"], start=1):
        box = ", ".join(f"{v:.1f}" for v in face["box"])
        mtcnn = "; ".join(f"{name} ({x:.1f}, {y:.1f})" for name, (x, y) in face["mtcnn_landmarks"].items())
        rows = [
            [k, f"{x:.1f}", f"{y:.1f}", region_of(k)]
            for k, (x, y) in enumerate(face["landmarks_68"], start=1)
        ]
        parts.append(
            f"face {number}: box ({box}), score {face['score']:.4f}\nMTCNN: {mtcnn}\n"
            + format_table(["point", "x", "y", "region"], rows)
        )
    return "\n\n".join([*parts, f"time: {result['ms']:.1f} ms"])
