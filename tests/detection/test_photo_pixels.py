"""Boxes found on the page's working copy, reported in the photo's own pixels (issue 13: zidane.jpg)."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.photo_pixels import to_photo_pixels, working_copy
from cnn_core.detection.pipeline import Detection


def test_a_1280x720_photo_is_computed_on_1024x576_and_scaled_back_by_1_25():
    """1024 / 1280 = 576 / 720 = 0.8: a copy box (96, 48, 800, 560) is (120, 60, 1000, 700) in the photo."""
    photo = np.zeros((720, 1280, 3), np.uint8)
    copy = working_copy(photo)
    assert copy.shape == (576, 1024, 3)
    found = [Detection("person", 0, 0.9, (96.0, 48.0, 800.0, 560.0))]
    back = to_photo_pixels(found, copy.shape, photo.shape)
    assert back[0].box == pytest.approx((120.0, 60.0, 1000.0, 700.0))
    assert (back[0].label, back[0].score) == ("person", 0.9)


def test_each_axis_has_its_own_ratio():
    """3000 x 1999 → 1024 x round(1999·1024/3000) = 1024 x 682: x · 3000/1024, y · 1999/682."""
    copy = working_copy(np.zeros((1999, 3000, 3), np.uint8))
    assert copy.shape == (682, 1024, 3)
    back = to_photo_pixels(
        [Detection("cat", 15, 0.5, (512.0, 341.0, 1024.0, 682.0))], copy.shape, (1999, 3000)
    )
    assert back[0].box == pytest.approx((1500.0, 999.5, 3000.0, 1999.0))


def test_a_photo_that_fits_is_its_own_copy():
    photo = np.zeros((500, 741, 3), np.uint8)
    assert working_copy(photo) is photo
