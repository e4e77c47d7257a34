"""``verify``: are the faces in two photos the same person? d = ‖f(x₁) − f(x₂)‖₂ against τ."""

from __future__ import annotations

import argparse

HELP = (
    "Face verification: MTCNN finds each photo's face (the largest, unless --face-a/--face-b pick one), "
    "it is aligned to 150x150, dlib's ResNet maps it to f(x) in R^128, and the two are the same person "
    "when d = ||f(x1) - f(x2)|| <= threshold."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", help="path of the first photo")
    parser.add_argument("b", help="path of the second photo")
    parser.add_argument("--threshold", type=float, default=0.6, help="distance threshold τ (default 0.6)")
    parser.add_argument(
        "--face-a", type=int, default=None, help="index of the face to use in A (default: largest)"
    )
    parser.add_argument(
        "--face-b", type=int, default=None, help="index of the face to use in B (default: largest)"
    )


def run(args: argparse.Namespace) -> dict:
    from cnn_core.faces.verify import check_threshold
    from cnn_core.images import load_image

    check_threshold(args.threshold)
    photos = [load_image(args.a, max_side=None), load_image(args.b, max_side=None)]  # checked before TF loads

    from cnn_core.faces.embed import load_embedder
    from cnn_core.faces.pipeline import verify_photos

    result = verify_photos(
        *photos, load_embedder(), threshold=args.threshold, indices=(args.face_a, args.face_b)
    )
    return {
        "distance": round(result.verdict.distance, 6),
        "threshold": result.verdict.threshold,
        "same_person": result.verdict.same_person,
        "faces": [result.first.face.as_dict(), result.second.face.as_dict()],
        "ms": round(result.ms, 1),
    }
