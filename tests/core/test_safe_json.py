"""The guarded JSON reader: limits hold before parsing, and documents within them parse as json.loads does."""

from __future__ import annotations

import json
import random

import pytest

from cnn_core.safe_json import MAX_DIGITS, JSONFileError, read_json


def _depth(value: object) -> int:
    """The reference: nesting depth of a parsed document, by recursion over its values."""
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _random_document(rng: random.Random, levels: int) -> object:
    """Nested lists and dicts whose keys and strings are full of brackets, quotes and escapes."""
    if levels == 0 or rng.random() < 0.2:
        return rng.choice([7, -2.5, None, True, 'a "[quoted]" {text}', "back\\slash [", "}]\u00e9"])
    children = [_random_document(rng, levels - 1) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.5:
        return children
    return {f'key "{i}" [{{': child for i, child in enumerate(children)}


@pytest.mark.parametrize("seed", range(40))
def test_depth_scan_agrees_with_a_recursive_count_and_parsing_with_json_loads(seed):
    rng = random.Random(seed)
    document = _random_document(rng, rng.randint(0, 8))
    text = json.dumps(document, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))
    depth = _depth(document)
    assert read_json(text, name="doc", max_bytes=10**6, max_depth=depth) == document
    if depth:
        with pytest.raises(JSONFileError, match=f"doc nests {depth:,} levels deep; the limit is {depth - 1}"):
            read_json(text, name="doc", max_bytes=10**6, max_depth=depth - 1)


def test_deep_nesting_is_refused_without_recursion():
    for text in ("[" * 200_000, '{"a":' * 100_000):
        with pytest.raises(JSONFileError, match=r"nests (200,000|100,000) levels deep; the limit is 64"):
            read_json(text, name="the file", max_bytes=10**7, max_depth=64)


def test_long_numbers_are_refused_with_their_place():
    text = '{\n  "a": [1,\n    ' + "9" * 5000 + "]}"
    # line 3 is '    999…': the number starts in column 5
    with pytest.raises(
        JSONFileError, match=r"a number of 5,000 digits at line 3, column 5; the limit is 100"
    ):
        read_json(text, name="the file", max_bytes=10**6, max_depth=4)
    longest = "-" + "9" * MAX_DIGITS
    assert read_json(f"[{longest}]", name="the file", max_bytes=10**6, max_depth=4) == [int(longest)]
    assert read_json(f'["{"9" * 5000}"]', name="f", max_bytes=10**6, max_depth=4) == ["9" * 5000]  # a string


def test_numbers_a_float_cannot_hold_come_back_non_finite_for_the_callers_schema():
    values = read_json("[1e400, -1e400, NaN, Infinity]", name="f", max_bytes=100, max_depth=1)
    assert (
        values[:2] == [float("inf"), float("-inf")] and values[2] != values[2] and values[3] == float("inf")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" " * 101, "the file is 101 bytes; the limit is 100"),
        (b'{"name": "Ad\xe9"}', r"the file is not UTF-8 text \(byte 0xe9 at offset 12\)"),
        (b"{not json", r"the file is not valid JSON \(Expecting property name"),
        (b'{"a": "unterminated [[[[[', r"not valid JSON \(Unterminated string starting at: line 1 column 7"),
    ],
)
def test_refusals_say_what_is_wrong(data, message):
    with pytest.raises(JSONFileError, match=message):
        read_json(data, name="the file", max_bytes=100, max_depth=2)


def test_a_byte_order_mark_is_allowed():
    assert read_json(b'\xef\xbb\xbf{"a": [1]}', name="f", max_bytes=100, max_depth=2) == {"a": [1]}
