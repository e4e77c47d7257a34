"""Triplet loss against a plain loop of the course formula, and the easy / semi-hard / hard split."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.faces.triplet import all_triplets, triplet, triplet_kind, triplet_losses
from tests.numerics import U64, assert_within, gamma


def _loop_loss(a, p, n, alpha):
    d_ap = sum((x - y) ** 2 for x, y in zip(a, p, strict=True))
    d_an = sum((x - y) ** 2 for x, y in zip(a, n, strict=True))
    return max(d_ap - d_an + alpha, 0.0)


def test_batch_loss_matches_a_plain_loop():
    rng = np.random.default_rng(0)
    a, p, n = (rng.normal(scale=0.1, size=(50, 128)) for _ in range(3))
    expected = [_loop_loss(*rows, 0.2) for rows in zip(a, p, n, strict=True)]
    # each distance rounds its 128 differences, squares and sums (float64); then − and + α: ≤ 131 roundings
    scale = ((a - p) ** 2).sum(axis=1) + ((a - n) ** 2).sum(axis=1) + 0.2
    assert_within(triplet_losses(a, p, n, 0.2), expected, 2 * gamma(131, U64) * scale)
    assert (triplet_losses(a, p, n, 0.2) >= 0).all()


def test_kinds_and_their_loss_ranges():
    zero = np.zeros(2)
    easy = triplet(zero, np.array([0.1, 0.0]), np.array([1.0, 0.0]), 0.2)
    semi = triplet(zero, np.array([0.3, 0.0]), np.array([0.0, 0.4]), 0.2)
    hard = triplet(zero, np.array([0.5, 0.0]), np.array([0.0, 0.3]), 0.2)
    assert (easy.kind, easy.loss) == ("easy", 0.0)
    assert semi.kind == "semi-hard" and 0 < semi.loss <= 0.2
    assert hard.kind == "hard" and hard.loss >= 0.2
    assert hard.d_ap == pytest.approx(0.25) and hard.d_an == pytest.approx(0.09)
    assert triplet_kind(0.3, 0.3, 0.1) == "hard"


def test_all_triplets_of_a_labelled_set():
    embeddings = np.array([[0.0, 0.0], [0.1, 0.0], [1.0, 0.0], [0.0, 0.05]])
    names = ["ada", "ada", "bob", "cy"]
    triplets = all_triplets(embeddings, names, 0.2)
    assert [(a, p, n) for a, p, n, _ in triplets] == [(0, 1, 2), (0, 1, 3), (1, 0, 2), (1, 0, 3)]
    kinds = {(a, p, n): t.kind for a, p, n, t in triplets}
    assert kinds[(0, 1, 2)] == "easy" and kinds[(0, 1, 3)] == "hard"


def test_bad_arguments():
    with pytest.raises(ParameterError, match=r"alpha must be a margin ≥ 0, got -0\.1"):
        triplet_losses(np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 2)), -0.1)
    with pytest.raises(ShapeError, match="must be \\(N, D\\) alike"):
        triplet_losses(np.zeros((1, 2)), np.zeros((2, 2)), np.zeros((1, 2)))
    with pytest.raises(ShapeError, match="K = len\\(names\\)"):
        all_triplets(np.zeros((3, 2)), ["a", "b"])
