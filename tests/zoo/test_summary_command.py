"""``python -m cnn_core summary MODEL --json`` as a subprocess: the JSON object and the exit-2 error."""

from __future__ import annotations

import json
import subprocess
import sys

from cnn_core.zoo import ZOO
from tests.zoo.conftest import COURSE_MODELS


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cnn_core", *args], capture_output=True, text=True, timeout=180
    )


def test_summary_json_for_lenet5():
    result = _run("summary", "lenet5", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    assert (payload["model"], payload["total_params"], payload["trainable_params"]) == (
        "lenet5",
        62006,
        62006,
    )
    assert payload["macs"] == 28 * 28 * 6 * 75 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10
    fc3 = next(layer for layer in payload["layers"] if layer["name"] == "fc3")
    assert fc3 == {"name": "fc3", "type": "Dense", "output_shape": [120], "params": 48120, "macs": 48000}


def test_unknown_model_exits_2_listing_the_valid_ones():
    result = _run("summary", "lenet6", "--json")
    assert result.returncode == 2 and result.stdout == ""
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("error: unknown model 'lenet6'; valid models: ")
    assert all(name in message for name in (*COURSE_MODELS, *ZOO))
