"""``conv-shape``: output size and same-padding of one convolution axis."""

from __future__ import annotations

import argparse
from typing import cast

from cnn_core.commands.output import format_fields
from cnn_core.conv.arithmetic import Padding, axis_shape, same_padding
from cnn_core.errors import ParameterError

SUMMARY = "output size and same padding of one convolution axis"
HELP = "Output size n_out = ⌊(n + 2p − f_eff)/s⌋ + 1 and the padding that keeps the size (course formula)."


def parse_padding(text: str) -> Padding:
    """'valid', 'same' or a whole number ≥ 0."""
    if text in ("valid", "same"):
        return cast(Padding, text)
    try:
        return int(text)
    except ValueError:
        raise ParameterError(f"padding must be a number, 'valid' or 'same', got {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, required=True, help="input size n")
    parser.add_argument("--f", type=int, required=True, help="filter size f")
    parser.add_argument("--p", default="0", help="padding: a number, 'valid' or 'same' (default 0)")
    parser.add_argument("--s", type=int, default=1, help="stride s (default 1)")
    parser.add_argument("--d", type=int, default=1, help="dilation d (default 1)")


def run(args: argparse.Namespace) -> dict:
    shape = axis_shape(args.n, args.f, parse_padding(args.p), args.s, args.d)
    same = same_padding(args.n, args.f, args.s, args.d)
    return {
        "n_out": shape.n_out,
        "same_padding": int(same) if same.is_integer() else same,
        "padding": list(shape.padding),
        "f_eff": shape.f_eff,
        "unused_border": shape.unused,
    }


def render(result: dict) -> str:
    """The numbers, one per line."""
    return format_fields(
        [
            ("output size n_out", result["n_out"]),
            ("padding (before, after)", ", ".join(map(str, result["padding"]))),
            ("padding that keeps the size", result["same_padding"]),
            ("effective filter size f_eff", result["f_eff"]),
            ("unused border pixels", result["unused_border"]),
        ]
    )
