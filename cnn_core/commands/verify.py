"""``verify``: are the faces in two photos the same person? d = ‖f(x₁) − f(x₂)‖₂ (not squared) against τ."""

from __future__ import annotations

import argparse

from cnn_core.commands.inputs import checked
from cnn_core.commands.output import format_fields
from cnn_core.faces.verify import DEFAULT_THRESHOLD, check_threshold
from cnn_core.images import load_image

SUMMARY = "same person? plain distance d of two faces' descriptors vs τ"
HELP = (
    "Face verification: MTCNN finds each photo's face (the largest, unless --face-a/--face-b pick one), "
    "it is aligned to 150x150, dlib's ResNet maps it to f(x) in R^128, and the two are the same person "
    "when the Euclidean distance d = ||f(x1) - f(x2)||_2 (not squared) is <= threshold. The JSON field "
    '"distance" is this d.'
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", help="path of the first photo")
    parser.add_argument("b", help="path of the second photo")
    parser.add_argument(
        "--threshold",
        type=checked(float, check_threshold),
        default=DEFAULT_THRESHOLD,
        help=f"threshold τ on the Euclidean distance d (default {DEFAULT_THRESHOLD}; on the squared distance "
        f"this is {DEFAULT_THRESHOLD**2:.2f})",
    )
    parser.add_argument(
        "--face-a", type=int, default=None, help="index of the face to use in A (default: largest)"
    )
    parser.add_argument(
        "--face-b", type=int, default=None, help="index of the face to use in B (default: largest)"
    )


def run(args: argparse.Namespace) -> dict:
    first, second = load_image(args.a, max_side=None), load_image(args.b, max_side=None)  # before TF loads

    from cnn_core.faces.embed import load_embedder
    from cnn_core.faces.pipeline import verify_photos

    result = verify_photos(
        first, second, load_embedder(), threshold=args.threshold, indices=(args.face_a, args.face_b)
    )
    return {
        "distance": round(result.verdict.distance, 6),
        "threshold": result.verdict.threshold,
        "same_person": result.verdict.same_person,
        "faces": [result.first.face.as_dict(), result.second.face.as_dict()],
        "ms": round(result.ms, 1),
    }


def _face(face: dict) -> str:
    return f"box {', '.join(f'{v:.1f}' for v in face['box'])} (score {face['score']:.4f})"


def render(result: dict) -> str:
    """Distance, threshold and verdict, then the face used in each photo."""
    verdict = "same person (d ≤ τ)" if result["same_person"] else "different people (d > τ)"
    first, second = result["faces"]
    return format_fields(
        [
            ("distance d", f"{result['distance']:.4f}"),
            ("threshold τ", result["threshold"]),
            ("verdict", verdict),
            ("face in A", _face(first)),
            ("face in B", _face(second)),
            ("time", f"{result['ms']:.1f} ms"),
        ]
    )
