"""The captions of the edge and flip grids say what the grids hold: checked against results worked out by
hand on the course's 6x6 image (10s on the left half, 0s on the right) and its transpose."""

import numpy as np
import pytest

from cnn_core.conv.edge_maps import describe_flip, describe_map, summarize_map
from cnn_core.conv.filters import FILTERS, course_edge_image
from cnn_core.conv.reference import cross_correlate2d

IMAGE = course_edge_image()


def _describe(image, kernel):
    return describe_map(image, kernel, cross_correlate2d(image, kernel)[:, :, 0])


@pytest.mark.parametrize(
    ("name", "value"), [("vertical", 30), ("Sobel vertical", 40), ("Scharr vertical", 160)]
)
def test_vertical_filters_give_the_middle_band(name, value):
    """Window columns 1..3 and 2..4 straddle the step between image columns 3 and 4: 10·Σ(left column)."""
    text = _describe(IMAGE, FILTERS[name])
    assert text.startswith(
        f"Columns 2 and 3 of the 4x4 result are nonzero (all {value}, positive) in every row"
    )
    assert "straddle the vertical edge between image columns 3 and 4" in text


@pytest.mark.parametrize("name", ["horizontal", "Sobel horizontal", "Scharr horizontal"])
def test_horizontal_filters_find_nothing_on_the_course_image(name):
    """Every row of the image is the same, so the top and bottom rows of each window cancel: all zeros."""
    text = _describe(IMAGE, FILTERS[name])
    assert text.startswith("Every cell of the 4x4 result is 0")
    assert "same in every row" in text
    assert "vertical" not in text and "band" not in text


def test_horizontal_filter_on_the_transposed_image():
    text = _describe(IMAGE.T, FILTERS["horizontal"])
    assert text.startswith("Rows 2 and 3 of the 4x4 result are nonzero (all 30, positive) in every column")
    assert "between image rows 3 and 4" in text


def test_a_reversed_filter_is_negative():
    text = _describe(IMAGE, -FILTERS["vertical"])
    assert "(all -30, negative)" in text


def test_rounding_noise_is_not_an_edge():
    """0.1 + 0.2 − 0.3 ≠ 0 in floating point; the window over the bright half must still read as 0."""
    kernel = np.array([[0.1, 0.2, -0.3]] * 3)
    summary = summarize_map(IMAGE, kernel, cross_correlate2d(IMAGE, kernel)[:, :, 0])
    assert summary.cols == (1, 2)  # 10·(0.1 + 0.2)·3 = 9 and 10·0.1·3 = 3; columns 1 and 4 are 0
    assert (summary.low, summary.high) == pytest.approx((3.0, 9.0))


def test_scattered_and_full_maps():
    image = np.zeros((5, 5))
    image[2, 2] = 1.0
    point = np.zeros((3, 3))
    point[0, 0] = 1.0
    assert _describe(image, point).startswith("1 of the 9 cells are nonzero (all 1, positive), in rows 3")
    assert _describe(IMAGE + 1, np.ones((3, 3))).startswith(
        "Every cell of the 4x4 result is nonzero (from 9 to 99"
    )
    flat = np.full((6, 6), 7.0)
    assert "one flat shade" in _describe(flat, FILTERS["vertical"])


def test_flip_captions():
    assert "sign changed" in describe_flip(IMAGE, FILTERS["vertical"])  # antisymmetric: flip(K) = −K
    assert describe_flip(IMAGE, FILTERS["horizontal"]).startswith("Both maps are all 0 here")
    assert "equals its flip" in describe_flip(IMAGE, np.ones((3, 3)))
    lopsided = np.array([[1.0, 2, 0], [0, 0, 0], [0, 0, -1]])
    assert "differ in more than sign" in describe_flip(IMAGE, lopsided)
    # flip(K) ≠ ±K, but each column sum is mirrored and negated: on this image only the sign changes
    mirrored = np.array([[1.0, 0, 0], [0, 0, -1], [1, 0, -1]])
    assert describe_flip(IMAGE, mirrored).startswith("On this image the convolution is the cross-correlation")
