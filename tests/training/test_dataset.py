"""Data sets from class folders: every mode read, bad files skipped by name, bad layouts refused."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnn_core.errors import ParameterError
from cnn_core.training import dataset
from cnn_core.training.dataset import read_folder, sample_class, sample_set, split_indices, square_resize
from tests.corpus import image_files

SIZE = 32


def _save(path, image: Image.Image, fmt: str = "PNG", **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **options)


@pytest.fixture(scope="module")
def corpus():
    return {item.name: item for item in image_files()}


def test_mixed_modes_are_read_and_a_corrupt_file_is_skipped_by_name(tmp_path, corpus):
    rng = np.random.default_rng(0)
    noise = Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8))
    _save(tmp_path / "cats" / "grey.png", noise.convert("L"))
    _save(tmp_path / "cats" / "alpha.png", noise.convert("RGBA"))
    _save(tmp_path / "cats" / "cmyk.jpg", noise.convert("CMYK"), "JPEG")
    for name in ("sixteen_bit.png", "rotated.jpg", "truncated.jpg", "empty.png"):
        target = tmp_path / ("dogs" if name != "empty.png" else "cats") / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(corpus[name].data)
    (tmp_path / "dogs" / "notes.txt").write_text("not a photo, and not named like one")
    (tmp_path / ".hidden").mkdir()

    data = read_folder(tmp_path, size=SIZE)

    assert data.class_names == ("cats", "dogs")
    assert data.counts == [3, 2]
    assert data.images.shape == (5, SIZE, SIZE, 3) and data.images.dtype == np.uint8
    assert data.labels.tolist() == [0, 0, 0, 1, 1]
    assert len(data.skipped) == 2
    assert data.skipped[0].startswith("cats/empty.png: ") and "empty" in data.skipped[0]
    assert data.skipped[1].startswith("dogs/truncated.jpg: ") and "damaged or truncated" in data.skipped[1]


def test_a_class_whose_files_all_fail_is_named(tmp_path, corpus):
    _save(tmp_path / "good" / "a.png", Image.new("RGB", (8, 8)))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.png").write_bytes(corpus["notes.png"].data)
    with pytest.raises(ParameterError, match="class 'bad' has no usable image"):
        read_folder(tmp_path, size=SIZE)


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ({"only": 2}, "needs 2 to 10 classes, got 1 \\(only\\)"),
        ({"a": 1, "empty": 0}, "class 'empty' has no usable image"),
        ({f"c{i}": 1 for i in range(11)}, "needs 2 to 10 classes, got 11"),
    ],
)
def test_bad_layouts_are_refused(tmp_path, layout, message):
    for name, count in layout.items():
        (tmp_path / name).mkdir()
        for i in range(count):
            _save(tmp_path / name / f"{i}.png", Image.new("RGB", (8, 8)))
    with pytest.raises(ParameterError, match=message):
        read_folder(tmp_path, size=SIZE)


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(ParameterError, match="nowhere does not exist"):
        read_folder(tmp_path / "nowhere")


def test_five_hundred_photos_load_and_one_over_the_limit_is_refused_before_decoding(tmp_path, monkeypatch):
    for i in range(500):
        _save(tmp_path / ("a" if i % 2 else "b") / f"{i:03}.png", Image.new("RGB", (8, 8), (i % 256, 0, 0)))
    assert read_folder(tmp_path, size=8).counts == [250, 250]
    monkeypatch.setattr(dataset, "MAX_IMAGES", 499)
    monkeypatch.setattr(dataset, "load_image", lambda *a, **k: pytest.fail("decoded before the count check"))
    with pytest.raises(ParameterError, match="has 500 photos; the limit is 499"):
        read_folder(tmp_path, size=8)


def test_square_resize_keeps_the_centre_square():
    image = np.zeros((30, 60, 3), np.uint8)
    image[:, :15] = (255, 0, 0)
    image[:, 45:] = (0, 0, 255)
    image[:, 15:45] = (0, 200, 0)
    out = square_resize(image, 10)
    assert out.shape == (10, 10, 3)
    assert (out == (0, 200, 0)).all()


def test_split_is_stratified_disjoint_complete_and_seeded():
    labels = np.array([0] * 10 + [1] * 6 + [2] * 1)
    train, val = split_indices(labels, 0.25, seed=3)
    assert sorted([*train, *val]) == list(range(17))
    assert np.bincount(labels[val], minlength=3).tolist() == [round(2.5), round(1.5), 0]  # 2, 2, 0
    assert np.bincount(labels[train], minlength=3).tolist() == [8, 4, 1]
    again = split_indices(labels, 0.25, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip((train, val), again, strict=True))
    assert not np.array_equal(val, split_indices(labels, 0.25, seed=4)[1])
    with pytest.raises(ParameterError, match=r"validation fraction must be in \[0, 1\), got 1.0"):
        split_indices(labels, 1.0, seed=0)


def test_sample_classes_are_tiles_of_the_scikit_image_photos():
    from skimage import data

    brick = data.brick()  # (512, 512) grey
    tiles = sample_class("brick")
    assert len(tiles) == 16
    assert np.array_equal(tiles[5][..., 1], brick[128:256, 128:256])  # row 1, column 1
    assert all((tile[..., 0] == tile[..., 2]).all() for tile in tiles)
    assembled = sample_set(size=SIZE)
    assert assembled.class_names == ("brick", "grass", "gravel")
    assert assembled.counts == [16, 16, 16]
    with pytest.raises(ParameterError, match="unknown sample class 'wood'"):
        sample_class("wood")
