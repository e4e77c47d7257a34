"""The weights manifest: found and verified, or one clear message naming the install command."""

from __future__ import annotations

import dataclasses

import pytest

from cnn_core import weights
from cnn_core.errors import WeightsError
from cnn_core.weights import MANIFEST, sha256_of, weight_path


def test_package_weights_are_found_and_verified():
    path = weight_path("efficientnet-lite0.pth")
    assert path.name == "efficientnet-lite0-57934424.pth"
    assert sha256_of(path) == MANIFEST["efficientnet-lite0.pth"].sha256


def test_asset_weights_are_found_and_verified():
    path = weight_path("lenet5-mnist.npz")
    assert path.parent.name == "lenet5" and path.stat().st_size == MANIFEST["lenet5-mnist.npz"].size


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(WeightsError, match=r"unknown weights 'vgg16\.h5'; known: yolov3-tiny\.weights, "):
        weight_path("vgg16.h5")


def test_missing_package_names_the_package_and_make_setup(monkeypatch):
    entry = dataclasses.replace(MANIFEST["efficientnet-lite0.pth"], package="no_such_weights_package")
    monkeypatch.setitem(MANIFEST, entry.name, entry)
    with pytest.raises(WeightsError, match=r"pip package 'no_such_weights_package'.*run `make setup`"):
        weight_path(entry.name)


def test_missing_file_names_make_setup(monkeypatch, tmp_path):
    monkeypatch.setattr(weights, "ASSETS_DIR", tmp_path)
    with pytest.raises(WeightsError, match=r"lenet5-mnist.npz is missing; run `make setup`"):
        weight_path("lenet5-mnist.npz")


def test_wrong_sha256_is_refused(monkeypatch):
    entry = dataclasses.replace(MANIFEST["coco.names"], sha256="0" * 64)
    monkeypatch.setitem(MANIFEST, entry.name, entry)
    with pytest.raises(
        WeightsError, match=r"does not match its recorded sha256 .* reinstall with `make setup`"
    ):
        weight_path(entry.name)


def test_altered_file_of_the_right_size_is_refused(monkeypatch, tmp_path):
    original = weight_path("coco.names").read_bytes()
    altered = tmp_path / "lenet5" / "coco.names"
    altered.parent.mkdir()
    altered.write_bytes(original.replace(b"person", b"persoN"))
    entry = dataclasses.replace(MANIFEST["coco.names"], package=None, relative_path="lenet5/coco.names")
    monkeypatch.setattr(weights, "ASSETS_DIR", tmp_path)
    monkeypatch.setitem(MANIFEST, entry.name, entry)
    with pytest.raises(WeightsError, match="does not match its recorded sha256"):
        weight_path(entry.name)
