"""Letterbox, decode and mapping back, against hand-computed values (OpenCV checks are in the model tests)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnn_core.detection.yolo import (
    Candidates,
    Letterbox,
    YoloHead,
    cell_vectors,
    class_scores,
    decode,
    letterbox,
    to_original,
)
from cnn_core.errors import ImageError, ParameterError
from tests.numerics import U32, U64, assert_within


def sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_letterbox_wide_image_is_centred_vertically_on_grey():
    image = np.full((50, 100, 3), (255, 0, 51), dtype=np.uint8)
    blob, placement = letterbox(image, 416)
    assert placement == Letterbox(size=416, scale=4.16, dx=0, dy=104, width=100, height=50)
    assert blob.shape == (416, 416, 3) and blob.dtype == np.float32
    np.testing.assert_allclose(blob[:104], 0.5)  # grey band above …
    np.testing.assert_allclose(blob[312:], 0.5)  # … and below the 416x208 picture
    # a flat colour stays 255, 0, 51 through the uint8 resize; c / 255 is then rounded once to float32
    np.testing.assert_allclose(blob[104:312], np.broadcast_to([1.0, 0.0, 0.2], (208, 416, 3)), rtol=2 * U32)


def test_letterbox_tall_image_and_other_sizes():
    _, placement = letterbox(np.zeros((300, 100, 3), np.uint8), 320)
    assert (placement.dx, placement.dy) == ((320 - 107) // 2, 0)
    assert placement.scale == pytest.approx(320 / 300)


def test_to_original_inverts_the_placement():
    placement = Letterbox(416, 4.16, 0, 104, 100, 50)
    original = np.array([[10.0, 5.0, 60.0, 45.0], [0.0, 0.0, 100.0, 50.0]])
    network = original * 4.16 + [0, 104, 0, 104]  # x·scale + dx, y·scale + dy
    np.testing.assert_allclose(to_original(network, placement), original)
    # boxes reaching into the grey band are clipped to the photo
    np.testing.assert_allclose(
        to_original(np.array([[-50.0, 0.0, 500.0, 416.0]]), placement), [[0, 0, 100, 50]]
    )


def test_decode_one_cell_by_hand():
    anchors = np.array([[10.0, 14.0], [81.0, 82.0]])
    head = YoloHead(anchors, classes=2)
    raw = np.zeros((4, 4, 2, 7), np.float32)  # a 4x4 grid on a 128 input: stride 32
    raw[2, 1, 1] = [0.3, -1.2, 0.5, -0.25, 2.0, -1.0, 3.0]  # row 2, column 1, anchor 1
    c = decode([raw], [head], 128)
    index = (2 * 4 + 1) * 2 + 1  # rows, then columns, then anchors
    assert (c.row[index], c.col[index], c.anchor[index], c.head[index]) == (2, 1, 1, 0)
    cx, cy = (sig(0.3) + 1) * 32, (sig(-1.2) + 2) * 32
    w, h = 81 * math.exp(0.5), 82 * math.exp(-0.25)
    # σ (logaddexp, then exp) and exp in float32 are each within 16u (NumPy's SIMD exp: ≤ 2.52 ulp)
    corners = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]
    assert_within(
        c.boxes[index], corners, 16 * U32 * (np.array([cx, cy, cx, cy]) + np.array([w, h, w, h]) / 2)
    )
    assert c.objectness[index] == pytest.approx(sig(2.0), rel=16 * U32)
    np.testing.assert_allclose(c.class_probs[index], [sig(-1.0), sig(3.0)], rtol=16 * U32)
    assert c.boxes.shape == (4 * 4 * 2, 4)


def test_decode_two_heads_are_concatenated():
    heads = [YoloHead(np.ones((3, 2)), 80), YoloHead(np.ones((3, 2)), 80)]
    c = decode([np.zeros((13, 13, 3, 85)), np.zeros((26, 26, 3, 85))], heads, 416)
    assert c.boxes.shape == (2535, 4)  # 3·(13² + 26²)
    assert (c.head == 0).sum() == 507 and (c.head == 1).sum() == 2028


def test_cell_vectors_course_layout():
    head = YoloHead(np.array([[64.0, 32.0]]), classes=3)
    raw = np.zeros((2, 2, 1, 8))
    raw[1, 0, 0] = [0.0, 1.0, math.log(2.0), 0.0, -2.0, 0.0, 5.0, -5.0]
    y = cell_vectors(raw, head, 1, 0, size=64)  # stride 32
    # p_c, b_x, b_y (inside the cell), b_h = 32·1/32, b_w = 64·2/32 (cell units), c_1..c_3
    np.testing.assert_allclose(
        y[0], [sig(-2.0), 0.5, sig(1.0), 1.0, 4.0, 0.5, sig(5.0), sig(-5.0)], rtol=16 * U64
    )  # the same σ and exp, in float64
    with pytest.raises(ParameterError, match=r"must lie in the 2x2 grid, got \(2, 0\)"):
        cell_vectors(raw, head, 2, 0, size=64)


def test_class_scores_threshold_and_order():
    candidates = Candidates(
        boxes=np.zeros((3, 4)),
        objectness=np.array([0.9, 0.5, 0.1]),
        class_probs=np.array([[0.5, 0.2], [0.9, 0.6], [1.0, 1.0]]),
        head=np.zeros(3, int),
        row=np.zeros(3, int),
        col=np.zeros(3, int),
        anchor=np.zeros(3, int),
    )
    box, cls, score = class_scores(candidates, 0.2)  # scores 0.45, 0.18 / 0.45, 0.30 / 0.1, 0.1
    assert box.tolist() == [0, 1, 1] and cls.tolist() == [0, 0, 1]
    np.testing.assert_allclose(score, [0.45, 0.45, 0.30])
    with pytest.raises(ParameterError, match=r"score threshold must be in \[0, 1\), got 1.0"):
        class_scores(candidates, 1.0)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((1, 1, 3), np.uint8), "the image is 1x1 pixels; detection needs at least 32x32"),
        (np.zeros((20, 400, 3), np.uint8), "the image is 400x20 pixels"),
        (np.zeros((64, 64), np.uint8), r"must be \(H, W, 3\) uint8 RGB, got shape \(64, 64\)"),
        (np.zeros((64, 64, 4), np.uint8), r"got shape \(64, 64, 4\)"),
        (np.zeros((64, 64, 3), np.float32), "float32"),
    ],
)
def test_bad_images_are_explained(image, message):
    with pytest.raises(ImageError, match=message):
        letterbox(image, 416)


@pytest.mark.parametrize("size", [400, 0, 96, 1056, 416.0])
def test_bad_sizes(size):
    with pytest.raises(ParameterError, match="size must be a multiple of 32 between 128 and 1024"):
        letterbox(np.zeros((64, 64, 3), np.uint8), size)
