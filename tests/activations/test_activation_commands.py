"""``python -m cnn_core classify`` and ``rf``: exact JSON fields, every zoo model, one-line errors."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from cnn_core import zoo
from cnn_core.__main__ import main
from cnn_core.commands import classify as classify_command
from cnn_core.images import sample_image


def _json(capsys, argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_classify_json(capsys, tmp_path):
    path = tmp_path / "chelsea.png"
    Image.fromarray(sample_image("chelsea")).save(path)
    result = _json(capsys, ["classify", str(path), "--json"])
    assert set(result) == {"top5", "crops", "ms"} and result["ms"] > 0 and result["crops"] == 1
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
    assert set(result) == {"model", "note", "rf", "jump", "layers"} and result["model"] == name
    assert all(set(layer) == {"name", "rf", "jump", "start"} for layer in result["layers"])
    assert result["layers"][0] == {"name": "input", "rf": 1, "jump": 1, "start": 0.0}
    assert isinstance(result["rf"], int) and result["rf"] > 1


def test_rf_figures_and_errors(capsys, monkeypatch, zoo_built):
    monkeypatch.setattr(zoo, "build_model", zoo_built)
    vgg = _json(capsys, ["rf", "vgg16", "--json"])
    assert (vgg["rf"], vgg["jump"]) == (212, 32)  # block5_pool, the last feature map
    assert vgg["note"] is None  # keras.applications' VGG-16 is the paper's
    inception = _json(capsys, ["rf", "inception-v1", "--json"])
    assert inception["note"] == zoo.ZOO["inception-v1"].note and "are 3x3 here" in inception["note"]
    with pytest.raises(SystemExit) as stop:
        main(["rf", "vgg99"])
    assert stop.value.code == 2 and "unknown model 'vgg99'; valid models:" in capsys.readouterr().err


def test_classify_several_files_with_one_model(capsys, monkeypatch, tmp_path):
    """Two photos, one model build: JSON Lines naming each file; scikit-image's chelsea is an Egyptian
    cat (ImageNet 285) and coffee an espresso (967)."""
    builds = []
    build = classify_command.build_efficientnet_lite0
    monkeypatch.setattr(classify_command, "build_efficientnet_lite0", lambda: builds.append(1) or build())
    paths = [tmp_path / "chelsea.png", tmp_path / "coffee.png"]
    for path in paths:
        Image.fromarray(sample_image(path.stem)).save(path)
    assert main(["classify", *map(str, paths), "--json"]) == 0
    assert len(builds) == 1
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [result["file"] for result in results] == list(map(str, paths))
    assert [(r["top5"][0]["label"], r["top5"][0]["index"]) for r in results] == [
        ("Egyptian cat", 285),
        ("espresso", 967),
    ]


def test_classify_table(capsys, tmp_path):
    path = tmp_path / "chelsea.png"
    Image.fromarray(sample_image("chelsea")).save(path)
    assert main(["classify", str(path)]) == 0
    header, rule, first, *rest = capsys.readouterr().out.splitlines()
    assert header.split() == ["#", "class", "index", "p"] and set(rule) == {"-"}
    assert first.split()[:4] == ["1", "Egyptian", "cat", "285"]
    assert first.index("285") + 3 == header.index("index") + len("index")  # numbers right-aligned
    assert len(rest) == 5 and rest[-1].startswith("time: ")


def test_rf_table(capsys, monkeypatch, zoo_built):
    monkeypatch.setattr(zoo, "build_model", zoo_built)
    assert main(["rf", "vgg16"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["layer", "rf", "jump", "start"]
    assert lines[2].split() == ["input", "1", "1", "0.0"]
    assert lines[-1] == "receptive field of the last feature map: 212 px, jump 32 px"  # block5_pool


def test_classify_ten_crops(capsys, tmp_path):
    """``--crops 10`` on chelsea: the softmax averaged over its ten crops is the one computed from the
    ten crops cut by TensorFlow's own crop and flip ops (a cat class, as the centre crop alone is not:
    tiger cat 0.39 vs Egyptian cat 0.52 averaged)."""
    import tensorflow as tf

    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    path = tmp_path / "chelsea.png"
    image = sample_image("chelsea")
    Image.fromarray(image).save(path)
    result = _json(capsys, ["classify", str(path), "--crops", "10", "--json"])
    assert set(result) == {"top5", "crops", "ms"} and result["crops"] == 10
    resized = tf.image.resize(image.astype("float32"), (256, 385))  # 451 · 256 / 300 = 384.85 → 385
    corners = [(16, 80), (0, 0), (0, 161), (32, 0), (32, 161)]  # centre ⌊32/2⌋, ⌊161/2⌋, then the corners
    crops = [tf.image.crop_to_bounding_box(resized, top, left, 224, 224) for top, left in corners]
    views = tf.stack(crops + [tf.image.flip_left_right(c) for c in crops])
    reference = build_efficientnet_lite0()(views, training=False).numpy().mean(axis=0)
    assert [p["index"] for p in result["top5"]] == list(reference.argsort()[::-1][:5])
    assert result["top5"][0]["index"] == 285  # Egyptian cat
    assert main(["classify", str(path), "--crops", "10"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("ms (10 crops in one batch, softmax averaged)")


def test_classify_refuses_other_crop_counts(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["classify", "photo.png", "--crops", "5"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --crops: invalid choice: 5 (choose from 1, 10)" in err and err.count("\n") == 1
