"""``python -m cnn_core classify`` and ``rf``: exact JSON fields, every zoo model, one-line errors."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from cnn_core import zoo
from cnn_core.__main__ import main
from cnn_core.images import sample_image


def _json(capsys, argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_classify_json(capsys, tmp_path):
    path = tmp_path / "chelsea.png"
    Image.fromarray(sample_image("chelsea")).save(path)
    result = _json(capsys, ["classify", str(path), "--json"])
    assert set(result) == {"top5", "ms"} and result["ms"] > 0
    assert [set(p) for p in result["top5"]] == [{"label", "index", "score"}] * 5
    assert result["top5"][0]["label"] == "Egyptian cat" and result["top5"][0]["index"] == 285


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"hello", "not an image that can be read"),
])  # fmt: skip
def test_classify_bad_files_exit_2_with_one_line(capsys, tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as stop:
        main(["classify", str(path), "--json"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("name", list(zoo.ZOO))
def test_rf_json_for_every_zoo_model(capsys, monkeypatch, zoo_built, name):
    monkeypatch.setattr(zoo, "build_model", zoo_built)  # one build per session, shared with other tests
    result = _json(capsys, ["rf", name, "--json"])
    assert set(result) == {"model", "rf", "jump", "layers"} and result["model"] == name
    assert all(set(layer) == {"name", "rf", "jump", "start"} for layer in result["layers"])
    assert result["layers"][0] == {"name": "input", "rf": 1, "jump": 1, "start": 0.0}
    assert isinstance(result["rf"], int) and result["rf"] > 1


def test_rf_figures_and_errors(capsys, monkeypatch, zoo_built):
    monkeypatch.setattr(zoo, "build_model", zoo_built)
    vgg = _json(capsys, ["rf", "vgg16", "--json"])
    assert (vgg["rf"], vgg["jump"]) == (212, 32)  # block5_pool, the last feature map
    with pytest.raises(SystemExit) as stop:
        main(["rf", "vgg99"])
    assert stop.value.code == 2 and "unknown model 'vgg99'; valid models:" in capsys.readouterr().err
