"""``summary``: the per-layer table of a zoo model (parameters, multiply-adds, output shapes)."""

from __future__ import annotations

import argparse

from cnn_core.commands.output import dims, format_fields, format_table
from cnn_core.zoo import ZOO, build_model, zoo_entry

SUMMARY = "per-layer shapes, parameters and multiply-adds of a zoo model"
HELP = (
    "Per-layer output shapes, parameters and multiply-adds of a model from the zoo (built without weights). "
    'Where a model departs from the paper it is named after, a note says how (JSON: "note", else null).'
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help=f"zoo model: {', '.join(ZOO)}")


def run(args: argparse.Namespace) -> dict:
    entry = zoo_entry(args.model)  # an unknown name fails here, before TensorFlow is imported
    from cnn_core.architectures.summary import summarize

    result = summarize(build_model(args.model)).to_json()
    return {**result, "note": entry.note or None}


def _shape(shape: list) -> str:
    """'28 x 28 x 6'; a layer with several outputs gives '…; …'; None (unknown) is '?'."""
    if shape and isinstance(shape[0], list):
        return "; ".join(_shape(one) for one in shape)
    return dims(shape)


def render(result: dict) -> str:
    """The layer table, as Keras's ``model.summary()`` prints it plus multiply-adds, then the totals."""
    rows = [
        [f"{layer['name']} ({layer['type']})", _shape(layer["output_shape"]), layer["params"], layer["macs"]]
        for layer in result["layers"]
    ]
    totals = format_fields(
        [
            ("Total params", result["total_params"]),
            ("Trainable params", result["trainable_params"]),
            ("Non-trainable params", result["total_params"] - result["trainable_params"]),
            ("Multiply-adds", result["macs"]),
        ]
    )
    table = format_table(["Layer (type)", "Output shape", "Param #", "MACs"], rows)
    note = f"\nNote: {result['note']}" if result["note"] else ""
    return f"Model: {result['model']}{note}\n{table}\n\n{totals}"
