"""Opening a user's .keras file: a real round trip, and every refused kind of file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import keras
import pytest
from keras import layers

from cnn_core.architectures import model_file as model_file
from cnn_core.architectures.model_file import load_keras_model
from cnn_core.architectures.summary import summarize
from cnn_core.errors import ModelFileError


def _saved(model: keras.Model, tmp_path: Path) -> bytes:
    path = tmp_path / "model.keras"
    model.save(path)
    return path.read_bytes()


def _rewritten(data: bytes, **members: bytes) -> bytes:
    """The archive ``data`` with some members replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, members.get(info.filename, source.read(info.filename)))
    return out.getvalue()


@pytest.fixture(scope="module")
def small_keras(tmp_path_factory) -> bytes:
    inputs = keras.Input((16, 16, 3))
    x = layers.Conv2D(4, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    outputs = layers.Dense(2)(layers.Flatten()(x))
    return _saved(keras.Model(inputs, outputs, name="small"), tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def lambda_keras(tmp_path_factory) -> bytes:
    model = keras.Sequential([keras.Input((3,)), layers.Lambda(lambda t: t * 2)])
    return _saved(model, tmp_path_factory.mktemp("lambda"))


def test_round_trip_gives_the_same_table(small_keras):
    model = load_keras_model(small_keras)
    summary = summarize(model)
    assert summary.name == "small"
    assert summary.total_params == (27 * 4 + 4) + 4 * 4 + (14 * 14 * 4 * 2 + 2)


def test_zoo_model_with_custom_layers_round_trips(tmp_path):
    from cnn_core.zoo.lenet5 import build_lenet5_1998

    summary = summarize(load_keras_model(_saved(build_lenet5_1998(), tmp_path)))
    assert (summary.trainable_params, summary.non_trainable_params) == (60_000, 840)


def test_lambda_layer_is_refused(lambda_keras):
    with pytest.raises(ModelFileError, match=r"Lambda layer, i\.e\. Python code; it is refused"):
        load_keras_model(lambda_keras)


def test_keras_safe_mode_refuses_lambda_even_without_our_check(lambda_keras, monkeypatch):
    monkeypatch.setattr(model_file, "check_config", lambda config: None)
    with pytest.raises(ModelFileError, match=r"Keras could not load the model: .*Lambda"):
        load_keras_model(lambda_keras)


def test_classes_from_other_modules_are_refused(small_keras):
    with zipfile.ZipFile(io.BytesIO(small_keras)) as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][1]["module"] = "subprocess"
    bad = _rewritten(small_keras, **{"config.json": json.dumps(config).encode()})
    with pytest.raises(ModelFileError, match="from module 'subprocess'; only Keras layers"):
        load_keras_model(bad)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the model file is empty"),
        (b"PK\x03\x04 not really a zip", "this is not a .keras file"),
        (b"\x89HDF\r\n\x1a\n" + bytes(100), "this is not a .keras file"),
    ],
)
def test_files_that_are_not_keras_archives(data, message):
    with pytest.raises(ModelFileError, match=message):
        load_keras_model(data)


def test_size_cap(small_keras):
    with pytest.raises(
        ModelFileError, match=f"the model file has {len(small_keras):,} bytes; the limit is 1,000"
    ):
        load_keras_model(small_keras, max_bytes=1000)


def test_zip_bomb_is_refused(small_keras, monkeypatch):
    monkeypatch.setattr(model_file, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ModelFileError, match=r"unpacks to [\d,]+ bytes; the limit is 1,000"):
        load_keras_model(small_keras)


def test_missing_member_and_corrupt_parts(small_keras):
    only_config = io.BytesIO()
    with zipfile.ZipFile(only_config, "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(ModelFileError, match=r"lacks model.weights.h5; is it a Keras 3 model\?"):
        load_keras_model(only_config.getvalue())
    with pytest.raises(ModelFileError, match=r"the \.keras archive is corrupt"):
        load_keras_model(_rewritten(small_keras, **{"config.json": b"{not json"}))
    with pytest.raises(ModelFileError, match="Keras could not load the model"):
        load_keras_model(_rewritten(small_keras, **{"model.weights.h5": b"garbage" * 100}))
