"""Verification: distances against scipy, and real pairs — same person under τ, different people above."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import distance as scipy_distance

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.faces.pipeline import describe_face, verify_photos
from cnn_core.faces.verify import (
    DEFAULT_THRESHOLD,
    cosine_similarity,
    euclidean_distance,
    pairwise_distances,
    verify,
)
from tests.numerics import U64, gamma


def test_distances_match_scipy():
    rng = np.random.default_rng(0)
    for _ in range(5):
        a, b = rng.normal(size=128), rng.normal(size=128)
        assert euclidean_distance(a, b) == pytest.approx(scipy_distance.euclidean(a, b))
        assert cosine_similarity(a, b) == pytest.approx(1 - scipy_distance.cosine(a, b))
    assert cosine_similarity(np.zeros(3), np.ones(3)) == 0.0


def test_verdict_fields():
    verdict = verify(np.array([0.0, 0.3]), np.array([0.4, 0.0]), 0.5)
    assert verdict.distance == pytest.approx(0.5) and verdict.same_person  # d ≤ τ counts as the same
    assert not verify(np.array([0.0, 0.3]), np.array([0.4, 0.0]), 0.49).same_person
    np.testing.assert_allclose(verdict.abs_difference, [0.4, 0.3])


def test_bad_arguments():
    with pytest.raises(ShapeError, match=r"got \(3,\) and \(4,\)"):
        euclidean_distance(np.zeros(3), np.zeros(4))
    with pytest.raises(ParameterError, match="threshold must be a positive distance, got 0"):
        verify(np.zeros(3), np.zeros(3), 0)


def _augmentations(photo: np.ndarray) -> dict[str, np.ndarray]:
    height, width = photo.shape[:2]
    return {
        "flip": photo[:, ::-1].copy(),
        "darker": np.clip(photo * 0.6, 0, 255).astype(np.uint8),
        "brighter": np.clip(photo * 1.25 + 25, 0, 255).astype(np.uint8),
        "crop": photo[height // 20 : height * 3 // 4, width // 6 : width * 5 // 6].copy(),
    }


@pytest.mark.parametrize("name", ["astronaut", "hopper"])
def test_same_person_under_augmentations_falls_under_tau(photos, embedder, name):
    anchor = describe_face(photos[name], embedder).embedding
    for kind, augmented in _augmentations(photos[name]).items():
        distance = euclidean_distance(anchor, describe_face(augmented, embedder).embedding)
        assert distance < DEFAULT_THRESHOLD - 0.2, (kind, distance)


def test_different_people_fall_above_tau(photos, embedder):
    vectors = {name: describe_face(photo, embedder).embedding for name, photo in photos.items()}
    names = sorted(vectors)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert euclidean_distance(vectors[first], vectors[second]) > DEFAULT_THRESHOLD, (first, second)


def test_verify_photos_end_to_end(photos, embedder):
    same = verify_photos(photos["astronaut"], photos["astronaut"][:, ::-1].copy(), embedder)
    different = verify_photos(photos["astronaut"], photos["hopper"], embedder, threshold=0.5)
    assert same.verdict.same_person and not different.verdict.same_person
    assert same.first.crop.shape == (150, 150, 3) and same.ms > 0
    assert different.verdict.threshold == 0.5


def test_pairwise_distances_match_scipy():
    vectors = np.random.default_rng(3).normal(size=(6, 128))
    expected = scipy_distance.squareform(scipy_distance.pdist(vectors))
    # 128 differences, squares and sums, then the square root (half its input's relative error, + 1)
    np.testing.assert_allclose(pairwise_distances(vectors), expected, rtol=2 * gamma(130, U64), atol=0)
