"""The animation steps, the edge filters and the volume breakdown against independent computations."""

import numpy as np
import pytest
from scipy import ndimage

from cnn_core.conv.filters import (
    FILTERS,
    course_edge_image,
    edge_response,
    parse_kernel,
    response_to_uint8,
)
from cnn_core.conv.parameters import conv_multiplies, conv_params, dense_params
from cnn_core.conv.reference import cross_correlate2d
from cnn_core.conv.sliding import slide
from cnn_core.conv.volume import filter_breakdown
from cnn_core.errors import ParameterError, ShapeError
from tests.numerics import U64, assert_within, gamma


@pytest.mark.parametrize("operation", ["cross-correlation", "convolution", "max", "average"])
@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), (3, 2), (1, "same")])
def test_slide_output_matches_tensorflow(operation, stride, padding):
    import tensorflow as tf

    x = np.random.default_rng(0).integers(-5, 6, (7, 7)).astype(float)
    kernel = FILTERS["Sobel vertical"]
    result = slide(
        x,
        3 if operation in ("max", "average") else kernel,
        stride=stride,
        padding=padding,
        operation=operation,
    )
    tf_padding = "SAME" if padding == "same" else [[0, 0], [padding, padding], [padding, padding], [0, 0]]
    batch = x[None, :, :, None]
    if operation in ("cross-correlation", "convolution"):
        w = kernel if operation == "cross-correlation" else kernel[::-1, ::-1]
        expected = tf.nn.conv2d(batch, w[:, :, None, None], stride, tf_padding)
    elif padding in (0, "same"):
        pool = tf.nn.max_pool2d if operation == "max" else tf.nn.avg_pool2d
        expected = pool(batch, 3, stride, "VALID" if padding == 0 else "SAME")
    else:
        return  # TensorFlow pooling has no explicit numeric padding
    # integer pixels and filters: every sum is exact; a mean then divides once (or multiplies by a
    # rounded 1/9: twice) on each side
    np.testing.assert_allclose(result.output, expected.numpy()[0, :, :, 0], rtol=gamma(4, U64), atol=0)


def test_slide_steps_walk_the_padded_input_row_by_row():
    result = slide(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding=1)
    assert result.padded.shape == (7, 7)
    assert [(s.top, s.left) for s in result.steps] == [(r, c) for r in (0, 2, 4) for c in (0, 2, 4)]
    first = result.steps[0]
    assert first.value == 4.0  # corner window covers 2x2 real pixels, the rest is zero padding
    np.testing.assert_array_equal(first.terms, first.window * result.kernel)


def test_course_edge_example_and_sobel_on_a_photo():
    np.testing.assert_array_equal(
        cross_correlate2d(course_edge_image(), FILTERS["vertical"])[:, :, 0], [[0, 30, 30, 0]] * 4
    )
    np.testing.assert_array_equal(FILTERS["horizontal"], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
    gray = np.random.default_rng(1).random((20, 30))
    for name in ("Sobel vertical", "Scharr horizontal"):
        expected = ndimage.correlate(gray, FILTERS[name], mode="constant", cval=0.0)
        magnitude = ndimage.correlate(gray, np.abs(FILTERS[name]), mode="constant", cval=0.0)  # gray ≥ 0
        assert_within(edge_response(gray, FILTERS[name]), expected, 2 * gamma(9, U64) * magnitude)


def test_response_display_and_custom_kernel_validation():
    shown = response_to_uint8(np.array([[-2.0, 0.0, 1.0]]), signed=True)
    assert shown.tolist() == [[0, 128, 191]]
    assert response_to_uint8(np.zeros((2, 2))).max() == 0
    with pytest.raises(ShapeError, match="square"):
        parse_kernel([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ShapeError, match="finite"):
        parse_kernel([[1, float("nan")], [0, 1]])
    with pytest.raises(ShapeError, match="table of numbers"):
        parse_kernel([["a", 1], [0, 1]])


def test_volume_breakdown_sums_to_the_layer_output():
    import tensorflow as tf

    rng = np.random.default_rng(2)
    x, w, b = rng.normal(size=(6, 6, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4)
    layer = cross_correlate2d(x, w, b)
    # the same 27 float64 products and the bias, summed in other orders: each within γ_28·Σ|terms|
    magnitude = tf.nn.conv2d(np.abs(x)[None], np.abs(w), 1, "VALID")[0].numpy() + np.abs(b)
    for k in range(4):
        part = filter_breakdown(x, w, b, k)
        bound = 2 * gamma(28, U64) * magnitude[:, :, k]
        assert_within(part.per_channel.sum(axis=0) + b[k], layer[:, :, k], bound)
        assert_within(part.activation, np.maximum(layer[:, :, k], 0), bound)
    with pytest.raises(ParameterError, match=r"filter index must be in 0\.\.3, got 4"):
        filter_breakdown(x, w, b, 4)


def test_parameter_counts_match_keras_layers():
    import keras

    conv = keras.layers.Conv2D(6, 5)
    conv.build((None, 32, 32, 3))
    dense = keras.layers.Dense(120)
    dense.build((None, 400))
    assert conv_params(5, 3, 6) == conv.count_params() == 456
    assert dense_params(400, 120) == dense.count_params() == 48_120
    assert dense_params(32 * 32 * 3, 28 * 28 * 6) == 14_455_392
    assert conv_multiplies(28, 28, 32, 5, 192) == 120_422_400  # the course's "120 M"
    with pytest.raises(ParameterError, match="filters must be ≥ 1, got 0"):
        conv_params(3, 3, 0)
