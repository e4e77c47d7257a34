"""``conv-shape``: output size of one convolution axis, and both meanings of "same" padding."""

from __future__ import annotations

import argparse
from typing import cast

from cnn_core.commands.output import format_fields
from cnn_core.conv.arithmetic import Padding, axis_shape, course_same_padding, tf_same_padding
from cnn_core.errors import ParameterError

SUMMARY = "output size and same padding of one convolution axis"
HELP = (
    "Output size n_out = ⌊(n + 2p − f_eff)/s⌋ + 1, the course's same padding (output = n, "
    "p = ⌈((s − 1)·n − s + f_eff)/2⌉) and TensorFlow/Keras padding='same' (output ⌈n/s⌉)."
)
PADDING_WORDS = ("valid", "same", "course-same")


def parse_padding(text: str) -> Padding:
    """'valid', 'same' (TensorFlow/Keras), 'course-same' (output = n) or a whole number ≥ 0."""
    if text in PADDING_WORDS:
        return cast(Padding, text)
    try:
        return int(text)
    except ValueError:
        raise ParameterError(
            f"padding must be a number, 'valid', 'same' or 'course-same', got {text!r}"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, required=True, help="input size n")
    parser.add_argument("--f", type=int, required=True, help="filter size f")
    parser.add_argument(
        "--p",
        default="0",
        help="padding: a number, 'valid', 'same' (TensorFlow/Keras: output ⌈n/s⌉) or 'course-same' "
        "(the course's: output n) (default 0)",
    )
    parser.add_argument("--s", type=int, default=1, help="stride s (default 1)")
    parser.add_argument("--d", type=int, default=1, help="dilation d (default 1)")


def run(args: argparse.Namespace) -> dict:
    shape = axis_shape(args.n, args.f, parse_padding(args.p), args.s, args.d)
    course = course_same_padding(args.n, args.f, args.s, args.d)
    tf_same = tf_same_padding(args.n, args.f, args.s, args.d)
    return {
        "n_out": shape.n_out,
        # the course formula's exact value ((s − 1)·n − s + f_eff)/2, which may be fractional
        "same_padding": int(course.exact) if course.exact.is_integer() else course.exact,
        "course_same_padding": list(course.padding),
        "tf_same_n_out": tf_same.n_out,
        "tf_same_padding": list(tf_same.padding),
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
            ("effective filter size f_eff", result["f_eff"]),
            ("unused border pixels", result["unused_border"]),
            ("same-padding formula ((s−1)n − s + f_eff)/2", result["same_padding"]),
            ("course same, output n (before, after)", ", ".join(map(str, result["course_same_padding"]))),
            (
                f"TensorFlow same, output ⌈n/s⌉ = {result['tf_same_n_out']} (before, after)",
                ", ".join(map(str, result["tf_same_padding"])),
            ),
        ]
    )
