"""``python -m cnn_core detect IMAGE --json``: the exact JSON, and one-line errors for bad files."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from cnn_core.__main__ import main
from cnn_core.images import sample_image


def _png(array: np.ndarray, mode: str | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def motorcycle_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("detect") / "motorcycle.png"
    path.write_bytes(_png(sample_image("stereo_motorcycle")))
    return path


def test_json_output_in_a_fresh_process(motorcycle_file):
    result = subprocess.run(
        [sys.executable, "-m", "cnn_core", "detect", str(motorcycle_file), "--score", "0.3", "--json"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    assert set(payload) == {"detections", "ms"}
    assert set(payload["ms"]) == {"preprocess", "network", "decode", "nms", "total"}
    first = payload["detections"][0]
    assert set(first) == {"label", "class_id", "score", "box"}
    assert (first["label"], first["class_id"]) == ("motorbike", 3)
    x1, y1, x2, y2 = first["box"]
    assert 0 <= x1 < x2 <= 741 and 0 <= y1 < y2 <= 500  # pixels of the original 741x500 file


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("kind", ["grayscale", "rgba"])
def test_grayscale_and_rgba_files_are_converted(tmp_path, capsys, kind):
    rgb = sample_image("stereo_motorcycle")
    image = (
        rgb.mean(axis=2).astype(np.uint8)
        if kind == "grayscale"
        else np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    )
    path = tmp_path / f"{kind}.png"
    path.write_bytes(_png(image))
    status, out, _ = _run(capsys, "detect", str(path), "--json")
    assert status == 0
    assert "motorbike" in {d["label"] for d in json.loads(out)["detections"]}


def test_nothing_detected_says_so(tmp_path, capsys):
    path = tmp_path / "white.png"
    path.write_bytes(_png(np.full((100, 150, 3), 255, np.uint8)))
    status, out, err = _run(capsys, "detect", str(path), "--score", "0.6", "--json")
    assert status == 0 and json.loads(out)["detections"] == []
    assert "no objects above the threshold" in err


def _corrupt() -> bytes:
    data = _png(sample_image("coffee"))
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"this is not an image", [], "not an image that can be read"),
        (_png(np.zeros((1, 1, 3), np.uint8)), [], "the image is 1x1 pixels; detection needs at least 32x32"),
        (_png(np.zeros((8000, 7000), np.uint8)), [], "56 megapixels; the limit is 50"),
        (_corrupt(), [], "damaged or truncated"),
        (_png(np.zeros((64, 64, 3), np.uint8)), ["--size", "400"], "size must be a multiple of 32"),
        (
            _png(np.zeros((64, 64, 3), np.uint8)),
            ["--score", "1.5"],
            r"score threshold must be in [0, 1), got 1.5",
        ),
        (
            _png(np.zeros((64, 64, 3), np.uint8)),
            ["--iou", "-0.1"],
            "IoU threshold must be in [0, 1], got -0.1",
        ),
    ],
    ids=["not-image", "1x1", "huge", "corrupt", "size", "score", "iou"],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, content, args, message):
    path = tmp_path / "upload.png"
    path.write_bytes(content)
    status, out, err = _run(capsys, "detect", str(path), *args, "--json")
    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
