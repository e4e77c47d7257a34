"""``rf``: the receptive field, jump and start of every layer of a zoo model (Araujo et al. 2019)."""

from __future__ import annotations

import argparse

from cnn_core.commands.output import dims, format_table

SUMMARY = "receptive field, jump and start of every layer of a zoo model"
HELP = "Receptive field per layer: r_l = r_{l-1} + (k_l - 1)·j_{l-1}, j_l = j_{l-1}·s_l, for a zoo model."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="a zoo model name, e.g. vgg16, resnet50, efficientnet-lite0")


def _axis_value(rows: float, cols: float) -> float | list:
    """One number when both axes agree (square inputs and kernels), else [rows, cols]."""
    return rows if rows == cols else [rows, cols]


def run(args: argparse.Namespace) -> dict:
    """``rf`` and ``jump`` of the model are those of its last feature map (before global pooling)."""
    from cnn_core.activations.receptive_field import last_feature_map, receptive_fields
    from cnn_core.zoo import build_model, zoo_entry

    entry = zoo_entry(args.model)  # an unknown name fails before TensorFlow loads
    table = receptive_fields(build_model(args.model))
    last = last_feature_map(table)
    return {
        "model": args.model,
        "note": entry.note or None,
        "rf": _axis_value(last.rows.r, last.cols.r),
        "jump": _axis_value(last.rows.j, last.cols.j),
        "layers": [
            {
                "name": layer.name,
                "rf": _axis_value(layer.rows.r, layer.cols.r),
                "jump": _axis_value(layer.rows.j, layer.cols.j),
                "start": _axis_value(layer.rows.start, layer.cols.start),
            }
            for layer in table
        ],
    }


def render(result: dict) -> str:
    """One row per layer (rows x cols where the two axes differ), then the model's receptive field."""
    rows = [
        [layer["name"], dims(layer["rf"]), dims(layer["jump"]), dims(layer["start"])]
        for layer in result["layers"]
    ]
    last = f"receptive field of the last feature map: {dims(result['rf'])} px, jump {dims(result['jump'])} px"
    note = f"\nNote: {result['note']}" if result["note"] else ""
    return f"{format_table(['layer', 'rf', 'jump', 'start'], rows)}\n{last}{note}"
