"""Verification as binary classification: features and σ by hand, the logistic fit against scikit-learn,
decisions on hand pairs, and the augmented pair set."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.faces.binary_verification import (
    PairClassifier,
    abs_difference,
    chi_square,
    confusion,
    features,
    fit_logistic,
    fit_pair_classifier,
    sigmoid,
    unsafe_denominators,
)
from cnn_core.faces.pairs import Augmentation, augment, augmented_set, make_pairs, train_views
from tests.numerics import U64

A = np.array([0.5, 0.1, 0.0, -0.2])
B = np.array([0.25, -0.1, 0.0, -0.6])


def test_features_by_hand():
    assert abs_difference(A, B).tolist() == pytest.approx([0.25, 0.2, 0.0, 0.4], abs=1e-15)
    # (0.25)² / 0.75, (0.2)² / (0.1 + 0.1), 0 / ε, (0.4)² / (0.2 + 0.6)
    assert chi_square(A, B).tolist() == pytest.approx([1 / 12, 0.2, 0.0, 0.2], rel=1e-12)
    assert unsafe_denominators(A, B) == 3  # 0.1 − 0.1 = 0, 0 + 0 = 0, −0.8
    assert features(A[None], B[None], "chi2").shape == (1, 4)


def test_chi_square_is_the_textbook_one_for_non_negative_entries_and_bounded_otherwise():
    rng = np.random.default_rng(1)
    a, b = rng.uniform(0, 1, (2, 200, 128))
    assert chi_square(a, b) == pytest.approx((a - b) ** 2 / (a + b), rel=1e-9)
    a, b = rng.normal(0, 0.1, (2, 200, 128))  # signed, like dlib's descriptors
    chi = chi_square(a, b)
    assert np.isfinite(chi).all() and (chi >= 0).all() and (chi <= np.abs(a - b) * (1 + 4 * U64)).all()


def test_sigmoid_by_hand_and_without_overflow():
    z = np.array([0.0, math.log(3), -math.log(3), 800.0, -800.0, 3.7, -12.5])
    expected = [0.5, 0.75, 0.25, 1.0, 0.0] + [1 / (1 + math.exp(-v)) for v in (3.7, -12.5)]
    with np.errstate(over="raise", invalid="raise"):
        got = sigmoid(z)
    # each value is a few correctly rounded float64 operations away from the exact one
    assert got.tolist() == pytest.approx(expected, rel=8 * U64, abs=1e-300)


def test_decisions_on_hand_pairs():
    model = PairClassifier("abs", np.array([-1.0, -1.0]), 0.5, 1.0)
    near, far = np.array([0.1, 0.2]), np.array([0.5, 0.5])
    # z = −0.1 − 0.2 + 0.5 = 0.2 → σ = 0.5498…; z = −0.5 − 0.5 + 0.5 = −0.5 → σ = 0.3775…
    assert model.probability(np.zeros(2), near) == pytest.approx(1 / (1 + math.exp(-0.2)), rel=1e-12)
    assert model.probability(np.zeros(2), far) == pytest.approx(1 / (1 + math.exp(0.5)), rel=1e-12)
    assert model.same_person(np.zeros((2, 2)), np.stack([near, far])).tolist() == [True, False]
    chi = PairClassifier("chi2", np.array([-10.0, 0.0]), 1.0, 1.0)
    # feature 0: 0.3² / 0.3 = 0.3 → z = −3 + 1 = −2
    assert chi.probability(np.array([0.3, 1.0]), np.zeros(2)) == pytest.approx(1 / (1 + math.exp(2)))


def _synthetic_pairs(seed: int, people: int = 6, copies: int = 6):
    """Descriptors of ``people`` well-separated people (centres 0.1 apart per component on average), each
    seen ``copies`` times with small noise; every pair, labelled same when the people match."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 0.1, (people, 128))
    items = np.repeat(centres, copies, axis=0) + rng.normal(0, 0.01, (people * copies, 128))
    who = np.repeat(np.arange(people), copies)
    first, second = np.triu_indices(len(items), k=1)
    return items[first], items[second], who[first] == who[second]


@pytest.mark.parametrize("kind", ["abs", "chi2"])
def test_the_fit_agrees_with_scikit_learn(kind):
    a, b, same = _synthetic_pairs(0)
    x = features(a, b, kind)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    l2 = 0.05
    w, bias, steps = fit_logistic(x, same.astype(float), l2)
    # scikit-learn minimises C Σ CE + ½‖w‖² (intercept not penalised): the same minimiser when C = 1/(λN)
    reference = LogisticRegression(C=1 / (l2 * len(x)), solver="newton-cholesky", tol=1e-12, max_iter=200)
    reference.fit(x, same)
    assert 0 < steps < 50
    # both stop with gradients ≲ 1e-10; H ⪰ λI (λ = 0.05), so each optimum is within ~1e-10/λ of the exact
    assert w == pytest.approx(reference.coef_[0], abs=1e-6)
    assert bias == pytest.approx(reference.intercept_[0], abs=1e-6)


@pytest.mark.parametrize("kind", ["abs", "chi2"])
def test_a_fitted_classifier_separates_separable_pairs_it_has_not_seen(kind):
    a, b, same = _synthetic_pairs(2)
    model = fit_pair_classifier(a, b, same, kind, 0.01)
    assert (model.same_person(a, b) == same).all()
    held_a, held_b, held_same = _synthetic_pairs(3)  # other people altogether
    result = confusion(held_same, model.same_person(held_a, held_b))
    assert (result.fn, result.fp) == (0, 0) and result.accuracy == 1.0
    assert (model.weights < 0).sum() > 64  # mostly: a larger difference, less likely the same person


def test_standardisation_is_folded_into_raw_weights():
    a, b, same = _synthetic_pairs(4)
    phi = abs_difference(a, b)
    model = fit_pair_classifier(a, b, same, "abs", 0.1)
    w, bias, _ = fit_logistic((phi - phi.mean(axis=0)) / phi.std(axis=0), same.astype(float), 0.1)
    direct = sigmoid(((phi - phi.mean(axis=0)) / phi.std(axis=0)) @ w + bias)
    assert model.probability(a, b) == pytest.approx(direct, abs=1e-9)


def test_confusion_by_hand():
    truth = np.array([True, True, True, False, False])
    decided = np.array([True, True, False, True, False])
    result = confusion(truth, decided)
    assert (result.tp, result.fn, result.fp, result.tn) == (2, 1, 1, 1)
    assert result.accuracy == pytest.approx(3 / 5)


def test_bad_inputs_are_refused():
    x = np.zeros((4, 2))
    with pytest.raises(ParameterError, match="both present"):
        fit_logistic(x, np.ones(4))
    with pytest.raises(ParameterError, match=r"λ must be > 0, got 0"):
        fit_logistic(x, np.array([0, 1, 0, 1]), 0.0)
    with pytest.raises(ShapeError, match=r"got \(4, 2\) and \(3,\)"):
        fit_logistic(x, np.array([0, 1, 0]))
    with pytest.raises(ShapeError, match="one shape"):
        chi_square(np.zeros(3), np.zeros(4))
    with pytest.raises(ParameterError, match="got 'l1'"):
        features(np.zeros(3), np.zeros(3), "l1")  # type: ignore[arg-type]


def test_pairs_by_hand():
    # persons 0, 0, 1 in views 0, 1, 0 and person 1 in view 1; views < 1 are for fitting
    pairs = make_pairs(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), 1)
    assert list(zip(pairs.first.tolist(), pairs.second.tolist(), strict=True)) == [(0, 2), (1, 3)]
    assert pairs.same.tolist() == [False, False] and pairs.train.tolist() == [True, False]
    pairs = make_pairs(np.array([0, 0, 0, 1]), np.array([0, 1, 2, 0]), 2)  # views 0, 1 fit; 2 held out
    # (0,1) same; (0,3), (1,3) different; every pair with item 2 mixes fitting and held-out views
    assert list(zip(pairs.first.tolist(), pairs.second.tolist(), strict=True)) == [(0, 1), (0, 3), (1, 3)]
    assert pairs.same.tolist() == [True, False, False] and pairs.train.all()
    assert (train_views(8), train_views(3), train_views(2)) == (4, 2, 1)


def test_augmentations():
    rng = np.random.default_rng(5)
    crop = rng.integers(0, 256, (150, 150, 3), dtype=np.uint8)
    assert (augment(crop, Augmentation(False, 1.0, 0.0, (0.0, 0.0), 1.0)) == crop).all()
    assert (augment(crop, Augmentation(True, 1.0, 0.0, (0.0, 0.0), 1.0)) == crop[:, ::-1]).all()
    brighter = augment(crop, Augmentation(False, 1.0, 0.0, (0.0, 0.0), 1.5))
    assert (brighter == np.clip(np.round(crop * 1.5), 0, 255)).all()
    shifted = augment(crop, Augmentation(False, 1.0, 0.0, (3.0, 0.0), 1.0))
    assert (shifted[:, 3:] == crop[:, :-3]).all()  # a whole-pixel shift moves columns exactly
    copies = augmented_set(np.stack([crop, crop[::-1]]), 4)
    assert copies.crops.shape == (8, 150, 150, 3) and (copies.crops[4] == crop[::-1]).all()
    with pytest.raises(ShapeError, match="got \\(150, 150\\) uint8"):
        augment(crop[..., 0], Augmentation(False, 1.0, 0.0, (0.0, 0.0), 1.0))
