"""Opening a user's .keras file: a real round trip, and every refused kind of file."""

from __future__ import annotations

import io
import json
import resource
import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest
from keras import layers

from cnn_core.architectures import model_file as model_file
from cnn_core.architectures.model_file import MAX_PARAMS, count_parameters, load_keras_model
from cnn_core.architectures.summary import summarize
from cnn_core.errors import ModelFileError
from tests.corpus import keras_files, tiny_dense_weights


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


@pytest.mark.parametrize("file", keras_files(), ids=lambda file: file.name)
def test_every_corpus_keras_file(file):
    if file.expect is None:
        kernel, bias = tiny_dense_weights()
        model = load_keras_model(file.data)
        np.testing.assert_array_equal(model.get_layer("fc").kernel.numpy(), kernel)
        np.testing.assert_array_equal(model.get_layer("fc").bias.numpy(), bias)
        return
    with pytest.raises(ModelFileError) as refused:
        load_keras_model(file.data)
    assert file.expect in str(refused.value) and "\n" not in str(refused.value)


def _config(model: keras.Model) -> dict:
    """The model's config.json as a saved .keras file holds it."""
    return json.loads(json.dumps(keras.saving.serialize_keras_object(model)))


def test_parameters_are_counted_from_the_config_as_by_hand():
    words = keras.Input((10,), dtype="int32")
    x = layers.Embedding(1000, 16)(words)  # 1000·16 = 16,000
    x = layers.LSTM(32)(x)  # 4 gates · (16·32 + 32·32 + 32) = 6,272
    text = keras.Model(words, layers.Dense(10)(x))  # 32·10 + 10 = 330
    assert count_parameters(_config(text)) == 16_000 + 6_272 + 330
    image = keras.Input((16, 16, 3))
    x = layers.Conv2D(8, 3)(image)  # 3·3·3·8 + 8 = 224
    x = layers.BatchNormalization()(x)  # γ, β, mean, variance: 4·8 = 32
    x = layers.DepthwiseConv2D(3)(x)  # 3·3·8 + 8 = 80
    vision = keras.Model(image, layers.Dense(2)(layers.GlobalAveragePooling2D()(x)))  # 8·2 + 2 = 18
    assert count_parameters(_config(vision)) == 224 + 32 + 80 + 18


@pytest.mark.parametrize(
    ("name", "published"),
    [("resnet50", 25_636_712), ("alexnet", 61_100_840), ("lenet5-1998", 60_840)],
)
def test_zoo_configs_count_their_published_totals(name, published):
    """keras.applications.ResNet50, torchvision's AlexNet, LeCun et al. 1998 (60,000 + 840 RBF centres)."""
    from cnn_core.zoo import build_model

    assert count_parameters(_config(build_model(name))) == published


def test_every_zoo_model_is_within_the_limit():
    assert MAX_PARAMS > 143_667_240  # VGG-19, the largest zoo model (keras.applications.VGG19)


def test_a_memory_bomb_is_refused_before_keras_builds_anything(monkeypatch):
    """13 kB declaring one 400 M-parameter Dense layer (1.6 GB as float32): refused from the config."""
    bomb = next(file for file in keras_files() if file.name == "huge_dense.keras")

    def never(*args, **kwargs):
        raise AssertionError("keras.saving.load_model must not be reached")

    monkeypatch.setattr(keras.saving, "load_model", never)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    with pytest.raises(ModelFileError, match=r"400,400,000 parameters .*; the limit is 150,000,000"):
        load_keras_model(bomb.data)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200_000  # far below 1.6 GB
