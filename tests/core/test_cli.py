"""``python -m cnn_core`` and ``cnn-lab``: help, tables, JSON output, quiet TensorFlow, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnn_core import runtime
from cnn_core.__main__ import main
from cnn_core.commands.output import format_table


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


#: every command with a word its one-line description must contain
DESCRIBED = {
    "conv-shape": "convolution",
    "summary": "parameters",
    "rf": "receptive field",
    "classify": "ImageNet",
    "detect": "COCO",
    "embed": "face",
    "verify": "same person",
    "style": "style",
}


def test_help_lists_every_command_with_a_one_line_description(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    for name, word in DESCRIBED.items():
        line = next(line for line in lines if line.split()[:1] == [name])
        assert word in line and len(line) <= 80, line


def test_installed_entry_point_runs_the_same_commands():
    script = Path(sys.executable).parent / "cnn-lab"
    assert script.exists(), "run `make setup` (pip install --no-deps --editable .)"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage: cnn-lab ")
    assert all(name in result.stdout for name in DESCRIBED)
    args = ["conv-shape", "--n", "6", "--f", "3", "--json"]
    result = subprocess.run([str(script), *args], capture_output=True, text=True, timeout=60)
    assert json.loads(result.stdout)["n_out"] == 4  # 6x6 * 3x3 → 4x4


def test_summary_table_without_tensorflow_noise_in_a_fresh_process():
    """The lenet5 table: FC3 has 400·120 + 120 = 48,120 parameters, the model 62,006 in all (course
    figures); numbers are right-aligned under their headers, and stderr holds no TensorFlow log line."""
    result = _run("summary", "lenet5")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [line for line in result.stderr.splitlines() if not line.startswith("using GPU: ")] == []
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("Layer (type)"))
    params_end, macs_end = header.index("Param #") + len("Param #"), header.index("MACs") + len("MACs")
    fc3 = next(line for line in lines if line.startswith("fc3 (Dense)"))
    assert fc3.index("48,120") + len("48,120") == params_end
    assert fc3.index("48,000") + len("48,000") == macs_end == len(fc3)
    conv1 = next(line for line in lines if line.startswith("conv1 (Conv2D)"))
    assert conv1.index(" 456 ") + len(" 456") == params_end  # 5·5·3·6 + 6
    assert "Total params:         62,006" in lines
    assert "Multiply-adds:        651,720" in lines  # 28²·6·75 + 10²·16·150 + 400·120 + 120·84 + 84·10


def test_conv_shape_prints_the_numbers(capsys):
    assert main(["conv-shape", "--n", "6", "--f", "3"]) == 0  # 6x6 * 3x3 → 4x4
    fields = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert {name: value.strip() for name, value in fields.items()} == {
        "output size n_out": "4",
        "padding (before, after)": "0, 0",
        "effective filter size f_eff": "3",
        "unused border pixels": "0",
        "same-padding formula ((s−1)n − s + f_eff)/2": "1",
        "course same, output n (before, after)": "1, 1",
        "TensorFlow same, output ⌈n/s⌉ = 6 (before, after)": "1, 1",
    }


def test_format_table_aligns_numbers_right_and_text_left():
    text = format_table(["name", "value", "shape"], [["a", 5, "7 x 5"], ["long name", 1234567, "1 x 1"]])
    assert text.splitlines() == [
        "name           value  shape",
        "---------------------------",
        "a                  5  7 x 5",
        "long name  1,234,567  1 x 1",
    ]


def test_tensorflow_log_lines_are_dropped_and_other_lines_kept(capfd):
    """Lines as TensorFlow 2.21 writes them at import, and two lines that must survive."""
    captured = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1796135260.702494    9164 port.cc:153] oneDNN custom operations are on.\n"
        "E0000 00:00:1796135264.135818    9164 cuda_platform.cc:52] failed call to cuInit: INTERNAL\n"
        "a line from another thread\n"
        "I0000 means nothing here\n"
    )
    with runtime._stderr_without_tf_lines():
        os.write(2, captured.encode())
    assert capfd.readouterr().err == "a line from another thread\nI0000 means nothing here\n"


def test_gpu_line_names_the_gpu_and_says_nothing_on_a_cpu(capsys, monkeypatch):
    import tensorflow as tf

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: [])
    runtime.report_gpu()
    assert capsys.readouterr().err == ""
    gpu = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: [gpu] if kind == "GPU" else [])
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda device: {"device_name": "H200"})
    runtime.report_gpu()
    assert capsys.readouterr().err == "using GPU: H200\n"
