"""Build your own network: shapes by the floor rule, precise errors, and the built Keras model."""

from __future__ import annotations

import re

import pytest

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.zoo.custom import MAX_LAYERS, LayerSpec, build_custom, count_params, layer_shapes

COURSE = [
    LayerSpec("conv", 6, 5),
    LayerSpec("maxpool", f=2, s=2),
    LayerSpec("conv", 16, 5),
    LayerSpec("maxpool", f=2, s=2),
    LayerSpec("fc", 120),
    LayerSpec("fc", 84),
    LayerSpec("fc", 10),
]


def test_course_network_shapes_and_params():
    assert layer_shapes((32, 32, 3), COURSE) == [
        (28, 28, 6),
        (14, 14, 6),
        (10, 10, 16),
        (5, 5, 16),
        (120,),
        (84,),
        (10,),
    ]
    assert count_params((32, 32, 3), COURSE) == 456 + 2416 + 48120 + 10164 + 850


def test_built_model_matches_the_analytic_count():
    model = build_custom((32, 32, 3), COURSE)
    assert model.count_params() == count_params((32, 32, 3), COURSE)
    assert tuple(model.output.shape) == (None, 10)


def test_padding_and_stride():
    specs = [LayerSpec("conv", 4, 3, s=2, p=1), LayerSpec("avgpool", f=3, s=1, p=1)]
    assert layer_shapes((7, 9, 3), specs) == [(4, 5, 4), (4, 5, 4)]
    model = build_custom((7, 9, 3), specs)
    assert tuple(model.output.shape) == (None, 4, 5, 4)


@pytest.mark.parametrize(
    ("specs", "error", "message"),
    [
        (
            [LayerSpec("conv", 8, 5), LayerSpec("maxpool", f=2, s=2), LayerSpec("conv", 8, 5)],
            ShapeError,
            "layer 3 (conv 5x5, s=1, p=0, 8 filters) gets a 3x3x8 input: the filter spans 5 pixels but the "
            "padded input has only 3",
        ),
        (
            [LayerSpec("fc", 10), LayerSpec("conv", 8, 3)],
            ShapeError,
            "layer 2 (conv 3x3, s=1, p=0, 8 filters) needs an H x W x C volume but follows a fully connected",
        ),
        (
            [LayerSpec("conv", 8, 3, s=0)],
            ParameterError,
            "layer 1 (conv 3x3, s=0, p=0, 8 filters) gets a 10x10x3 input: stride must be ≥ 1, got 0",
        ),
        ([LayerSpec("conv", 0, 3)], ParameterError, "size must be ≥ 1, got 0"),
        (
            [LayerSpec("pool", f=2)],
            ParameterError,
            "kind must be one of conv, maxpool, avgpool, fc, got 'pool'",
        ),
        ([], ParameterError, f"a network needs 1 to {MAX_LAYERS} layers, got 0"),
    ],
)
def test_impossible_networks_fail_before_building(specs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        layer_shapes((10, 10, 3), specs)


def test_huge_networks_are_refused_before_building():
    with pytest.raises(
        ParameterError, match=r"would have 1,073,745,920 parameters; the builder allows 20,000,000"
    ):
        build_custom((64, 64, 64), [LayerSpec("fc", 4096)])
    message = "layer 1 (fc 4096) gets a 224x224x64 input: inputs must be ≤ 1,000,000, got 3,211,264"
    with pytest.raises(ParameterError, match=re.escape(message)):
        build_custom((224, 224, 64), [LayerSpec("fc", 4096)])
