"""The regimes on EfficientNet-Lite0: parameter counts by hand, frozen weights untouched bit for bit,
cached-feature training equal to end-to-end training with a frozen base, and the saved model."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.activations.feature_maps import grad_cam
from cnn_core.errors import ParameterError
from cnn_core.training.dataset import ImageSet
from cnn_core.training.regimes import (
    BLOCKS,
    CAM_LAYER,
    HEAD_NAME,
    Regime,
    build_base,
    build_classifier,
    flat_classifier,
    frozen_table,
    parameter_counts,
    parse_regime,
)
from cnn_core.training.trainer import Trainer, TrainSettings, predict
from cnn_core.training.transfer import AUGMENTED_COPIES, TransferTraining, save_classifier
from cnn_core.zoo.efficientnet_lite import PARAMETER_COUNT, STAGES

CLASSES = 2


def _conv_weights_by_hand() -> tuple[int, int]:
    """(kernel weights of every convolution, BN weights) of Lite0 from its stage table: stem 3x3x3x32,
    per block expand 1x1 (c·t·c when t > 1), depthwise k·k·c·t, project c·t·c_out; top 1x1 320→1280.
    Each BN has 4 values per channel (γ, β, moving mean, moving variance)."""
    conv = 3 * 3 * 3 * 32
    bn_channels = 32
    for repeats, kernel, _stride, expand, c_in, c_out in STAGES:
        for r in range(repeats):
            c = c_in if r == 0 else c_out
            hidden = c * expand
            conv += (c * hidden if expand > 1 else 0) + kernel * kernel * hidden + hidden * c_out
            bn_channels += (hidden if expand > 1 else 0) + hidden + c_out
    conv += 320 * 1280
    bn_channels += 1280
    return conv, 4 * bn_channels


def test_hand_count_matches_the_published_lite0_total():
    conv, bn = _conv_weights_by_hand()
    assert conv + bn + 1280 * 1000 + 1000 == PARAMETER_COUNT  # 4,694,024 with the ImageNet classifier


@pytest.mark.parametrize("kind", ["head", "full", "scratch"])
def test_trainable_and_frozen_counts(lite0, kind):
    conv, bn = _conv_weights_by_hand()
    head = 1280 * CLASSES + CLASSES
    model = build_classifier(build_base(lite0, Regime(kind), 224), CLASSES, seed=0)
    counts = parameter_counts(model)
    expected = {
        "head": (head, conv + bn),
        "full": (head + conv, bn),  # BN stays frozen when fine-tuning pretrained weights
        "scratch": (head + conv + bn // 2, bn // 2),  # γ, β train; moving statistics never do
    }[kind]
    assert (counts.trainable, counts.frozen) == expected


def test_partial_freezes_the_stem_and_exactly_the_first_k_blocks(lite0):
    k = 5
    base = build_base(lite0, Regime("partial", k), 224)
    for name, _count, frozen in frozen_table(base):
        in_frozen_part = name.startswith(("stem_", *(f"{b}_" for b in BLOCKS[:k])))
        assert frozen == (in_frozen_part or name.endswith("_bn")), name
    assert len(BLOCKS) == 16 and BLOCKS[k - 1] == "block3b" and BLOCKS[k] == "block4a"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("partial:0", "partial:K needs K in 1..16 \\(frozen MBConv blocks\\), got 0"),
        ("partial:17", "got 17"),
        ("partial", "partial:K needs a whole number K, got 'partial'"),
        ("head:3", "only partial takes ':K', got 'head:3'"),
        ("fine", "regime must be one of head, partial, full, scratch, got 'fine'"),
    ],
)
def test_bad_regimes_are_named(text, message):
    with pytest.raises(ParameterError, match=message):
        parse_regime(text)


def _few(data: ImageSet, per_class: int) -> ImageSet:
    keep = np.concatenate([np.flatnonzero(data.labels == c)[:per_class] for c in range(CLASSES)])
    return ImageSet(data.images[keep], data.labels[keep], data.class_names)


def test_frozen_weights_are_unchanged_bit_for_bit_and_the_rest_trains(lite0, small_textures):
    settings = TrainSettings(epochs=1, batch_size=4, learning_rate=1e-3, validation_fraction=0.0)
    run = TransferTraining(_few(small_textures, 4), Regime("partial", 14), settings, pretrained=lite0)
    before = {w.path: w.numpy().copy() for w in run.model.weights}
    list(run.epochs())
    frozen = {w.path for w in run.model.non_trainable_weights}
    changed = {path for path, value in before.items() if not np.array_equal(value, _value(run.model, path))}
    assert frozen and changed
    assert not frozen & changed
    assert {path for path in changed if "block7a" in path or "top_conv" in path or HEAD_NAME in path}
    # the shared ImageNet model the weights were copied from is untouched too
    stem = [model.get_layer("stem_conv").get_weights()[0] for model in (lite0, run.base)]
    assert np.array_equal(*stem)


def _value(model, path: str) -> np.ndarray:
    return next(w.numpy() for w in model.weights if w.path == path)


def test_cached_features_train_the_same_head_as_a_frozen_base_end_to_end(lite0, small_textures):
    data = _few(small_textures, 6)
    settings = TrainSettings(epochs=3, batch_size=4, learning_rate=1e-3, validation_fraction=0.0, seed=2)
    cached = TransferTraining(data, Regime("head"), settings, pretrained=lite0)
    list(cached.epochs())
    end_to_end = build_classifier(build_base(lite0, Regime("head"), 224), CLASSES, seed=2)
    list(Trainer(end_to_end, (data.images, data.labels), None, settings).epochs())
    kernel_cached, bias_cached = cached.model.get_layer(HEAD_NAME).get_weights()
    kernel_e2e, bias_e2e = end_to_end.get_layer(HEAD_NAME).get_weights()
    # The two differ only by float32 rounding of the base's features (batches of 32 vs 4: other conv
    # kernels), ~1e-6 relative; nine Adam steps of size ≤ lr move each weight by at most 9·lr = 9e-3,
    # and rounding can change a step only where a gradient component is near 0: bound 1e-4.
    np.testing.assert_allclose(kernel_cached, kernel_e2e, atol=1e-4)
    np.testing.assert_allclose(bias_cached, bias_e2e, atol=1e-4)
    assert np.abs(kernel_cached - end_to_end.get_layer(HEAD_NAME).get_weights()[0]).max() < 1e-4
    assert cached.feature_seconds is not None and cached.feature_seconds > 0


def test_saved_classifier_loads_in_safe_mode_and_predicts_the_same(lite0, small_textures, tmp_path):
    import keras

    settings = TrainSettings(epochs=2, batch_size=8, validation_fraction=0.25)
    run = TransferTraining(small_textures, Regime("head"), settings, pretrained=lite0)
    list(run.epochs())
    classifier = run.classifier()
    path = save_classifier(classifier, tmp_path / "textures.keras")
    loaded = keras.saving.load_model(path, safe_mode=True)
    photos = small_textures.images[::5].astype(np.float32)
    np.testing.assert_allclose(predict(loaded, photos), predict(classifier, photos), atol=1e-6)
    result = run.validation()
    assert result.matrix.sum() == len(run.val_idx) == 8  # a quarter of 2 x 16
    flat = flat_classifier(classifier)  # the same weights as one graph, for Grad-CAM
    np.testing.assert_array_equal(predict(flat, photos), predict(classifier, photos))
    heat = grad_cam(flat, photos[0], CAM_LAYER, 0)
    assert heat.shape == (7, 7) and (heat >= 0).all()
    with pytest.raises(ParameterError, match=r"must end in \.keras, got"):
        save_classifier(classifier, tmp_path / "model.h5")


def test_augmentation_switch_in_both_kinds_of_regime(lite0, small_textures):
    data = _few(small_textures, 3)
    settings = TrainSettings(epochs=1, batch_size=4, validation_fraction=0.34, augment=True)
    head = TransferTraining(data, Regime("head"), settings, pretrained=lite0)
    # the head regime caches features of each training photo and of AUGMENTED_COPIES draws of it, once
    assert head.trainer.x.shape == ((1 + AUGMENTED_COPIES) * len(head.train_idx), 1280)
    assert head.trainer.augment is None
    fine = TransferTraining(data, Regime("partial", 16), settings, pretrained=lite0)
    assert fine.trainer.augment is not None  # a fresh draw every epoch
    x = fine.trainer.x
    assert not np.array_equal(fine.trainer.augment(x, 1), x)
    np.testing.assert_array_equal(fine.trainer.augment(x, 1), fine.trainer.augment(x, 1))
    assert len(list(fine.epochs())) == 1
