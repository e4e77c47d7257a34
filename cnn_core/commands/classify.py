"""``classify``: the top five ImageNet classes of each photo, by EfficientNet-Lite0 (``--crops 10``: the
softmax averaged over ten crops, see ``cnn_core.activations.multicrop``)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.classify import classify, top_k
from cnn_core.activations.multicrop import TEN_CROP_SIDE, ten_crop_classify
from cnn_core.commands.inputs import FileResult, add_image_arguments, each_file, image_files, load_once
from cnn_core.commands.output import format_table
from cnn_core.images import load_image
from cnn_core.zoo.efficientnet_lite import INPUT_SIZE, build_efficientnet_lite0

if TYPE_CHECKING:
    import keras

SUMMARY = "top-5 ImageNet classes of images, by EfficientNet-Lite0"
HELP = "Top-5 ImageNet classes of an image (EfficientNet-Lite0, 224x224): softmax(logits), p ≥ 0, Σp = 1."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_image_arguments(parser)
    parser.add_argument(
        "--crops",
        type=int,
        choices=(1, 10),
        default=1,
        help=f"1: the whole photo resized to {INPUT_SIZE}x{INPUT_SIZE} (default); 10: its shorter side "
        f"resized to {TEN_CROP_SIDE}, then the centre and four corner {INPUT_SIZE}x{INPUT_SIZE} crops and "
        "their mirrors in one batch, softmax averaged (10 forward passes)",
    )


def warm_classifier() -> keras.Model:
    """EfficientNet-Lite0, run once on a blank picture: the first call traces the graph, so the times
    reported for the files leave that out."""
    model = build_efficientnet_lite0()
    classify(model, np.zeros((INPUT_SIZE, INPUT_SIZE, 3), np.uint8))
    return model


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    model = load_once(warm_classifier)

    def classify_file(path: Path) -> dict:
        image = load_image(path)  # read before the model is built
        classifier = model()
        start = time.perf_counter()
        if args.crops == 10:
            top5 = top_k(ten_crop_classify(classifier, image).average)
        else:
            top5 = classify(classifier, image)
        return {"top5": top5, "crops": args.crops, "ms": round((time.perf_counter() - start) * 1000, 1)}

    return each_file(image_files(args.images), classify_file)


def render(result: dict) -> str:
    """The five classes as a table (rank, class, ImageNet index, probability), then the time."""
    rows = [[rank, p["label"], p["index"], f"{p['score']:.4f}"] for rank, p in enumerate(result["top5"], 1)]
    views = "" if result["crops"] == 1 else f" ({result['crops']} crops in one batch, softmax averaged)"
    return f"{format_table(['#', 'class', 'index', 'p'], rows)}\ntime: {result['ms']:.1f} ms{views}"
