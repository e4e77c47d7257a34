"""10-crop evaluation and the two-LeNet ensemble against hand-computed geometry, TensorFlow's own crop and
flip ops, exact sums, and the held-out MNIST figures the page publishes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnn_core.activations.ensemble import (
    ENSEMBLE_SEEDS,
    ensemble_members,
    ensemble_score,
    member_probabilities,
)
from cnn_core.activations.multicrop import (
    CROP_NAMES,
    average_softmax,
    shorter_side_shape,
    ten_crop_boxes,
    ten_crop_classify,
    ten_crops,
)
from cnn_core.errors import ImageError, ParameterError, ShapeError
from cnn_core.images import sample_image
from tests.numerics import U64, gamma

#: ImageNet's five domestic-cat classes: tabby, tiger cat, Persian, Siamese, Egyptian cat
CAT_CLASSES = range(281, 286)


@pytest.fixture(scope="module")
def members():
    return ensemble_members()


@pytest.fixture(scope="module")
def held_out():
    from cnn_core.zoo.lenet5_mnist import mnist_split

    _, x_test, _, y_test = mnist_split()
    return x_test, y_test


def test_ten_crop_boxes_by_hand():
    """A 256x341 picture (a 480x640 photo with its shorter side at 256), 224x224 crops: the last top is
    256 − 224 = 32, the last left 341 − 224 = 117, the centre ⌊32/2⌋, ⌊117/2⌋ = (16, 58)."""
    boxes = ten_crop_boxes(256, 341, 224)
    assert boxes.shape == (10, 4)
    tops_lefts = [(16, 58), (0, 0), (0, 117), (32, 0), (32, 117)]
    assert [tuple(b[:2]) for b in boxes[:5]] == tops_lefts
    assert [tuple(b[2:]) for b in boxes[:5]] == [(top + 224, left + 224) for top, left in tops_lefts]
    assert np.array_equal(boxes[5:], boxes[:5])  # the mirrored views are cut at the same places
    assert CROP_NAMES[0] == "centre" and CROP_NAMES[9] == "bottom right, mirrored"
    assert ten_crop_boxes(224, 224, 224).tolist() == [[0, 0, 224, 224]] * 10  # nowhere to move


@pytest.mark.parametrize(("height", "width", "side", "expected"), [
    (480, 640, 256, (256, 341)),  # 640 · 256 / 480 = 341.33
    (300, 451, 256, (256, 385)),  # chelsea: 451 · 256 / 300 = 384.85
    (600, 512, 256, (300, 256)),  # grace_hopper, portrait: 600 · 256 / 512 = 300
    (300, 451, 224, (224, 337)),  # 451 · 224 / 300 = 336.75
    (512, 512, 288, (288, 288)),
])  # fmt: skip
def test_shorter_side_shape(height, width, side, expected):
    assert shorter_side_shape(height, width, side) == expected


def test_ten_crops_are_the_boxes_and_mirrors_are_exact_flips():
    import tensorflow as tf

    image = np.random.default_rng(0).random((256, 341, 3), dtype=np.float32)
    views = ten_crops(image, 224)
    assert views.shape == (10, 224, 224, 3)
    for k, (top, left) in enumerate([(16, 58), (0, 0), (0, 117), (32, 0), (32, 117)]):
        crop = tf.image.crop_to_bounding_box(image, top, left, 224, 224).numpy()
        assert np.array_equal(views[k], crop), CROP_NAMES[k]
        assert np.array_equal(views[k + 5], tf.image.flip_left_right(crop).numpy()), CROP_NAMES[k + 5]
        assert np.array_equal(views[k + 5], views[k][:, ::-1])


def test_average_softmax_is_the_mean():
    """Against an exactly rounded sum (math.fsum) divided by K: float64 summation of K terms errs by at
    most γ_K · Σ|p| (Higham, Lemma 3.1)."""
    p = np.random.default_rng(1).dirichlet(np.ones(1000), size=10)  # (10, 1000), rows sum to 1
    average = average_softmax(p)
    exact = np.array([math.fsum(p[:, c]) / 10 for c in range(1000)])
    assert np.all(np.abs(average - exact) <= gamma(10, U64) * p.sum(axis=0) / 10 + U64 * exact)
    assert average_softmax(p[:1]).tolist() == p[0].tolist()


def test_bad_arguments_are_explained():
    with pytest.raises(ShapeError, match="a 224x224 crop does not fit a 200x300 picture"):
        ten_crop_boxes(200, 300, 224)
    with pytest.raises(ShapeError, match=r"image must be \(H, W, C\), got shape \(4, 4\)"):
        ten_crops(np.zeros((4, 4)), 2)
    with pytest.raises(ParameterError, match="must be ≥ 0 and sum to 1"):
        average_softmax(np.array([[2.0, -1.0]]))
    with pytest.raises(ShapeError, match=r"got shape \(3,\)"):
        average_softmax(np.array([0.2, 0.3, 0.5]))
    with pytest.raises(ParameterError, match="sizes must be ≥ 1, got 0x10"):
        shorter_side_shape(0, 10)


def test_bad_pictures_and_sides(lite0):
    with pytest.raises(ImageError, match="the image is 8x8 pixels; the ImageNet classifier needs"):
        ten_crop_classify(lite0, np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ParameterError, match="shorter side must be ≥ the 224-pixel crop, got 200"):
        ten_crop_classify(lite0, sample_image("chelsea"), side=200)


def test_chelsea_ten_crops_in_one_batch_average_to_a_cat(lite0):
    """scikit-image's chelsea (300x451): resized to 256x385, ten crops through EfficientNet-Lite0 in one
    call of a batch of 10; the averaged top-1 is a cat class."""
    import tensorflow as tf

    calls = []

    def counted(x, training):
        calls.append(x.shape)
        return lite0(x, training=training)

    image = sample_image("chelsea")
    result = ten_crop_classify(counted, image)
    assert calls == [(10, 224, 224, 3)]
    assert result.resized.shape == (256, 385, 3)
    reference = tf.image.resize(image.astype(np.float32), (256, 385)).numpy()  # the size by hand
    assert np.array_equal(result.resized, reference)
    assert [tuple(b[:2]) for b in result.boxes[:5]] == [(16, 80), (0, 0), (0, 161), (32, 0), (32, 161)]
    assert result.probabilities.shape == (10, 1000)
    exact = np.array([math.fsum(result.probabilities[:, c]) / 10 for c in range(1000)])
    assert np.allclose(result.average, exact, rtol=gamma(10, U64), atol=0)
    assert np.array_equal(result.centre, result.probabilities[0])
    assert int(result.average.argmax()) in CAT_CLASSES


def test_ensemble_score_against_numpy_on_fixed_digits(members, held_out):
    """The first 200 held-out digits, each network run digit by digit (``predict``, batches of 1): counts of
    correct answers and the mean cross-entropy computed by hand in numpy / Python floats."""
    x, y = held_out[0][:200], held_out[1][:200]
    alone = [m.predict(x, batch_size=1, verbose=0).astype(np.float64) for m in members]  # (200, 10) each
    both = (alone[0] + alone[1]) / 2  # (200, 10)
    score = ensemble_score(member_probabilities(members, x, batch=64), y)
    assert score.total == 200
    assert score.members == tuple(int(np.sum(np.argmax(p, axis=1) == y)) for p in alone)
    assert score.ensemble == int(np.sum(np.argmax(both, axis=1) == y))
    by_hand = -math.fsum(math.log(both[n, y[n]]) for n in range(200)) / 200
    assert score.ensemble_loss == pytest.approx(by_hand, rel=1e-5)  # float32 networks, two batchings


def test_held_out_figures_the_page_publishes(members, held_out):
    """assets/README.md and the Ensemble tab: seed 0 974/1000, seed 1 980/1000, their average 980/1000;
    mean cross-entropy 0.1011, 0.0811 and 0.0740 as shown to 4 decimals."""
    score = ensemble_score(member_probabilities(members, held_out[0]), held_out[1])
    assert ENSEMBLE_SEEDS == (0, 1)
    assert (score.members, score.ensemble, score.total) == ((974, 980), 980, 1000)
    shown = [round(loss, 4) for loss in (*score.member_loss, score.ensemble_loss)]
    assert shown == [0.1011, 0.0811, 0.0740]


def test_ensemble_refuses_mismatched_shapes():
    with pytest.raises(ShapeError, match=r"need probabilities \(K, N, C\) and labels \(N,\)"):
        ensemble_score(np.full((2, 3, 2), 0.5), np.array([0, 1]))
    with pytest.raises(ShapeError, match="x must be a batch"):
        member_probabilities([], np.zeros((32, 32, 1)))
