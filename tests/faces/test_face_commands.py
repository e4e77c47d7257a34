"""``python -m cnn_core verify`` / ``embed``: the exact JSON fields, and one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.__main__ import main
from cnn_core.images import encode_png


@pytest.fixture(scope="module")
def files(tmp_path_factory, photos):
    folder = tmp_path_factory.mktemp("faces")
    paths = {}
    for name, image in {**photos, "flipped": photos["astronaut"][:, ::-1], "coffee": None}.items():
        if image is None:
            from cnn_core.images import sample_image

            image = sample_image("coffee")
        paths[name] = folder / f"{name}.png"
        paths[name].write_bytes(encode_png(np.ascontiguousarray(image)))
    paths["junk"] = folder / "junk.png"
    paths["junk"].write_bytes(b"this is not an image")
    return paths


def _json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_verify_json(capsys, files):
    same = _json(capsys, "verify", str(files["astronaut"]), str(files["flipped"]))
    assert list(same) == ["distance", "threshold", "same_person", "faces", "ms"]
    assert same["same_person"] is True and same["distance"] < 0.6 and same["threshold"] == 0.6
    assert len(same["faces"]) == 2 and set(same["faces"][0]) == {"box", "score", "landmarks"}
    assert set(same["faces"][0]["landmarks"]) == {
        "left_eye",
        "right_eye",
        "nose",
        "mouth_left",
        "mouth_right",
    }
    different = _json(capsys, "verify", str(files["astronaut"]), str(files["hopper"]), "--threshold", "0.55")
    assert different["same_person"] is False and different["threshold"] == 0.55


def test_embed_json(capsys, files):
    result = _json(capsys, "embed", str(files["hopper"]))
    assert len(result["embeddings"]) == len(result["faces"]) == 1
    assert len(result["embeddings"][0]) == 128 and result["ms"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verify", "astronaut", "coffee"], "no face found (the detector's best face score was 0."),
        (["verify", "astronaut", "junk"], "the file is not an image that can be read"),
        (["verify", "astronaut", "hopper", "--threshold", "0"], "threshold must be a positive distance"),
        (["verify", "astronaut", "hopper", "--face-b", "3"], "face index must be in 0..0, got 3"),
        (["embed", "coffee"], "no face found"),
    ],
)
def test_errors_exit_2_with_one_line(capsys, files, args, message):
    argv = [str(files[a]) if a in files else a for a in args]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--json"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_verify_prints_distance_threshold_and_verdict(capsys, files):
    assert main(["verify", str(files["astronaut"]), str(files["flipped"]), "--threshold", "0.55"]) == 0
    fields = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert set(fields) == {"distance d", "threshold τ", "verdict", "face in A", "face in B", "time"}
    assert float(fields["distance d"]) < 0.55 and fields["threshold τ"].strip() == "0.55"
    assert fields["verdict"].strip() == "same person (d ≤ τ)"  # one woman, mirrored


def test_embed_folder_gives_json_lines_and_one_error(capsys, files, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("astronaut", "coffee", "hopper"):
        (folder / f"{name}.png").write_bytes(files[name].read_bytes())
    with pytest.raises(SystemExit) as exit_info:
        main(["embed", str(folder), "--json"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    results = [json.loads(line) for line in captured.out.splitlines()]
    assert [result["file"] for result in results] == [
        str(folder / "astronaut.png"),
        str(folder / "hopper.png"),
    ]
    assert all(
        len(r["embeddings"]) == len(r["faces"]) == 1 and len(r["embeddings"][0]) == 128 for r in results
    )
    (line,) = captured.err.splitlines()
    assert line.startswith(f"error: {folder / 'coffee.png'}: no face found")


def test_embed_table(capsys, files):
    assert main(["embed", str(files["hopper"])]) == 0
    header, _, row, time = capsys.readouterr().out.splitlines()
    assert header.split()[:2] == ["face", "box"] and row.split()[0] == "0"
    assert row.endswith(", …] (128 values)") and time.startswith("time: ")
