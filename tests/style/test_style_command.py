"""``python -m cnn_core style``: exact JSON fields, a PNG on disk, one-line errors with status 2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.__main__ import main
from cnn_core.images import encode_png, load_image, sample_image


@pytest.fixture
def images(tmp_path):
    content, style = tmp_path / "content.png", tmp_path / "style.png"
    content.write_bytes(encode_png(sample_image("chelsea")))
    style.write_bytes(encode_png(sample_image("coffee")))
    return content, style


@pytest.fixture
def shared_backbone(monkeypatch, backbone):
    """Reuse the session's EfficientNet instead of building one per command (12 s each here)."""
    import cnn_core.zoo.efficientnet_lite as lite

    monkeypatch.setattr(lite, "build_efficientnet_lite0", lambda *args, **kwargs: backbone)


@pytest.mark.parametrize("method", ["gatys", "multistyle:7"])
def test_json_fields_and_png(images, tmp_path, capsys, shared_backbone, method):
    out = tmp_path / "out.png"
    argv = ["style", *map(str, images), "-o", str(out), "--method", method, "--size", "64", "--steps", "3"]
    assert main([*argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"out", "ms", "final_costs"}
    assert set(result["final_costs"]) == {"content", "style", "total"}
    assert result["out"] == str(out) and result["ms"] > 0
    assert all(np.isfinite(value) for value in result["final_costs"].values())
    assert load_image(out).shape == (43, 64, 3)  # chelsea is 451x300 → 64x43


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--method", "multistyle:26"], "--method must be one of gatys, arbitrary, multistyle:N"),
        (["--method", "vgg"], "got 'vgg'"),
        (["--size", "5000"], "size must be between 32 and 1024 pixels, got 5000"),
        (["--steps", "0"], "steps must be between 1 and 2000, got 0"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(images, tmp_path, capsys, extra, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["style", *map(str, images), "-o", str(tmp_path / "o.png"), *extra])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_non_image_and_bad_output_path(images, tmp_path, capsys):
    not_image = tmp_path / "notes.png"
    not_image.write_text("hello")
    for argv in (
        ["style", str(not_image), str(images[1]), "-o", str(tmp_path / "o.png")],
        ["style", *map(str, images), "-o", str(tmp_path / "o.jpg")],
        ["style", *map(str, images), "-o", str(tmp_path / "missing" / "o.png")],
    ):
        with pytest.raises(SystemExit):
            main(argv)
    err = capsys.readouterr().err
    assert "not an image" in err and "must name a .png file" in err and "does not exist" in err


def test_text_output_says_what_was_written(images, tmp_path, capsys, shared_backbone):
    out = tmp_path / "painted.png"
    argv = ["style", *map(str, images), "-o", str(out), "--method", "multistyle:7", "--size", "64"]
    assert main(argv) == 0
    fields = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert list(fields) == ["wrote", "time", "J content", "J style", "J total"]
    assert fields["wrote"].strip() == str(out) and out.is_file()
