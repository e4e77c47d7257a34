"""EfficientNet-Lite0 in Keras reproduces the reference: weights copied exactly, TF-style padding, and the
published sanity predictions (docs/weights.md: chelsea → 285 Egyptian cat ≈ 0.79, coffee → 967
espresso ≈ 0.91)."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.activations.classify import classifier_input, classify
from cnn_core.errors import ImageError, ParameterError
from cnn_core.images import sample_image
from cnn_core.readers.torch_pickle import read_torch_legacy
from cnn_core.weights import weight_path
from cnn_core.zoo.efficientnet_lite import PARAMETER_COUNT, feature_extractor
from tests.numerics import assert_within, gamma


@pytest.fixture(scope="module")
def torch_state() -> dict[str, np.ndarray]:
    return read_torch_legacy(weight_path("efficientnet-lite0.pth"))


def test_every_float_of_the_file_is_in_the_model_once(lite0, torch_state):
    assert lite0.count_params() == PARAMETER_COUNT == 4_694_024
    file_floats = [t for t in torch_state.values() if t.dtype == np.float32]
    model_floats = [np.asarray(w) for w in lite0.weights]
    # layout-free fingerprints: the same multiset of array sizes and the same multiset of values, compared
    # sorted and exactly (a sum in another order would differ by rounding, differently on each CPU)
    assert sorted(t.size for t in file_floats) == sorted(w.size for w in model_floats)
    every_value = lambda arrays: np.sort(np.concatenate([a.ravel() for a in arrays]))  # noqa: E731
    np.testing.assert_array_equal(every_value(file_floats), every_value(model_floats))


def test_layouts_by_hand(lite0, torch_state):
    """torch conv (out, in, kh, kw) ↔ Keras (kh, kw, in, out); depthwise (C, 1, kh, kw) ↔ (kh, kw, C, 1)."""
    stem = np.asarray(lite0.get_layer("stem_conv").kernel)
    assert stem[2, 0, 1, 7] == torch_state["_conv_stem.weight"][7, 1, 2, 0]
    dw = np.asarray(lite0.get_layer("block6d_dwconv").kernel)  # block index 14 in the file
    assert dw[4, 3, 100, 0] == torch_state["_blocks.14._depthwise_conv.weight"][100, 0, 4, 3]
    fc = np.asarray(lite0.get_layer("logits").kernel)
    assert fc[1279, 999] == torch_state["_fc.weight"][999, 1279]
    bn = lite0.get_layer("top_bn")
    assert np.array_equal(np.asarray(bn.moving_variance), torch_state["_bn1.running_var"])
    assert bn.epsilon == 1e-3


def test_stem_matches_a_numpy_convolution_with_tf_same_padding(lite0, torch_state):
    """Stem = ReLU6(BN(conv3x3/2((x − 127)/128))), 'same' padding on a 224 input: 0 rows on top, 1 below."""
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, (224, 224, 3)).astype(np.float32)
    x = np.pad((image.astype(np.float64) - 127) / 128, ((0, 1), (0, 1), (0, 0)))  # (225, 225, 3)
    w = torch_state["_conv_stem.weight"].astype(np.float64)  # (32, 3, 3, 3)

    def conv(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return sum(
            np.einsum("hwc,oc->hwo", x[dy : dy + 223 : 2, dx : dx + 223 : 2], w[:, :, dy, dx])
            for dy in range(3) for dx in range(3)
        )  # fmt: skip

    g, b, m, v = (
        torch_state[f"_bn0.{k}"].astype(np.float64) for k in ("weight", "bias", "running_mean", "running_var")
    )
    scale = g / np.sqrt(v + 1e-3)
    expected = np.clip((conv(x, w) - m) * scale + b, 0, 6)  # float64: the reference to float32's rounding
    actual = np.asarray(feature_extractor(["stem_activation"], lite0)(image[None])["stem_activation"][0])
    # float32: the input scaling, 27 products and sums, then the batch norm (ε, rsqrt ≤ 2 ulp, ×γ, −μ, ×, +β):
    # ≤ 40 roundings of terms bounded by |scale|·(Σ|x w| + |μ|) + |β| (Higham eq. 3.5); ReLU6 adds none
    bound = gamma(40) * (np.abs(scale) * (conv(np.abs(x), np.abs(w)) + np.abs(m)) + np.abs(b))
    assert_within(actual, expected, bound)


@pytest.mark.parametrize(("name", "index", "label", "score"), [
    ("chelsea", 285, "Egyptian cat", 0.79), ("coffee", 967, "espresso", 0.91),
])  # fmt: skip
def test_sample_predictions_match_the_reference(lite0, name, index, label, score):
    top5 = classify(lite0, sample_image(name))
    assert top5[0]["index"] == index and top5[0]["label"] == label
    # docs/weights.md quotes two decimals: ± 0.005, and as much for how its run resized the picture;
    # float32 rounding moves the score by ~1e-6
    assert top5[0]["score"] == pytest.approx(score, abs=0.01)
    assert [p["score"] for p in top5] == sorted((p["score"] for p in top5), reverse=True)


def test_feature_extractor_takes_any_size_and_names_its_outputs(lite0):
    extractor = feature_extractor(["block2b_add", "block4c_add", "top_activation"], lite0)
    maps = extractor(np.zeros((1, 224, 224, 3), np.float32))
    assert {k: tuple(v.shape) for k, v in maps.items()} == {
        "block2b_add": (1, 56, 56, 24), "block4c_add": (1, 14, 14, 80), "top_activation": (1, 7, 7, 1280),
    }  # fmt: skip
    any_size = feature_extractor(["block3b_add"])  # its own weighted model, open input size
    assert tuple(any_size(np.zeros((1, 96, 160, 3), np.float32))["block3b_add"].shape) == (1, 12, 20, 40)
    with pytest.raises(
        ParameterError, match=r"layer_names must be layers of efficientnet_lite0, got \['conv9'\]"
    ):
        feature_extractor(["conv9"], lite0)


@pytest.mark.parametrize(("image", "message"), [
    (np.zeros((1, 1, 3), np.uint8), r"the image is 1x1 pixels; the ImageNet classifier needs at least 16x16"),
    (np.zeros((64, 64), np.uint8), r"must be \(H, W, 3\) uint8 RGB, got shape \(64, 64\)"),
    (np.zeros((64, 64, 3), np.float64), r"got shape \(64, 64, 3\) float64"),
])  # fmt: skip
def test_bad_images_are_refused_clearly(image, message):
    with pytest.raises(ImageError, match=message):
        classifier_input(image)
