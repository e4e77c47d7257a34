"""Read a JSON document a user uploaded, with every limit checked before the work it bounds.

Python's ``json.loads`` trusts its input: it recurses once per level of nesting (200,000 "[" raise
RecursionError), and it converts an integer of any length with ``int()``, whose time grows with the
square of the digits (Python refuses past 4,300 digits with a ValueError). ``read_json`` checks, in order:

1. size: at most ``max_bytes`` bytes, before anything is decoded;
2. text: UTF-8 (a leading byte-order mark is allowed);
3. nesting: depth ≤ ``max_depth``, by a linear scan without recursion. With every string blanked out,
   the depth after character i is d(i) = #{"[", "{"} − #{"]", "}"} among characters 0..i, and the
   document's depth is max d(i);
4. numbers: no run of more than ``MAX_DIGITS`` digits outside strings, found by the same scan so that
   the message can say where it is; only then may ``json.loads`` parse, and every integer it meets is
   short.

Numbers a float cannot hold (1e400) and JSON's NaN / Infinity extensions come back as non-finite floats:
the caller's schema check refuses them where it needs finite values, and can say which value it was.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from typing import Any

from cnn_core.errors import CNNLabError

#: longest run of digits a number may have: a float64 carries 17 significant digits, an int64 19
MAX_DIGITS = 100
#: a JSON string, escapes included; an unterminated one runs to the end of the text
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_DIGITS + 1},}}")


class JSONFileError(CNNLabError):
    """A JSON document that is too large, not UTF-8, too deep, holds too long a number, or is not JSON."""


def _depth(blank: str) -> int:
    """max d(i) over a text whose strings are blanked out: the deepest level of "[" and "{"."""
    steps = (1 if bracket in "[{" else -1 for bracket in _BRACKET.findall(blank))
    return max(itertools.accumulate(steps, initial=0))


def _without_strings(text: str) -> str:
    """``text`` with every string replaced by as many spaces, so offsets still point at the same place."""
    return _STRING.sub(lambda match: " " * len(match.group()), text)


def _where(text: str, offset: int) -> str:
    """ "line L, column C" (both from 1) of character ``offset``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)  # rfind gives -1 on the first line
    return f"line {line}, column {column}"


def read_json(data: str | bytes, *, name: str, max_bytes: int, max_depth: int) -> Any:
    """Parse an uploaded JSON document within limits; ``name`` ("the gallery file") starts each message.

    >>> read_json(b'{"values": [1, 2.5, NaN]}', name="the file", max_bytes=100, max_depth=4)
    {'values': [1, 2.5, nan]}
    >>> read_json("[" * 200_000, name="the file", max_bytes=10**6, max_depth=4)
    Traceback (most recent call last):
    ...
    cnn_core.safe_json.JSONFileError: the file nests 200,000 levels deep; the limit is 4
    >>> read_json("[1, " + "9" * 5000 + "]", name="the file", max_bytes=10**6, max_depth=4)
    Traceback (most recent call last):
    ...
    cnn_core.safe_json.JSONFileError: the file holds a number of 5,000 digits at line 1, column 5; ...
    """
    raw = data.encode() if isinstance(data, str) else data
    if not raw:
        raise JSONFileError(f"{name} is empty")
    if len(raw) > max_bytes:
        raise JSONFileError(f"{name} is {len(raw):,} bytes; the limit is {max_bytes:,}")
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = len(raw) - len(body) + err.start
        raise JSONFileError(
            f"{name} is not UTF-8 text (byte {raw[offset]:#04x} at offset {offset:,})"
        ) from None
    blank = _without_strings(text)
    depth = _depth(blank)
    if depth > max_depth:
        raise JSONFileError(f"{name} nests {depth:,} levels deep; the limit is {max_depth}")
    long_number = _LONG_NUMBER.search(blank)
    if long_number:
        digits = len(long_number.group())
        raise JSONFileError(
            f"{name} holds a number of {digits:,} digits at {_where(text, long_number.start())}; "
            f"the limit is {MAX_DIGITS} digits"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise JSONFileError(f"{name} is not valid JSON ({err})") from None
