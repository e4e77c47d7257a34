"""``embed``: the 128-d descriptor f(x) of every usable face in a photo."""

from __future__ import annotations

import argparse
import time

HELP = (
    "Face descriptors: MTCNN finds the faces, each is aligned to 150x150 and dlib's ResNet maps it to "
    "f(x) in R^128 (one vector per face at least 40 px wide, most confident first)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", help="path of a photo")


def run(args: argparse.Namespace) -> dict:
    from cnn_core.images import load_image

    photo = load_image(args.image, max_side=None)  # checked before TF loads

    from cnn_core.faces.embed import load_embedder
    from cnn_core.faces.pipeline import describe_all

    model = load_embedder()
    start = time.perf_counter()
    samples = describe_all(photo, model)
    return {
        "embeddings": [[round(float(v), 6) for v in sample.embedding] for sample in samples],
        "faces": [sample.face.as_dict() for sample in samples],
        "ms": round((time.perf_counter() - start) * 1000, 1),
    }
