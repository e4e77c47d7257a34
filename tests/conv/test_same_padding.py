"""The two meanings of "same" padding: the course's (output = n) and TensorFlow/Keras's (output ⌈n/s⌉).

References: hand-computed cases, a brute-force search over paddings with the floor rule written out
here, and tf.nn.conv2d (its 'SAME' output shape and values, and its explicit-padding form).
Every array holds small whole numbers, so float32 sums are exact in any order and results must be equal.
"""

import json

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_core.__main__ import main
from cnn_core.conv.arithmetic import (
    CourseSame,
    TfSame,
    course_same_padding,
    output_size,
    resolve_padding,
    tf_same_padding,
)
from cnn_core.errors import ParameterError


@pytest.mark.parametrize(
    ("n", "f", "s", "exact", "p", "padding"),
    [
        (6, 3, 1, 1.0, 1, (1, 1)),  # course: p = (f − 1)/2
        (5, 5, 1, 2.0, 2, (2, 2)),
        (6, 3, 2, 3.5, 4, (4, 4)),  # ⌊(6 + 8 − 3)/2⌋ + 1 = ⌊5.5⌋ + 1 = 6
        (7, 3, 2, 4.0, 4, (4, 4)),  # (7 − 2 + 3)/2 = 4: ⌊(7 + 8 − 3)/2⌋ + 1 = 7
        (6, 4, 1, 1.5, None, (1, 2)),  # stride 1, even f: 3 rows in all, 1 before and 2 after
        (8, 2, 1, 0.5, None, (0, 1)),
        (6, 4, 3, 6.5, 7, (7, 7)),  # ((3 − 1)·6 − 3 + 4)/2 = 6.5 → 7: ⌊(6 + 14 − 4)/3⌋ + 1 = 6
    ],
)
def test_course_same_hand_computed(n, f, s, exact, p, padding):
    result = course_same_padding(n, f, s)
    assert result == CourseSame(n, exact, p, padding)
    assert output_size(n, f, "course-same", s) == n


@pytest.mark.parametrize(
    ("n", "f", "s", "expected"),
    [
        (6, 3, 2, TfSame(3, 1, (0, 1))),  # ⌈6/2⌉ = 3; (3 − 1)·2 + 3 − 6 = 1: 0 before, 1 after
        (7, 3, 2, TfSame(4, 2, (1, 1))),  # ⌈7/2⌉ = 4; 3·2 + 3 − 7 = 2
        (6, 4, 1, TfSame(6, 3, (1, 2))),
        (6, 1, 2, TfSame(3, 0, (0, 0))),  # 2·2 + 1 − 6 = −1 → no padding
        (5, 3, 5, TfSame(1, 0, (0, 0))),
    ],
)
def test_tf_same_hand_computed(n, f, s, expected):
    assert tf_same_padding(n, f, s) == expected
    assert resolve_padding(n, f, s, "same") == expected.padding


def test_the_two_meanings_differ_at_stride_two():
    """The example of the issue: n = 6, f = 3, s = 2 → course 6x6 with p = 4, TensorFlow 3x3."""
    assert output_size(6, 3, "course-same", 2) == 6
    assert output_size(6, 3, "same", 2) == 3
    assert output_size(6, 3, 4, 2) == 6  # p = 4 each side is the whole number the old page said was missing


def _floor_rule(n: int, before: int, after: int, f_eff: int, s: int) -> int:
    return (n + before + after - f_eff) // s + 1


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 60), f=st.integers(1, 9), s=st.integers(1, 6), d=st.integers(1, 3))
def test_course_same_is_the_least_padding_that_keeps_n(n, f, s, d):
    """Brute force: the smallest symmetric p with output n, else the smallest uneven (before, after)."""
    f_eff = d * (f - 1) + 1
    result = course_same_padding(n, f, s, d)
    assert result.exact == ((s - 1) * n - s + f_eff) / 2
    symmetric = [p for p in range(0, s * n + f_eff) if _floor_rule(n, p, p, f_eff, s) == n]
    if symmetric:
        assert result.p == min(symmetric) == -(-((s - 1) * n - s + f_eff) // 2)
        assert result.padding == (result.p, result.p)
    else:
        assert result.p is None and s == 1 and f_eff % 2 == 0
        before, after = result.padding
        assert after == before + 1
        assert _floor_rule(n, before, after, f_eff, s) == n
        assert _floor_rule(n, before, before, f_eff, s) == n - 1


def _tf_conv(x, w, s, padding):
    return tf.nn.conv2d(x, w, strides=s, padding=padding).numpy()


def _whole_numbers(n: int, f: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.integers(-4, 5, (1, n, n, 2)).astype(np.float32)
    w = rng.integers(-2, 3, (f, f, 2, 3)).astype(np.float32)
    return x, w


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 20), f=st.integers(1, 6), s=st.integers(1, 4), seed=st.integers(0, 1000))
def test_tf_same_matches_tensorflow_same(n, f, s, seed):
    """TensorFlow's 'SAME' has ⌈n/s⌉ outputs and equals zero-padding (before, after) then 'VALID'."""
    x, w = _whole_numbers(n, f, seed)
    same = tf_same_padding(n, f, s)
    reference = _tf_conv(x, w, s, "SAME")
    assert reference.shape[1:3] == (same.n_out, same.n_out)
    before, after = same.padding
    explicit = _tf_conv(x, w, s, [[0, 0], [before, after], [before, after], [0, 0]])
    np.testing.assert_array_equal(explicit, reference)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 20), f=st.integers(1, 6), s=st.integers(1, 4))
def test_course_same_gives_n_in_tensorflow(n, f, s):
    """Explicit padding by the course's same gives an n x n output in tf.nn.conv2d."""
    x, w = _whole_numbers(n, f, 0)
    before, after = course_same_padding(n, f, s).padding
    out = _tf_conv(x, w, s, [[0, 0], [before, after], [before, after], [0, 0]])
    assert out.shape[1:3] == (n, n)


def test_course_example_n6_f3_s2_in_tensorflow():
    x, w = _whole_numbers(6, 3, 1)
    assert _tf_conv(x, w, 2, [[0, 0], [4, 4], [4, 4], [0, 0]]).shape[1:3] == (6, 6)
    assert _tf_conv(x, w, 2, "SAME").shape[1:3] == (3, 3)


@pytest.mark.parametrize("function", [course_same_padding, tf_same_padding])
def test_bad_arguments(function):
    with pytest.raises(ParameterError, match="stride must be ≥ 1, got 0"):
        function(6, 3, 0)
    with pytest.raises(ParameterError, match="f must be ≥ 1, got 0"):
        function(6, 0, 1)
    with pytest.raises(ParameterError, match="dilation must be ≥ 1, got 0"):
        function(6, 3, 1, 0)


def test_bad_padding_word():
    with pytest.raises(ParameterError, match="'valid', 'same' or 'course-same', got 'full'"):
        resolve_padding(6, 3, 1, "full")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--n", "6", "--f", "3", "--s", "2"],
            {
                "same_padding": 3.5,
                "course_same_padding": [4, 4],
                "tf_same_n_out": 3,
                "tf_same_padding": [0, 1],
            },
        ),
        (["--n", "6", "--f", "3", "--s", "2", "--p", "course-same"], {"n_out": 6, "padding": [4, 4]}),
        (["--n", "6", "--f", "3", "--s", "2", "--p", "same"], {"n_out": 3, "padding": [0, 1]}),
        (["--n", "6", "--f", "4", "--p", "course-same"], {"n_out": 6, "padding": [1, 2]}),
    ],
)
def test_conv_shape_command_reports_both(args, expected, capsys):
    assert main(["conv-shape", *args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {key: payload[key] for key in expected} == expected


def test_conv_shape_command_text_names_both(capsys):
    main(["conv-shape", "--n", "6", "--f", "3", "--s", "2"])
    fields = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    fields = {name: value.strip() for name, value in fields.items()}
    assert fields["same-padding formula ((s−1)n − s + f_eff)/2"] == "3.5"
    assert fields["course same, output n (before, after)"] == "4, 4"
    assert fields["TensorFlow same, output ⌈n/s⌉ = 3 (before, after)"] == "0, 1"
