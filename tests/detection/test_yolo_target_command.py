"""``python -m cnn_core yolo-target``: the course's grid target of the detected motorbike, by hand."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from cnn_core.__main__ import main
from cnn_core.commands.yolo_target import target_payload
from cnn_core.detection.pipeline import Detection
from cnn_core.images import sample_image


@pytest.fixture(scope="module")
def motorcycle_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("yolo_target") / "motorcycle.png"
    buffer = io.BytesIO()
    Image.fromarray(sample_image("stereo_motorcycle")).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_the_motorbike_in_the_centre_cell(motorcycle_file, capsys):
    """The motorbike's box is about 59, 56, 697, 455 in the 741 x 500 photo: midpoint (378 / 741, 255.5 / 500)
    = (0.510, 0.511) → ×3 = (1.530, 1.533): cell (1, 1), inside it (0.530, 0.533); size 399 / 500 · 3 = 2.394
    cells high and 638 / 741 · 3 = 2.583 cells wide; class 3, motorcycle."""
    payload = _json(capsys, "yolo-target", str(motorcycle_file), "--json")
    assert payload["shape"] == [3, 3, 8]
    (cell,) = payload["cells"]
    assert (cell["row"], cell["col"], cell["anchor"], cell["class"]) == (1, 1, 0, "motorcycle")
    # the detected box differs from the rounded one above by under a pixel: 3 / 500 of a cell at most
    assert cell["y"] == pytest.approx([1, 0.530, 0.533, 2.394, 2.583, 0, 0, 1], abs=0.006)
    with_anchors = _json(capsys, "yolo-target", str(motorcycle_file), "--grid", "5", "--anchors", "--json")
    assert with_anchors["shape"] == [5, 5, 16]
    # ×5 = (2.551, 2.555): cell (2, 2); the 0.861 x 0.798 box fits the wide anchor (0.4 x 0.2) best:
    # 0.08 / 0.687 = 0.116 against the tall one's 0.06 / 0.687 = 0.087
    (cell,) = with_anchors["cells"]
    assert (cell["row"], cell["col"], cell["anchor"]) == (2, 2, 1)


def test_lost_objects_and_other_classes_by_hand():
    detections = [
        Detection(
            "car", 2, 0.9, (40.0, 40.0, 60.0, 50.0)
        ),  # 100 x 100 image: midpoint (0.5, 0.45), cell (1, 1)
        Detection("car", 2, 0.8, (45.0, 45.0, 55.0, 55.0)),  # (0.5, 0.5): the same cell, no anchors → lost
        Detection("cup", 41, 0.7, (0.0, 0.0, 10.0, 10.0)),
    ]
    payload = target_payload(detections, 100, 100, 3, anchors=False)
    assert payload["lost"] == ["car"] and payload["not_course_classes"] == ["cup"]
    (cell,) = payload["cells"]
    assert cell["y"] == pytest.approx([1, 0.5, 0.35, 0.3, 0.6, 0, 1, 0], abs=1e-12)


def test_bad_grid_is_one_line(motorcycle_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["yolo-target", str(motorcycle_file), "--grid", "0"])
    assert exit_info.value.code == 2
    assert "grid must be a whole number between 1 and 100, got 0" in capsys.readouterr().err
