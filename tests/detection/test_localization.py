"""The course's localization target y and its two losses, against hand-computed numbers, math.log and
keras.losses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnn_core.detection.localization import (
    RelativeBox,
    mixed_loss,
    near_miss,
    notes_class,
    squared_error_loss,
    target_vector,
)
from cnn_core.errors import ParameterError, ShapeError
from tests.numerics import U32

#: a car filling x 50..150, y 20..80 of a 200 x 100 photo: midpoint (0.5, 0.5), height 0.6, width 0.5
CAR = [1.0, 0.5, 0.5, 0.6, 0.5, 0.0, 1.0, 0.0]
#: a prediction that misses every entry a little
PREDICTION = [0.8, 0.4, 0.5, 0.5, 0.7, 0.1, 0.7, 0.2]
NOTHING = [0.0] + [np.nan] * 7


def test_box_from_pixels_and_target():
    box = RelativeBox.from_corners((50, 20, 150, 80), 200, 100)
    assert (box.bx, box.by, box.bh, box.bw) == pytest.approx((0.5, 0.5, 0.6, 0.5))
    np.testing.assert_allclose(target_vector(box, 1), CAR)
    assert target_vector(box, 0)[5:].tolist() == [1.0, 0.0, 0.0]  # c_1: pedestrian
    assert box.corners(200, 100) == pytest.approx((50, 20, 150, 80))


def test_no_object_is_zero_then_dont_care():
    y = target_vector(None, None)
    assert y[0] == 0.0 and np.isnan(y[1:]).all() and y.shape == (8,)


def test_coco_labels_map_to_the_course_classes():
    assert [notes_class(n) for n in ("person", "car", "motorbike", "bicycle", "cup")] == [0, 1, 2, None, None]


def test_squared_error_with_an_object_sums_all_eight_squares():
    loss = squared_error_loss(CAR, PREDICTION)
    hand = [0.04, 0.01, 0.0, 0.01, 0.04, 0.01, 0.09, 0.04]  # (ŷ_i − y_i)², entry by entry
    np.testing.assert_allclose(loss.terms, hand, atol=1e-15)
    assert loss.total == pytest.approx(0.24, abs=1e-15)
    assert loss.kinds == ("squared",) * 8


def test_squared_error_without_an_object_counts_only_p_c():
    loss = squared_error_loss(NOTHING, [0.3, 5, 5, 5, 5, 5, 5, 5])
    assert loss.total == pytest.approx(0.09, abs=1e-16)
    assert np.isnan(loss.terms[1:]).all() and loss.kinds[1:] == ("ignored",) * 7


def test_mixed_loss_against_math_log():
    loss = mixed_loss(CAR, PREDICTION)
    assert loss.terms[0] == pytest.approx(-math.log(0.8), rel=1e-15)
    np.testing.assert_allclose(loss.terms[1:5], [0.01, 0.0, 0.01, 0.04], atol=1e-15)
    np.testing.assert_allclose(loss.terms[5:], [0.0, -math.log(0.7), 0.0], rtol=1e-15)
    assert loss.total == pytest.approx(-math.log(0.8) + 0.06 - math.log(0.7), rel=1e-15)
    empty = mixed_loss(NOTHING, [0.3, 5, 5, 5, 5, 0.2, 0.3, 0.5])
    assert empty.total == pytest.approx(-math.log(0.7), rel=1e-15)
    assert np.isnan(empty.terms[1:]).all()


def test_mixed_loss_against_keras_losses():
    """keras's binary and categorical cross-entropy (float32; the class entries normalised to sum 1 in both),
    to a few float32 roundings of each term."""
    import keras

    y_hat = [0.8, 0.4, 0.5, 0.5, 0.7, 0.2, 0.4, 0.2]  # class entries sum to 0.8
    loss = mixed_loss(CAR, y_hat)
    bce = float(keras.losses.binary_crossentropy(np.array([1.0]), np.array([0.8])))
    cce = float(
        keras.losses.categorical_crossentropy(np.array([[0.0, 1.0, 0.0]]), np.array([[0.2, 0.4, 0.2]]))[0]
    )
    tolerance = 16 * U32  # relative: a clip, a division, a log and a product, each rounded in float32
    assert loss.terms[0] == pytest.approx(bce, rel=tolerance)
    assert loss.terms[6] == pytest.approx(cce, rel=tolerance)
    assert cce == pytest.approx(math.log(2), rel=tolerance)  # 0.4 / 0.8 = 0.5


def test_near_miss_is_close_to_the_target():
    np.testing.assert_allclose(near_miss(CAR), [0.9, 0.55, 0.47, 0.54, 0.45, 0.1, 0.8, 0.1], atol=1e-12)


def test_bad_inputs_are_explained():
    box = RelativeBox(0.5, 0.5, 0.2, 0.2)
    with pytest.raises(ParameterError, match="class_id must be a whole number in \\[0, 2\\], got 3"):
        target_vector(box, 3)
    with pytest.raises(ParameterError, match="midpoint"):
        target_vector(RelativeBox(1.2, 0.5, 0.2, 0.2), 0)
    with pytest.raises(ParameterError, match=r"p_c must be 0 or 1, got 0\.5"):
        squared_error_loss([0.5] * 8, PREDICTION)
    with pytest.raises(ShapeError, match="\\(8,\\) and \\(7,\\)"):
        squared_error_loss(CAR, PREDICTION[:7])
    with pytest.raises(ParameterError, match=r"probability in \[0, 1\].*got 1\.5"):
        mixed_loss(CAR, [1.5, *PREDICTION[1:]])
    with pytest.raises(ParameterError, match="not all 0"):
        mixed_loss(CAR, [*PREDICTION[:5], 0.0, 0.0, 0.0])
