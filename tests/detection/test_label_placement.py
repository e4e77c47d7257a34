"""Labels inside the image and apart (issue 13), checked on hand-placed cases."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from cnn_core.detection.annotate import draw_detections
from cnn_core.detection.pipeline import Detection
from cnn_core.drawing import LABEL_RATIO, PAD, class_color, font
from cnn_core.errors import ParameterError
from cnn_core.label_placement import label_place, overlaps, place_labels


@pytest.mark.parametrize(
    ("box", "place"),
    [
        ((100, 50, 200, 150), (100, 38)),  # room above: on the top edge, outside the box
        ((370, 50, 399, 150), (360, 38)),  # at the right edge: x = W − w = 400 − 40
        ((100, 4, 200, 150), (100, 4)),  # no room above (4 − 12 < 0): inside the top edge
        ((-30, -20, 50, 50), (0, 0)),  # a box leaving the image at the top left: the corner
        ((380, 295, 399, 299), (360, 283)),  # bottom-right corner: above the box, moved left
        ((100, 0, 200, 5), (100, 0)),  # a thin box on the top edge: inside the image, at y = 0
    ],
)
def test_one_label_is_inside_the_image(box, place):
    """A 40 x 12 label in a 400 x 300 image: x = clamp(x1, 0, 360), y = y1 − 12 or clamp(y1, 0, 288)."""
    assert label_place(box, (40, 12), (400, 300)) == place


def test_a_label_as_wide_as_the_image_starts_at_its_left_edge():
    assert label_place((50, 50, 60, 60), (400, 12), (400, 300)) == (0, 38)


def test_label_size_must_be_positive():
    with pytest.raises(ParameterError, match="a label's size must be positive, got 0x12"):
        label_place((0, 0, 10, 10), (0, 12), (100, 100))


def test_nms_round_labels_of_near_boxes_do_not_overlap():
    """The kept box (60, 40) and a suppressed one 2 px off (62, 42): the second label, 50 x 14, cannot sit
    above its box at y = 28 (it would cover the first, at y = 26 … 40), so it goes inside its top edge,
    y = 42; a third box with the same corner takes the next place, under its bottom edge (y = 150)."""
    boxes = [(60, 40, 300, 200), (62, 42, 290, 150), (62, 42, 290, 150)]
    places = place_labels(boxes, [(50, 14)] * 3, (400, 300))
    assert places == [(60, 26), (62, 42), (62, 150)]
    rects = [(x, y, x + 50, y + 14) for x, y in places]
    assert not any(overlaps(a, b) for k, a in enumerate(rects) for b in rects[k + 1 :])


def test_many_labels_on_one_corner_never_overlap_and_stay_inside():
    """Ten boxes sharing a corner: four places near the box, then the image's rows from the top."""
    places = place_labels([(200, 100, 300, 200)] * 10, [(60, 16)] * 10, (400, 300))
    rects = [(x, y, x + 60, y + 16) for x, y in places]
    assert all(r[0] >= 0 and r[2] <= 400 and r[1] >= 0 and r[3] <= 300 for r in rects)
    assert not any(overlaps(a, b) for k, a in enumerate(rects) for b in rects[k + 1 :])
    assert places[:4] == [(200, 84), (200, 100), (200, 200), (200, 184)]  # above, in top, under, in bottom


def test_labels_need_one_size_per_box():
    with pytest.raises(ParameterError, match="one label size per box is needed, got 1 for 2 boxes"):
        place_labels([(0, 0, 1, 1), (0, 0, 1, 1)], [(5, 5)], (10, 10))


def test_a_label_at_the_right_edge_is_drawn_whole():
    """The issue's "person 0.7" at the right edge: the whole label (text width + 2·PAD) is filled in the
    box colour inside the image, ending at its last column."""
    image = np.zeros((240, 400, 3), np.uint8)
    person = Detection("person", 0, 0.7, (360.0, 100.0, 399.0, 200.0))
    out = draw_detections(image, [person])
    text_font = font(round(400 / LABEL_RATIO))  # the size draw_detections uses for a 400-px image
    left, top, right, bottom = ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox(
        (0, 0), "person 0.70", font=text_font
    )
    width = right - left + 2 * PAD
    row = 100 - (bottom - top + 2 * PAD) + 1  # the label's top row, 1 px in
    filled = np.all(out[row] == class_color(0), axis=1)
    assert filled[400 - width :].all()  # a run ending at the right edge, as wide as the label
    assert not filled[: 400 - width - 1].any()
