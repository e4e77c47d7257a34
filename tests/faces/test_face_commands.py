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
