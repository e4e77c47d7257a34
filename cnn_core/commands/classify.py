"""``classify``: the top five ImageNet classes of each photo, by EfficientNet-Lite0."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.classify import classify
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


def _warm_classifier() -> keras.Model:
    """EfficientNet-Lite0, run once on a blank picture: the first call traces the graph, so the times
    reported for the files leave that out."""
    model = build_efficientnet_lite0()
    classify(model, np.zeros((INPUT_SIZE, INPUT_SIZE, 3), np.uint8))
    return model


def run(args: argparse.Namespace) -> Iterator[FileResult]:
    model = load_once(_warm_classifier)

    def classify_file(path: Path) -> dict:
        image = load_image(path)  # read before the model is built
        classifier = model()
        start = time.perf_counter()
        top5 = classify(classifier, image)
        return {"top5": top5, "ms": round((time.perf_counter() - start) * 1000, 1)}

    return each_file(image_files(args.images), classify_file)


def render(result: dict) -> str:
    """The five classes as a table (rank, class, ImageNet index, probability), then the time."""
    rows = [[rank, p["label"], p["index"], f"{p['score']:.4f}"] for rank, p in enumerate(result["top5"], 1)]
    return f"{format_table(['#', 'class', 'index', 'p'], rows)}\ntime: {result['ms']:.1f} ms"
