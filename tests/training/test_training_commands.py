"""``train`` and ``augment`` on the command line: JSON fields, files on disk, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.__main__ import main
from cnn_core.images import encode_png, load_image, sample_image
from cnn_core.training.augment import TECHNIQUES
from cnn_core.training.dataset import sample_class


@pytest.fixture
def shared_lite0(monkeypatch, lite0):
    """Copy the session's ImageNet weights instead of reading the weight file per command."""
    import cnn_core.training.regimes as regimes

    real = regimes.build_efficientnet_lite0
    monkeypatch.setattr(
        regimes,
        "build_efficientnet_lite0",
        lambda *a, weights=True: lite0 if weights else real(*a, weights=False),
    )


@pytest.fixture
def data_dir(tmp_path):
    root = tmp_path / "textures"
    for name in ("brick", "grass"):
        (root / name).mkdir(parents=True)
        for i, tile in enumerate(sample_class(name)[:4]):
            (root / name / f"{i}.png").write_bytes(encode_png(tile))
    (root / "grass" / "broken.jpg").write_bytes(b"\xff\xd8\xff")
    return root


def test_train_json_fields_model_file_and_skipped_file(data_dir, tmp_path, capsys, shared_lite0):
    import keras

    out = tmp_path / "textures.keras"
    argv = ["train", str(data_dir), "--regime", "head", "--epochs", "2", "--batch-size", "4", "-o", str(out)]
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    assert (
        captured.err.strip() == "error: skipped grass/broken.jpg: the file is not an image that can be read "
        "(try PNG, JPEG, GIF, BMP, TIFF or WebP)"
    )
    result = json.loads(captured.out)
    assert result["classes"] == ["brick", "grass"] and result["photos"] == [4, 4]
    assert result["regime"] == "head" and result["trainable"] == 1280 * 2 + 2
    assert [epoch["epoch"] for epoch in result["epochs"]] == [1, 2]
    assert np.array(result["confusion"]).sum() == 2  # one validation photo per class (a quarter of 4)
    assert set(result["per_class"]) == {"brick", "grass"}
    assert result["feature_seconds"] > 0 and result["seconds"] > 0
    model = keras.saving.load_model(out, safe_mode=True)
    assert model.output_shape == (None, 2)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--regime", "partial:99"], "partial:K needs K in 1..16"),
        (["--epochs", "0"], "epochs must be in 1..500, got 0"),
        (["--lr", "-1"], "learning rate must be in (0, 1e12], got -1.0"),
        (["-o", "model.h5"], "the model file must end in .keras, got 'model.h5'"),
    ],
)
def test_train_bad_arguments_exit_2_with_one_line(data_dir, capsys, extra, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", str(data_dir), *extra])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_train_one_class_only_is_refused(tmp_path, capsys):
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "a.png").write_bytes(encode_png(np.zeros((8, 8, 3), np.uint8)))
    with pytest.raises(SystemExit):
        main(["train", str(tmp_path)])
    assert "a data set needs 2 to 10 classes, got 1 (only)" in capsys.readouterr().err


def test_augment_writes_n_pngs_and_the_colour_pca(tmp_path, capsys):
    photo = tmp_path / "cat.png"
    photo.write_bytes(encode_png(sample_image("chelsea")[::4, ::4]))
    out = tmp_path / "draws"
    assert main(["augment", str(photo), "--technique", "rotation", "-n", "3", "-o", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["files"] == [str(out / f"cat_rotation_{i}.png") for i in (1, 2, 3)]
    assert all(load_image(path).shape == (75, 113, 3) for path in result["files"])
    assert result["layers"] == TECHNIQUES["rotation"]
    values = result["pca_eigenvalues"]
    assert values == sorted(values, reverse=True) and all(v >= 0 for v in values)
    for vector in result["pca_eigenvectors"]:
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--technique", "blur"], "--technique must be one of mirror, crop"),
        (["--technique", "pca", "-n", "0"], "-n must be in 1..64, got 0"),
        (["--technique", "pca", "--pca-sigma", "-1"], "--pca-sigma must be in [0, 100], got -1.0"),
    ],
)
def test_augment_bad_arguments(tmp_path, capsys, extra, message):
    photo = tmp_path / "p.png"
    photo.write_bytes(encode_png(np.zeros((8, 8, 3), np.uint8)))
    with pytest.raises(SystemExit) as exit_info:
        main(["augment", str(photo), "-o", str(tmp_path / "out"), *extra])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
