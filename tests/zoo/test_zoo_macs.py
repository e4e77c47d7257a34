"""Multiply-adds of every conv and dense layer of the zoo, against a second, independent count."""

from __future__ import annotations

import argparse

import pytest

from tests.zoo.conftest import COURSE_MODELS


def _independent_macs(layer) -> int | None:
    """H_out·W_out·f·f·C_in·C_out from the layer's config and graph tensors (not from its weights)."""
    import keras

    config = layer.get_config()
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        _, h, w, _ = layer.output.shape
        fh, fw = config["kernel_size"]
        return h * w * fh * fw * layer.input.shape[-1] * config["depth_multiplier"]
    if isinstance(layer, keras.layers.Conv2D):
        _, h, w, c_out = layer.output.shape
        fh, fw = config["kernel_size"]
        return h * w * fh * fw * layer.input.shape[-1] * c_out // config["groups"]
    if isinstance(layer, keras.layers.Dense):
        return layer.input.shape[-1] * config["units"]
    if type(layer).__name__ == "ConnectionTableConv2D":  # LeNet-5's C3: 60 input connections of 5x5
        _, h, w, _ = layer.output.shape
        return h * w * 5 * 5 * sum(len(column) for column in config["table"])
    return None


@pytest.mark.parametrize("name", COURSE_MODELS)
def test_every_conv_and_dense_layer(name, zoo_model, zoo_summary):
    model, summary = zoo_model(name), zoo_summary(name)
    rows = {row.name: row for row in summary.rows}
    checked = 0
    for layer in model.layers:
        expected = _independent_macs(layer)
        if expected is not None:
            assert rows[layer.name].macs == expected, layer.name
            checked += 1
    assert checked == summary.depth
    assert summary.macs_complete


def test_course_sized_totals(zoo_summary):
    # widely quoted figures: VGG-16 ≈ 15.5 G, ResNet-50 ≈ 3.9 G, AlexNet (torchvision) ≈ 0.71 G multiply-adds
    assert zoo_summary("vgg16").macs == pytest.approx(15.47e9, rel=1e-3)
    assert zoo_summary("resnet50").macs == pytest.approx(3.87e9, rel=1e-2)
    assert zoo_summary("alexnet").macs == pytest.approx(0.714e9, rel=1e-2)


@pytest.mark.parametrize("name", COURSE_MODELS)
def test_summary_command_json_for_every_model(name, zoo_model, monkeypatch):
    from cnn_core.commands import summary as command

    monkeypatch.setattr(command, "build_model", zoo_model)
    payload = command.run(argparse.Namespace(model=name))
    assert set(payload) == {"model", "note", "total_params", "trainable_params", "macs", "layers"}
    assert payload["total_params"] == zoo_model(name).count_params()
    assert all(
        set(layer) == {"name", "type", "output_shape", "params", "macs"} for layer in payload["layers"]
    )
    assert sum(layer["params"] for layer in payload["layers"]) == payload["total_params"]
    assert payload["layers"][0]["output_shape"] == list(zoo_model(name).input.shape[1:])
