"""Parameter totals and per-layer counts against keras.applications and published references."""

from __future__ import annotations

import pytest

# torchvision.models.alexnet: conv 11x11x3x64, 5x5x64x192, 3x3x192x384, 3x3x384x256, 3x3x256x256, FC
ALEXNET_LAYERS = {
    "conv1": 11 * 11 * 3 * 64 + 64,
    "conv2": 5 * 5 * 64 * 192 + 192,
    "conv3": 3 * 3 * 192 * 384 + 384,
    "conv4": 3 * 3 * 384 * 256 + 256,
    "conv5": 3 * 3 * 256 * 256 + 256,
    "fc6": 9216 * 4096 + 4096,
    "fc7": 4096 * 4096 + 4096,
    "fc8": 4096 * 1000 + 1000,
}
# LeCun et al. 1998, section II-B: trainable parameters per layer
LENET_1998_PAPER = {"c1": 156, "s2_scale": 12, "c3": 1516, "s4_scale": 32, "c5": 48120, "f6": 10164}
# torchvision GoogLeNet modules: (in, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj)
GOOGLENET_MODULES = [
    (192, 64, 96, 128, 16, 32, 32),
    (256, 128, 128, 192, 32, 96, 64),
    (480, 192, 96, 208, 16, 48, 64),
    (512, 160, 112, 224, 24, 64, 64),
    (512, 128, 128, 256, 24, 64, 64),
    (512, 112, 144, 288, 32, 64, 64),
    (528, 256, 160, 320, 32, 128, 128),
    (832, 256, 160, 320, 32, 128, 128),
    (832, 384, 192, 384, 48, 128, 128),
]


def _by_name(summary) -> dict[str, int]:
    return {row.name: row.params for row in summary.rows}


@pytest.mark.parametrize("name", ["vgg16", "vgg19", "resnet50"])
def test_totals_equal_keras_applications(name, zoo_summary, keras_reference):
    assert zoo_summary(name).total_params == keras_reference[name]


def test_published_totals(zoo_summary):
    assert zoo_summary("vgg16").total_params == 138_357_544
    assert zoo_summary("vgg19").total_params == 143_667_240
    assert zoo_summary("resnet50").total_params == 25_636_712
    assert zoo_summary("resnet50").non_trainable_params == 53_120
    assert zoo_summary("alexnet").total_params == 61_100_840
    assert zoo_summary("inception-v1").trainable_params == 6_624_904


def test_resnet50_trainable_split_matches_keras(zoo_summary, keras_reference):
    assert zoo_summary("resnet50").trainable_params == keras_reference["resnet50_trainable"]


def test_plain50_is_resnet50_without_its_shortcut_layers(zoo_summary, keras_reference):
    layers = keras_reference["resnet50_layers"]
    shortcut = sum(count for name, count in layers.items() if name.endswith(("_0_conv", "_0_bn")))
    assert shortcut == 2_788_096
    assert zoo_summary("plain50").total_params == keras_reference["resnet50"] - shortcut
    assert not any(row.type == "Add" for row in zoo_summary("plain50").rows)


def test_alexnet_matches_torchvision_layer_by_layer(zoo_summary):
    params = _by_name(zoo_summary("alexnet"))
    assert {name: params[name] for name in ALEXNET_LAYERS} == ALEXNET_LAYERS
    assert sum(ALEXNET_LAYERS.values()) == 61_100_840


def _googlenet_trainable(wide_kernel: int) -> int:
    """torchvision BasicConv2d = conv without bias (k·k·in·out) + BatchNorm weight and bias (2·out)."""

    def basic(cin: int, cout: int, k: int) -> int:
        return k * k * cin * cout + 2 * cout

    total = basic(3, 64, 7) + basic(64, 64, 1) + basic(64, 192, 3) + 1024 * 1000 + 1000
    for cin, c1, r3, c3, r5, c5, pool in GOOGLENET_MODULES:
        total += basic(cin, c1, 1) + basic(cin, r3, 1) + basic(r3, c3, 3) + basic(cin, r5, 1)
        total += basic(r5, c5, wide_kernel) + basic(cin, pool, 1)
    return total


def test_inception_matches_torchvision_googlenet(zoo_summary):
    summary = zoo_summary("inception-v1")
    assert _googlenet_trainable(3) == 6_624_904 == summary.trainable_params
    # Keras keeps BatchNorm's moving mean and variance as weights: 2 per channel
    bn_channels = sum(row.output_shape[-1] for row in summary.rows if row.type == "BatchNormalization")
    assert summary.non_trainable_params == 2 * bn_channels


def test_inception_with_the_papers_5x5_kernels():
    from cnn_core.architectures.summary import summarize
    from cnn_core.zoo.inception import build_inception_v1

    model = build_inception_v1(wide_kernel=5)
    assert summarize(model).trainable_params == _googlenet_trainable(5) == 7_005_832


def test_lenet5_course_version(zoo_summary):
    summary = zoo_summary("lenet5")
    params = _by_name(summary)
    assert params["fc3"] == 400 * 120 + 120 == 48_120
    assert [params[n] for n in ("conv1", "conv2", "fc3", "fc4", "softmax")] == [456, 2416, 48120, 10164, 850]
    assert summary.total_params == 62_006
    assert params["flatten"] == 0 and summary.rows[5].output_shape == (400,)


def test_lenet5_1998_matches_the_paper(zoo_summary):
    summary = zoo_summary("lenet5-1998")
    params = _by_name(summary)
    assert {name: params[name] for name in LENET_1998_PAPER} == LENET_1998_PAPER
    assert summary.trainable_params == 60_000
    assert summary.non_trainable_params == 84 * 10
    types = {row.type for row in summary.rows}
    assert "AveragePooling2D" in types and "MaxPooling2D" not in types
    assert {row.padding for row in summary.rows if row.kernel} == {"valid"}


def _shapes(summary, names) -> list:
    shapes = {row.name: row.output_shape for row in summary.rows}
    return [shapes[name] for name in names]


def test_output_shapes(zoo_summary):
    assert _shapes(zoo_summary("vgg16"), [f"block{b}_pool" for b in range(1, 6)]) == [
        (112, 112, 64),
        (56, 56, 128),
        (28, 28, 256),
        (14, 14, 512),
        (7, 7, 512),
    ]
    assert _shapes(zoo_summary("alexnet"), ["conv1", "pool1", "conv2", "pool2", "conv5", "pool5"]) == [
        (55, 55, 64),
        (27, 27, 64),
        (27, 27, 192),
        (13, 13, 192),
        (13, 13, 256),
        (6, 6, 256),
    ]
    assert _shapes(
        zoo_summary("resnet50"), ["pool1", "res2c_out", "res3d_out", "res4f_out", "res5c_out"]
    ) == [(56, 56, 64), (56, 56, 256), (28, 28, 512), (14, 14, 1024), (7, 7, 2048)]
    assert _shapes(zoo_summary("inception-v1"), ["pool2", "inception_3a_concat", "inception_5b_concat"]) == [
        (28, 28, 192),
        (28, 28, 256),
        (7, 7, 1024),
    ]
    assert _shapes(zoo_summary("lenet5-1998"), ["c1", "s2_scale", "c3", "s4_scale", "c5", "rbf_output"]) == [
        (28, 28, 6),
        (14, 14, 6),
        (10, 10, 16),
        (5, 5, 16),
        (1, 1, 120),
        (10,),
    ]


@pytest.mark.parametrize("name", ["lenet5", "resnet50", "inception-v1"])
def test_row_params_add_up_to_the_model_totals(name, zoo_summary):
    summary = zoo_summary(name)
    assert sum(row.params for row in summary.rows) == summary.total_params
    assert sum(row.trainable_params for row in summary.rows) == summary.trainable_params
