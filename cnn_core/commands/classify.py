"""``classify``: the top five ImageNet classes of a photo, by EfficientNet-Lite0."""

from __future__ import annotations

import argparse
import time

HELP = "Top-5 ImageNet classes of an image (EfficientNet-Lite0, 224x224): softmax(logits), p ≥ 0, Σp = 1."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", help="an image file (PNG, JPEG, GIF, BMP, TIFF, WebP)")


def run(args: argparse.Namespace) -> dict:
    from cnn_core.activations.classify import classify
    from cnn_core.images import load_image
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    image = load_image(args.image)
    model = build_efficientnet_lite0()
    classify(model, image)  # warm-up: the first call traces the graph
    start = time.perf_counter()
    top5 = classify(model, image)
    return {"top5": top5, "ms": round((time.perf_counter() - start) * 1000, 1)}
