"""Anchor k-means with the 1 − IoU distance: hand-computed IoU, known clusters, and a loop reference."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.anchors import kmeans_anchors, mean_best_iou, shape_iou
from cnn_core.errors import ParameterError, ShapeError

YOLOV3_TINY_ANCHORS = np.array([[10, 14], [23, 27], [37, 58], [81, 82], [135, 169], [344, 319]], dtype=float)


def test_shape_iou_hand_computed():
    # 4x2 vs 2x4 centred alike: intersection 2x2 = 4, union 8 + 8 − 4 = 12
    assert shape_iou(np.array([[4.0, 2.0]]), np.array([[2.0, 4.0]]))[0, 0] == pytest.approx(1 / 3)
    # nested shapes: the small one's area over the big one's
    assert shape_iou(np.array([[10.0, 14.0]]), np.array([[23.0, 27.0]]))[0, 0] == pytest.approx(140 / 621)


def slow_kmeans(shapes, centroids, rounds):
    """Plain-loop k-means with d = 1 − IoU from the same starting centroids."""
    centroids = [list(c) for c in centroids]
    for _ in range(rounds):
        labels = []
        for w, h in shapes:
            ious = [
                min(w, cw) * min(h, ch) / (w * h + cw * ch - min(w, cw) * min(h, ch)) for cw, ch in centroids
            ]
            labels.append(int(np.argmax(ious)))
        for j in range(len(centroids)):
            members = [s for s, label in zip(shapes, labels, strict=True) if label == j]
            if members:
                centroids[j] = [
                    sum(m[0] for m in members) / len(members),
                    sum(m[1] for m in members) / len(members),
                ]
    return np.array(sorted(centroids, key=lambda c: c[0] * c[1]))


def test_kmeans_recovers_separated_clusters():
    rng = np.random.default_rng(1)
    centres = np.array([[12, 16], [60, 40], [200, 300]], dtype=float)
    shapes = np.vstack([c * rng.uniform(0.9, 1.1, (30, 2)) for c in centres])
    result = kmeans_anchors(shapes, 3, seed=3)
    np.testing.assert_allclose(result.anchors, centres, rtol=0.05)
    assert result.labels.tolist() == [0] * 30 + [1] * 30 + [2] * 30
    assert result.mean_iou > 0.8


def test_kmeans_fixed_point_matches_loop_reference():
    rng = np.random.default_rng(7)
    shapes = rng.uniform(5, 300, (80, 2))
    result = kmeans_anchors(shapes, 4, seed=0)
    # Lloyd's iterations from the converged anchors must not move them (a fixed point of the same rule)
    np.testing.assert_allclose(slow_kmeans(shapes.tolist(), result.anchors, 3), result.anchors, rtol=1e-9)
    np.testing.assert_allclose(result.mean_iou, shape_iou(shapes, result.anchors).max(axis=1).mean())


def test_same_seed_same_anchors_and_more_anchors_fit_better():
    rng = np.random.default_rng(5)
    shapes = rng.uniform(5, 300, (120, 2))
    first, second = kmeans_anchors(shapes, 5, seed=11), kmeans_anchors(shapes, 5, seed=11)
    np.testing.assert_array_equal(first.anchors, second.anchors)
    areas = first.anchors.prod(axis=1)
    assert (np.diff(areas) >= 0).all()  # sorted by area, as darknet lists anchors
    assert kmeans_anchors(shapes, 9).mean_iou > kmeans_anchors(shapes, 2).mean_iou


def test_kmeans_on_yolo_anchors_themselves_returns_them():
    result = kmeans_anchors(YOLOV3_TINY_ANCHORS, 6)
    np.testing.assert_allclose(result.anchors, YOLOV3_TINY_ANCHORS)
    assert result.mean_iou == pytest.approx(1.0)
    assert mean_best_iou(YOLOV3_TINY_ANCHORS, YOLOV3_TINY_ANCHORS[:1]) < 0.5


@pytest.mark.parametrize(
    ("shapes", "k", "error", "message"),
    [
        (np.ones((4, 3)), 2, ShapeError, r"shapes must have shape \(N, 2\)"),
        (np.array([[1.0, 0.0], [2.0, 2.0]]), 1, ShapeError, "positive finite"),
        (
            np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]]),
            3,
            ParameterError,
            r"at most the number of distinct shapes \(2\)",
        ),
        (np.ones((3, 2)), 0, ParameterError, "k must be a whole number ≥ 1, got 0"),
    ],
)
def test_bad_arguments(shapes, k, error, message):
    with pytest.raises(error, match=message):
        kmeans_anchors(shapes, k)
