"""IoU and NMS against hand-computed cases, slow loop references and tf.image.non_max_suppression."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.boxes import box_area, iou_matrix, nms, nms_steps, overlap
from cnn_core.errors import ParameterError, ShapeError
from tests.numerics import U32, U64


def slow_iou(a, b) -> float:
    """Textbook IoU with plain Python floats."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (
        max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1]) + max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1]) - inter
    )
    return inter / union if union > 0 else 0.0


def slow_nms(boxes, scores, threshold, classes=None) -> list[int]:
    """The course's loop: keep the best remaining box, drop those of its class overlapping it > threshold."""
    classes = [0] * len(boxes) if classes is None else list(classes)
    remaining = sorted(range(len(boxes)), key=lambda i: (-scores[i], i))
    kept = []
    while remaining:
        best = remaining.pop(0)
        kept.append(best)
        remaining = [
            i
            for i in remaining
            if classes[i] != classes[best] or slow_iou(boxes[best], boxes[i]) <= threshold
        ]
    return kept


def tf_nms(boxes, scores, threshold) -> list[int]:
    import tensorflow as tf

    yx = np.asarray(boxes, dtype=np.float32)[:, [1, 0, 3, 2]]  # TF wants y1, x1, y2, x2
    kept = tf.image.non_max_suppression(
        yx, np.asarray(scores, np.float32), max_output_size=len(boxes), iou_threshold=threshold
    )
    return kept.numpy().tolist()


def random_boxes(rng, n, *, ties=False, degenerate=False):
    corner = rng.uniform(0, 80, (n, 2))
    size = rng.uniform(1, 40, (n, 2))
    if degenerate:
        size[rng.random((n, 2)) < 0.25] = 0.0  # zero-width or zero-height boxes
    boxes = np.hstack([corner, corner + size])
    scores = rng.integers(0, 5, n) / 5.0 if ties else rng.random(n)
    return boxes.astype(np.float32).astype(np.float64), scores.astype(np.float32).astype(np.float64)


def clear_of_threshold(boxes: np.ndarray, threshold: float) -> bool:
    """TensorFlow computes IoU in float32, within ~8u ≈ 5e-7 of our float64 one: its keep/drop decisions
    equal ours on every CPU when no pair's IoU lies within 32u of the threshold (or exactly on it, as
    the 0 of disjoint boxes does in both)."""
    iou = iou_matrix(boxes, boxes)
    return bool(np.all((iou == threshold) | (np.abs(iou - threshold) > 32 * U32)))


def test_iou_hand_computed():
    # two 2x2 squares overlapping in a 1x1 square: 1 / (4 + 4 − 1)
    assert iou_matrix(np.array([[0, 0, 2, 2]]), np.array([[1, 1, 3, 3]]))[0, 0] == pytest.approx(1 / 7)
    # nested: 4 / 16; touching edges: 0; identical: 1
    got = iou_matrix(np.array([[0, 0, 4, 4]]), np.array([[1, 1, 3, 3], [4, 0, 6, 4], [0, 0, 4, 4]]))
    np.testing.assert_allclose(got, [[0.25, 0.0, 1.0]])


def test_overlap_pieces_for_the_playground():
    result = overlap((0, 0, 4, 2), (2, 0, 6, 2))
    assert result.intersection_box == (2.0, 0.0, 4.0, 2.0)
    assert (result.intersection, result.union, result.iou) == (4.0, 12.0, pytest.approx(1 / 3))
    assert overlap((0, 0, 1, 1), (5, 5, 6, 6)).intersection_box is None


@pytest.mark.parametrize("seed", range(5))
def test_iou_matrix_equals_slow_loop(seed):
    rng = np.random.default_rng(seed)
    a, _ = random_boxes(rng, 17, degenerate=True)
    b, _ = random_boxes(rng, 11, degenerate=True)
    expected = np.array([[slow_iou(x, y) for y in b] for x in a])
    # float32 corners: their float64 differences are exact; areas, union and the ratio round ≤ 6 times each
    np.testing.assert_allclose(iou_matrix(a, b), expected, rtol=0, atol=12 * U64)


def test_degenerate_and_empty_boxes():
    point = np.array([[5, 5, 5, 5]])
    line = np.array([[0, 5, 10, 5]])
    assert iou_matrix(point, point)[0, 0] == 0.0  # empty union: 0, not NaN
    assert iou_matrix(line, np.array([[0, 0, 10, 10]]))[0, 0] == 0.0
    assert box_area(np.array([[3, 3, 1, 1]]))[0] == 0.0  # inverted box counts as empty
    assert iou_matrix(np.zeros((0, 4)), point).shape == (0, 1)
    assert nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []
    assert nms_steps([], [], 0.5) == []


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("kind", ["plain", "ties", "degenerate"])
def test_nms_equals_slow_loop_and_tensorflow(seed, threshold, kind):
    rng = np.random.default_rng(seed)
    boxes, scores = random_boxes(rng, 40, ties=kind == "ties", degenerate=kind == "degenerate")
    assert clear_of_threshold(boxes, threshold)
    ours = nms(boxes, scores, threshold).tolist()
    assert ours == slow_nms(boxes, scores, threshold)
    assert ours == tf_nms(boxes, scores, threshold)


def test_all_equal_scores_keep_index_order_like_tensorflow():
    boxes = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [30, 30, 40, 40], [0, 1, 10, 11]], dtype=np.float64)
    scores = np.full(4, 0.5)
    assert nms(boxes, scores, 0.5).tolist() == tf_nms(boxes, scores, 0.5) == [0, 2]


@pytest.mark.parametrize("seed", range(6))
def test_per_class_nms_equals_nms_run_once_per_class(seed):
    rng = np.random.default_rng(seed)
    boxes, scores = random_boxes(rng, 60)
    assert clear_of_threshold(boxes, 0.45)
    classes = rng.integers(0, 4, 60)
    ours = nms(boxes, scores, 0.45, classes)
    expected = []
    for c in np.unique(classes):  # the course: "run non-max suppression c times, once per class"
        members = np.flatnonzero(classes == c)
        expected += members[tf_nms(boxes[members], scores[members], 0.45)].tolist()
    assert sorted(ours.tolist()) == sorted(expected)
    assert ours.tolist() == sorted(expected, key=lambda i: (-scores[i], i))  # best score first
    assert ours.tolist() == slow_nms(boxes, scores, 0.45, classes)


def test_overlapping_boxes_of_different_classes_both_survive():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 10]])
    assert nms(boxes, [0.9, 0.8], 0.5).tolist() == [0]
    assert nms(boxes, [0.9, 0.8], 0.5, [0, 1]).tolist() == [0, 1]


def test_nms_steps_record_suppressed_boxes_and_their_iou():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 8], [20, 20, 30, 30], [21, 20, 31, 30], [0, 0, 10, 9]])
    steps = nms_steps(boxes, [0.9, 0.3, 0.8, 0.7, 0.6], 0.5)
    assert [step.kept for step in steps] == [0, 2]
    assert steps[0].suppressed.tolist() == [4, 1]  # in score order
    np.testing.assert_allclose(steps[0].ious, [0.9, 0.8])
    assert steps[1].suppressed.tolist() == [3]
    np.testing.assert_allclose(steps[1].ious, [90 / 110])
    suppressed = np.concatenate([step.suppressed for step in steps]).tolist()
    assert sorted(suppressed + [step.kept for step in steps]) == list(range(5))  # every box accounted for


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: iou_matrix(np.zeros((2, 3)), np.zeros((1, 4))), ShapeError, r"a must have shape \(N, 4\)"),
        (lambda: iou_matrix(np.array([[0, 0, np.nan, 1]]), np.zeros((1, 4))), ShapeError, "finite"),
        (lambda: nms(np.zeros((2, 4)), [0.5], 0.5), ShapeError, "2 boxes, 1 scores"),
        (
            lambda: nms(np.zeros((2, 4)), [0.5, 0.4], 1.5),
            ParameterError,
            r"IoU threshold must be in \[0, 1\], got 1.5",
        ),
        (lambda: nms(np.zeros((2, 4)), [0.5, 0.4], 0.5, [1]), ShapeError, "2 boxes, 1 ids"),
        (lambda: iou_matrix(np.zeros((1, 4)), np.zeros((1, 4)), "max"), ParameterError, "got 'max'"),
    ],
)
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
