"""``python -m cnn_core``: JSON output and one-line errors with exit status 2."""

import json
import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cnn_core", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--n", "6", "--f", "3", "--p", "0", "--s", "1"], {"n_out": 4, "same_padding": 1}),
        (["--n", "7", "--f", "3", "--p", "0", "--s", "2"], {"n_out": 3, "same_padding": 4}),
        (["--n", "6", "--f", "4", "--p", "same", "--s", "1"], {"n_out": 6, "same_padding": 1.5}),
        (["--n", "9", "--f", "3", "--p", "2", "--s", "1", "--d", "2"], {"n_out": 9, "same_padding": 2}),
    ],
)
def test_conv_shape_json(args, expected):
    result = _run("conv-shape", *args, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {key: payload[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["conv-shape", "--n", "2", "--f", "3"], "filter spans 3 pixels"),
        (["conv-shape", "--n", "6", "--f", "3", "--s", "0"], "stride must be ≥ 1, got 0"),
        (["conv-shape", "--n", "6", "--f", "3", "--p", "-1"], "padding must be ≥ 0, got -1"),
        (["conv-shape", "--n", "6", "--f", "3", "--p", "wide"], "padding must be a number"),
        (["conv-shape", "--n", "six", "--f", "3"], "invalid int value"),
        (["conv-shape", "--f", "3"], "required: --n"),
        (["no-such-command"], "unknown command 'no-such-command'; valid commands:"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, message):
    result = _run(*args, "--json")
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
