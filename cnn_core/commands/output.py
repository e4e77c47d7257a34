"""How results leave the command line: aligned text tables or JSON on stdout, errors on stderr, PNG files.

Every command's ``render(result)`` builds its text from ``format_table`` and ``format_fields``, so all
commands print alike: columns as wide as their widest cell, two spaces apart, numbers right-aligned with
thousands separators (62,006), text left-aligned.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from cnn_core.errors import ParameterError


def cell(value: object) -> str:
    """The text of one table cell: ints with thousands separators, None as '?' (unknown), else str().

    >>> cell(62006), cell(None), cell(-0.5), cell("fc3")
    ('62,006', '?', '-0.5', 'fc3')
    """
    if value is None:
        return "?"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def dims(values: object) -> str:
    """A shape or a (rows, cols) pair as '28 x 28 x 6'; a single number stays itself.

    >>> dims([28, 28, 6]), dims([7, 5]), dims(3)
    ('28 x 28 x 6', '7 x 5', '3')
    """
    if isinstance(values, list | tuple):
        return " x ".join(cell(v) for v in values)
    return cell(values)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header line, a rule and one line per row. A column whose cells are all numbers (or '?') is
    right-aligned, header included; any other column is left-aligned.

    >>> print(format_table(["layer", "params"], [["conv1", 456], ["fc3", 48120]]))
    layer  params
    -------------
    conv1     456
    fc3    48,120
    """
    texts = [[cell(value) for value in row] for row in rows]
    columns = list(zip(headers, *texts, strict=True))  # each column: its header, then its cells
    widths = [max(len(text) for text in column) for column in columns]
    right = [all(_is_number(text) or text == "?" for text in column[1:]) for column in columns]

    def line(cells: Sequence[str]) -> str:
        padded = (
            text.rjust(width) if flush_right else text.ljust(width)
            for text, width, flush_right in zip(cells, widths, right, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([line(headers), rule, *(line(row) for row in texts)])


def format_fields(fields: Sequence[tuple[str, object]]) -> str:
    """'name: value' lines with the values lined up (values formatted as table cells).

    >>> print(format_fields([("n_out", 4), ("total params", 62006)]))
    n_out:        4
    total params: 62,006
    """
    width = max(len(name) for name, _ in fields) + 1
    return "\n".join(f"{name + ':':<{width}} {cell(value)}" for name, value in fields)


def print_result(
    result: dict, render: Callable[[dict], str], *, as_json: bool, source: Path | None = None
) -> None:
    """One result on stdout: a JSON object, or ``render``'s text. With ``source`` (one of several
    input files) the JSON object starts with a "file" field (one object per line: JSON Lines) and the
    text comes under a '==> source <==' heading, as ``head`` prints several files."""
    if as_json:
        print(json.dumps(result if source is None else {"file": str(source), **result}))
    elif source is None:
        print(render(result))
    else:
        print(f"==> {source} <==\n{render(result)}\n")


def print_error(message: str, source: Path | None = None) -> None:
    """One line on stderr: 'error: message', or 'error: source: message' for one of several files."""
    print(f"error: {message}" if source is None else f"error: {source}: {message}", file=sys.stderr)


def png_path(text: str) -> Path:
    """The ``--out`` path of a PNG file to write: it must end in .png and its folder must exist."""
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise ParameterError(f"--out must name a .png file, got '{text}'")
    if not path.parent.is_dir():
        raise ParameterError(f"--out folder {path.parent} does not exist")
    return path
