"""``summary``: the per-layer table of a zoo model (parameters, multiply-adds, output shapes)."""

from __future__ import annotations

import argparse

from cnn_core.zoo import ZOO, build_model, zoo_entry

HELP = (
    "Per-layer output shapes, parameters and multiply-adds of a model from the zoo (built without weights)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help=f"zoo model: {', '.join(ZOO)}")


def run(args: argparse.Namespace) -> dict:
    zoo_entry(args.model)  # an unknown name fails here, before TensorFlow is imported
    from cnn_core.architectures.summary import summarize

    return summarize(build_model(args.model)).to_json()
