"""The zoo's paper versions of AlexNet and Inception v1, counted by hand from the papers' tables."""

from __future__ import annotations

import json
from functools import cache

import keras
import pytest

from cnn_core.__main__ import main
from cnn_core.architectures.keras_graph import weightless
from cnn_core.architectures.summary import ModelSummary, summarize
from cnn_core.zoo import ZOO, build_model
from cnn_core.zoo.inception import build_inception_v1

# Krizhevsky et al. 2012, Figure 2: (kernel, input channels seen by one filter, filters) per conv; conv2,
# conv4 and conv5 see only their own GPU's half of the previous layer (96/2, 384/2, 384/2)
ALEXNET_2012_CONVS = {
    "conv1": (11, 3, 96),
    "conv2": (5, 48, 256),
    "conv3": (3, 256, 384),
    "conv4": (3, 192, 384),
    "conv5": (3, 192, 256),
}
ALEXNET_2012_FCS = {"fc6": (6 * 6 * 256, 4096), "fc7": (4096, 4096), "fc8": (4096, 1000)}

# Szegedy et al. 2015 ("Going deeper with convolutions"), Table 1, inception rows:
# #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj
TABLE_1 = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}


@cache
def _summary(name: str) -> ModelSummary:
    with weightless():
        return summarize(build_model(name))


def _params(name: str) -> dict[str, int]:
    return {row.name: row.params for row in _summary(name).rows}


def _shapes(name: str) -> dict[str, tuple]:
    return {row.name: row.output_shape for row in _summary(name).rows}


def test_alexnet_2012_layer_by_layer_by_hand():
    by_hand = {name: (f * f * c_in + 1) * c_out for name, (f, c_in, c_out) in ALEXNET_2012_CONVS.items()}
    by_hand |= {name: (n + 1) * m for name, (n, m) in ALEXNET_2012_FCS.items()}
    assert by_hand == {
        "conv1": 34_944,
        "conv2": 307_456,
        "conv3": 885_120,
        "conv4": 663_936,
        "conv5": 442_624,
        "fc6": 37_752_832,
        "fc7": 16_781_312,
        "fc8": 4_097_000,
    }
    assert sum(by_hand.values()) == 60_965_224  # the commonly cited count of the two-GPU network
    params = _params("alexnet-2012")
    assert {name: params[name] for name in by_hand} == by_hand
    assert _summary("alexnet-2012").total_params == 60_965_224 == _summary("alexnet-2012").trainable_params


def test_alexnet_2012_grouped_convs_match_keras_groups_and_the_ungrouped_count():
    with weightless():
        grouped = keras.layers.Conv2D(256, 5, padding="same", groups=2)
        grouped.build((None, 27, 27, 96))
        ungrouped = {}
        for name, (f, c_in, c_out) in ALEXNET_2012_CONVS.items():
            full_input = c_in * 2 if name in ("conv2", "conv4", "conv5") else c_in
            layer = keras.layers.Conv2D(c_out, f)
            layer.build((None, 32, 32, full_input))
            ungrouped[name] = layer.count_params()
    assert grouped.count_params() == 307_456 == _params("alexnet-2012")["conv2"]
    fcs = sum((n + 1) * m for n, m in ALEXNET_2012_FCS.values())
    assert sum(ungrouped.values()) + fcs == 62_378_344  # the course slide's single-stream drawing


def test_alexnet_2012_shapes_on_227_inputs():
    shapes = _shapes("alexnet-2012")
    assert [
        shapes[n] for n in ("conv1", "pool1", "conv2", "pool2", "conv3", "conv5", "pool5", "flatten")
    ] == [
        (55, 55, 96),  # (227 - 11) / 4 + 1
        (27, 27, 96),
        (27, 27, 256),
        (13, 13, 256),
        (13, 13, 384),
        (13, 13, 256),
        (6, 6, 256),
        (9216,),
    ]
    # each grouped filter multiplies f·f·C_in/2 inputs per output position
    macs = {row.name: row.macs for row in _summary("alexnet-2012").rows}
    assert macs["conv2"] == 27 * 27 * 256 * 5 * 5 * 48


def _inception_inputs() -> dict[str, int]:
    """Input channels of each module: the previous module's four branches concatenated (192 for 3a)."""
    channels, inputs = 192, {}
    for name, (c1, _, c3, _, c5, pool) in TABLE_1.items():
        inputs[name] = channels
        channels = c1 + c3 + c5 + pool
    return inputs


def _conv(f: int, c_in: int, c_out: int) -> int:
    return (f * f * c_in + 1) * c_out


def test_inception_v1_paper_count_by_hand_from_table_1():
    inputs = _inception_inputs()
    stem = _conv(7, 3, 64) + _conv(1, 64, 64) + _conv(3, 64, 192)  # conv 7x7/2, conv 3x3 with its reduce
    modules = {
        name: _conv(1, inputs[name], c1)
        + _conv(1, inputs[name], r3)
        + _conv(3, r3, c3)
        + _conv(1, inputs[name], r5)
        + _conv(5, r5, c5)
        + _conv(1, inputs[name], pool)
        for name, (c1, r3, c3, r5, c5, pool) in TABLE_1.items()
    }
    linear = 1024 * 1000 + 1000
    total = stem + sum(modules.values()) + linear
    assert total == 6_998_552
    summary = _summary("inception-v1-paper")
    assert summary.total_params == summary.trainable_params == total
    params = _params("inception-v1-paper")
    assert params["inception_3a_5x5"] == 5 * 5 * 16 * 32 + 32
    module_params = {
        name: sum(count for layer, count in params.items() if layer.startswith(f"inception_{name}_"))
        for name in TABLE_1
    }
    assert module_params == modules
    # Table 1's "params" column lists 4c as 463K, but its filter columns give 509,440 weights
    c1, r3, c3, r5, c5, pool = TABLE_1["4c"]
    assert 512 * (c1 + r3 + r5 + pool) + 9 * r3 * c3 + 25 * r5 * c5 == 509_440


def test_the_two_inception_versions_differ_by_the_5x5_kernels():
    """(5·5 − 3·3)·reduce5·n5 weights per module; the paper's biases replace BatchNorm's 2 per channel."""
    kernels = sum((5 * 5 - 3 * 3) * r5 * c5 for _, _, _, r5, c5, _ in TABLE_1.values())
    assert kernels == 380_928
    with weightless():
        bn_five = summarize(build_inception_v1(wide_kernel=5)).trainable_params
    assert bn_five - _summary("inception-v1").trainable_params == kernels
    channels = 64 + 64 + 192 + sum(sum(row) for row in TABLE_1.values())
    paper, torchvision = _summary("inception-v1-paper"), _summary("inception-v1")
    assert paper.trainable_params - torchvision.trainable_params == kernels - channels
    kernel_of = {row.name: row.kernel for row in paper.rows}
    assert {kernel_of[f"inception_{name}_5x5"] for name in TABLE_1} == {"5x5"}
    assert {row.kernel for row in torchvision.rows if row.name.endswith("_5x5")} == {"3x3"}
    shapes = _shapes("inception-v1-paper")
    assert (shapes["pool_4e"], shapes["inception_5b_concat"], shapes["fc"]) == (
        (7, 7, 832),
        (7, 7, 1024),
        (1000,),
    )


def test_notes_name_the_departures_from_the_papers():
    assert "are 3x3 here" in ZOO["inception-v1"].note and "inception-v1-paper" in ZOO["inception-v1"].note
    assert "alexnet-2012 (60,965,224)" in ZOO["alexnet"].note
    assert "60,965,224" in ZOO["alexnet-2012"].reference and "160M" in ZOO["alexnet-2012"].reference
    assert "no parameters" in ZOO["alexnet-2012"].note and "no parameters" in ZOO["inception-v1-paper"].note


@pytest.mark.parametrize(("name", "total"), [("inception-v1", 6_639_464), ("inception-v1-paper", 6_998_552)])
def test_summary_command_shows_the_note(capsys, name, total):
    main(["summary", name, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert payload["total_params"] == total and payload["note"] == ZOO[name].note
    main(["summary", name])
    text = capsys.readouterr().out
    assert f"Model: {payload['model']}\nNote: {ZOO[name].note}\n" in text


def test_summary_json_has_a_null_note_for_a_faithful_model(capsys):
    main(["summary", "lenet5", "--json"])
    assert json.loads(capsys.readouterr().out)["note"] is None


def test_summary_lists_the_new_models(capsys):
    with pytest.raises(SystemExit):
        main(["summary", "--help"])
    out = capsys.readouterr().out
    assert "alexnet-2012" in out and "inception-v1-paper" in out
