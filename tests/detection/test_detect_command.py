"""``python -m cnn_core detect``: exact JSON, tables, folders in batch, annotated PNGs, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from cnn_core.__main__ import main
from cnn_core.images import load_image, sample_image


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


def test_json_boxes_are_in_the_pixels_of_a_photo_larger_than_the_pages_working_copy(tmp_path, capsys):
    """Issue 13: the command reads the file at full size, so a 1482x1000 photo (the motorbike doubled) gets
    boxes past the page's 1024x576 working size: the motorbike spans about 2 × (59 … 697, 56 … 455)."""
    path = tmp_path / "big.png"
    path.write_bytes(_png(sample_image("stereo_motorcycle").repeat(2, axis=0).repeat(2, axis=1)))
    status, out, _ = _run(capsys, "detect", str(path), "--score", "0.3", "--json")
    assert status == 0
    _, _, x2, y2 = json.loads(out)["detections"][0]["box"]
    assert 1024 < x2 <= 1482 and 576 < y2 <= 1000


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


def test_folder_with_a_corrupt_file_gives_json_lines_pngs_and_one_error(tmp_path, capsys):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a_motorcycle.png").write_bytes(_png(sample_image("stereo_motorcycle")))  # 741x500
    (folder / "b_broken.png").write_bytes(_corrupt())
    (folder / "c_coffee.png").write_bytes(_png(sample_image("coffee")))  # 600x400
    (folder / "notes.txt").write_text("not an image name, so not an input")
    out = tmp_path / "annotated"
    status, stdout, err = _run(capsys, "detect", str(folder), "--json", "-o", str(out))
    assert status == 2
    results = [json.loads(line) for line in stdout.splitlines()]
    assert [result["file"] for result in results] == [
        str(folder / "a_motorcycle.png"),
        str(folder / "c_coffee.png"),
    ]
    assert all(set(result) == {"file", "detections", "ms", "out"} for result in results)
    assert "motorbike" in {d["label"] for d in results[0]["detections"]}
    assert "cup" in {d["label"] for d in results[1]["detections"]}
    (line,) = err.splitlines()
    assert line.startswith(f"error: {folder / 'b_broken.png'}: ") and "damaged or truncated" in line
    for name, size in [("a_motorcycle.png", (741, 500)), ("c_coffee.png", (600, 400))]:
        with Image.open(out / name) as picture:
            assert (picture.format, picture.size) == ("PNG", size)
    assert sorted(path.name for path in out.iterdir()) == ["a_motorcycle.png", "c_coffee.png"]


def test_one_image_prints_a_table_and_writes_the_annotated_png(motorcycle_file, tmp_path, capsys):
    out = tmp_path / "boxes.png"
    status, stdout, err = _run(capsys, "detect", str(motorcycle_file), "-o", str(out))
    assert status == 0 and err == ""
    header, rule, first, *rest = stdout.splitlines()
    assert header.split() == ["label", "score", "x1", "y1", "x2", "y2"] and len(rule) == len(header)
    label, score, *box = first.split()
    assert label == "motorbike" and 0.25 < float(score) <= 1
    x1, y1, x2, y2 = map(float, box)
    assert 0 <= x1 < x2 <= 741 and 0 <= y1 < y2 <= 500
    assert any(line.startswith("time: preprocess ") and line.endswith(" ms") for line in rest)
    assert f"annotated picture: {out}" in rest
    picture = load_image(out, max_side=None)
    assert picture.shape == (500, 741, 3)  # the original size, not the network's 416x416
    assert not np.array_equal(picture, sample_image("stereo_motorcycle"))  # boxes were drawn


def test_bad_out_paths_exit_2_before_any_work(motorcycle_file, tmp_path, capsys):
    jpeg = tmp_path / "boxes.jpg"
    status, out, err = _run(capsys, "detect", str(motorcycle_file), "-o", str(jpeg))
    assert (status, out, err) == (2, "", f"error: --out must name a .png file, got '{jpeg}'\n")
    taken = tmp_path / "taken.png"
    taken.write_bytes(b"")
    status, out, err = _run(capsys, "detect", str(motorcycle_file), str(motorcycle_file), "-o", str(taken))
    assert status == 2 and out == "" and "--out must be a folder when there are several images" in err
