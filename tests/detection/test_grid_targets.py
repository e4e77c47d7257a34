"""The course's YOLO target (3x3x8, and 3x3x16 with two anchors) against hand-computed cells and values."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.grid_targets import (
    NOTES_ANCHORS,
    cell_of,
    filled_cells,
    yolo_target,
    yolov3_tiny_masks,
)
from cnn_core.errors import ParameterError, ShapeError

PEDESTRIAN, CAR, MOTORCYCLE = 0, 1, 2
#: the course's two anchors here: tall (w 0.15, h 0.4) and wide (w 0.4, h 0.2), fractions of the image
TALL_BOX = [0.45, 0.5, 0.4, 0.1]  # b_x, b_y, b_h, b_w
WIDE_BOX = [0.55, 0.6, 0.2, 0.5]


def _empty(slot: np.ndarray) -> bool:
    return slot[0] == 0.0 and np.isnan(slot[1:]).all()


def test_three_by_three_by_eight_by_hand():
    # a car with midpoint (0.5, 0.6): column ⌊1.5⌋ = 1, row ⌊1.8⌋ = 1, inside the cell (0.5, 0.8);
    # height 0.3 → 0.9 cells, width 0.5 → 1.5 cells. A pedestrian at (0.1, 0.2): cell (0, 0), (0.3, 0.6).
    target = yolo_target([[0.5, 0.6, 0.3, 0.5], [0.1, 0.2, 0.5, 0.1]], [CAR, PEDESTRIAN], 3)
    assert target.y.shape == (3, 3, 8)
    np.testing.assert_allclose(target.y[1, 1], [1, 0.5, 0.8, 0.9, 1.5, 0, 1, 0], atol=1e-15)
    np.testing.assert_allclose(target.y[0, 0], [1, 0.3, 0.6, 1.5, 0.3, 1, 0, 0], atol=1e-15)
    others = [(r, c) for r in range(3) for c in range(3) if (r, c) not in {(0, 0), (1, 1)}]
    assert all(_empty(target.y[r, c]) for r, c in others)
    assert filled_cells(target) == [(0, 0, 0), (1, 1, 0)]


def test_tall_box_to_anchor_one_wide_box_to_anchor_two_in_one_cell():
    target = yolo_target([TALL_BOX, WIDE_BOX], [PEDESTRIAN, CAR], 3, NOTES_ANCHORS)
    assert target.y.shape == (3, 3, 16)
    tall, wide = target.assignments
    # tall (0.1 x 0.4): IoU with the tall anchor 0.04 / (0.04 + 0.06 − 0.04) = 2/3, wide 0.02 / 0.10 = 0.2
    np.testing.assert_allclose(tall.ious, [2 / 3, 0.2], rtol=1e-15)
    # wide (0.5 x 0.2): tall anchor 0.03 / (0.10 + 0.06 − 0.03) = 3/13, wide 0.08 / (0.10 + 0.08 − 0.08) = 0.8
    np.testing.assert_allclose(wide.ious, [3 / 13, 0.8], rtol=1e-15)
    assert (tall.cell, tall.anchor, wide.cell, wide.anchor) == ((1, 1), 0, (1, 1), 1)
    assert tall.dropped_for is None and wide.dropped_for is None
    # both share cell (1, 1): the 16 numbers are the pedestrian's 8 then the car's 8
    np.testing.assert_allclose(
        target.y[1, 1],
        [1, 0.35, 0.5, 1.2, 0.3, 1, 0, 0, 1, 0.65, 0.8, 0.6, 1.5, 0, 1, 0],
        atol=1e-15,
    )
    assert filled_cells(target) == [(1, 1, 0), (1, 1, 1)]
    assert _empty(target.slot(0, 0, 0)) and _empty(target.slot(2, 2, 1))


def test_two_objects_in_one_cell_and_one_anchor_keep_the_first():
    other_car = [0.6, 0.45, 0.25, 0.6]  # also cell (1, 1), also closest to the wide anchor
    target = yolo_target([WIDE_BOX, other_car], [CAR, CAR], 3, NOTES_ANCHORS)
    first, second = target.assignments
    assert (second.cell, second.anchor, second.dropped_for) == ((1, 1), 1, 0)
    assert first.dropped_for is None
    np.testing.assert_allclose(target.slot(1, 1, 1), [1, 0.65, 0.8, 0.6, 1.5, 0, 1, 0], atol=1e-15)
    assert _empty(target.slot(1, 1, 0))


@pytest.mark.parametrize(
    ("bx", "by", "grid", "expected"),
    [
        (1 / 3, 2 / 3, 3, (2, 1, 0.0, 0.0)),  # on the edges between cells: the cell right of and below them
        (1.0, 0.0, 3, (0, 2, 1.0, 0.0)),  # the image's right edge belongs to the last column
        (3 / 7, 0.5, 7, (3, 3, 0.0, 0.5)),  # 3/7·7 may round to 2.999…: still the edge of cell 3
        (0.5, 0.5, 19, (9, 9, 0.5, 0.5)),
    ],
)
def test_midpoint_on_a_cell_edge(bx, by, grid, expected):
    row, col, x_in, y_in = cell_of(bx, by, grid)
    assert (row, col) == expected[:2]
    assert (x_in, y_in) == pytest.approx(expected[2:], abs=1e-12)


def test_empty_image_is_all_background():
    target = yolo_target(np.zeros((0, 4)), [], 3, NOTES_ANCHORS)
    assert (target.y[..., [0, 8]] == 0).all() and filled_cells(target) == []


def test_bad_inputs_are_explained():
    with pytest.raises(ParameterError, match="grid must be a whole number between 1 and 100, got 0"):
        yolo_target([TALL_BOX], [0], 0)
    with pytest.raises(ParameterError, match=r"class ids .* got \[3\]"):
        yolo_target([TALL_BOX], [3], 3)
    with pytest.raises(ShapeError, match="\\(N, 4\\)"):
        yolo_target([[0.5, 0.5, 0.1]], [0], 3)
    with pytest.raises(ParameterError, match="midpoints must lie in the image"):
        yolo_target([[1.5, 0.5, 0.1, 0.1]], [0], 3)
    with pytest.raises(ShapeError, match="anchors must have shape \\(A, 2\\)"):
        yolo_target([TALL_BOX], [0], 3, [0.1, 0.2])


def test_yolov3_tiny_anchors_and_masks():
    # the anchors published in darknet's yolov3-tiny.cfg (pixels of the 416 input)
    anchors, masks = yolov3_tiny_masks()
    assert anchors.tolist() == [[10, 14], [23, 27], [37, 58], [81, 82], [135, 169], [344, 319]]
    assert len(masks) == 2 and masks[0] == [3, 4, 5] and len(masks[1]) == 3
