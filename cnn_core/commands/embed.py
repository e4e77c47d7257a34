"""``embed``: the 128-d descriptor f(x) of every usable face in each photo."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cnn_core.commands.inputs import FileResult, add_image_arguments, each_file, image_files, load_once
from cnn_core.commands.output import format_table
from cnn_core.images import load_image

SUMMARY = "128-d descriptors of every face in images (dlib's face ResNet)"
HELP = (
    "Face descriptors: MTCNN finds the faces, each is aligned to 150x150 and dlib's ResNet maps it to "
    "f(x) in R^128 (one vector per face at least 40 px wide, most confident first)."
)
#: descriptor values shown per face in the text output
PREVIEW = 4

if TYPE_CHECKING:
    import keras


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_image_arguments(parser)


def _load_embedder() -> keras.Model:
    from cnn_core.faces.embed import load_embedder  # imports TensorFlow, so only once a file is read

    return load_embedder()


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    model = load_once(_load_embedder)

    def embed_file(path: Path) -> dict:
        photo = load_image(path, max_side=None)  # a bad file fails before TensorFlow is imported
        embedder = model()
        from cnn_core.faces.pipeline import describe_all

        start = time.perf_counter()
        samples = describe_all(photo, embedder)
        return {
            "embeddings": [[round(float(v), 6) for v in sample.embedding] for sample in samples],
            "faces": [sample.face.as_dict() for sample in samples],
            "ms": round((time.perf_counter() - start) * 1000, 1),
        }

    return each_file(image_files(args.images), embed_file)


def render(result: dict) -> str:
    """One row per face: its box in pixels, the detector's score and the first descriptor values."""
    rows = [
        [
            number,
            ", ".join(f"{v:.1f}" for v in face["box"]),
            f"{face['score']:.4f}",
            "[" + ", ".join(f"{v:+.4f}" for v in vector[:PREVIEW]) + f", …] ({len(vector)} values)",
        ]
        for number, (face, vector) in enumerate(zip(result["faces"], result["embeddings"], strict=True))
    ]
    table = format_table(["face", "box (x1, y1, x2, y2)", "score", "descriptor f(x)"], rows)
    return f"{table}\ntime: {result['ms']:.1f} ms"
