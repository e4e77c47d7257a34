"""The Keras rebuilds of Magenta's style predictor and transformer against onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.images import sample_image
from cnn_core.style.arbitrary import STYLE_DIM, style_vector, stylize_arbitrary
from cnn_core.style.mixing import with_strength
from cnn_core.weights import weight_path
from tests.style.conftest import float_graph, ort_session

TRANSFORM_STYLE_INPUT = "mobilenet_conv/Conv/BiasAdd"


@pytest.fixture(scope="module")
def predict_float():
    return ort_session(float_graph("arbitrary_predict.onnx"))


@pytest.fixture(scope="module")
def transform_float():
    return ort_session(float_graph("arbitrary_transform.onnx"))


def test_parameter_counts(predictor, transformer):
    # every dequantized weight is used; the transformer's convolutions before an instance norm have
    # all-zero biases in the file (a bias there cancels), which we leave out: 177,786 − 57 stored values
    assert predictor.count_params() == 2_334_916
    assert transformer.count_params() == 177_729


def test_predictor_matches_onnxruntime(predictor, predict_float, rng):
    images = rng.random((1, 256, 256, 3), dtype=np.float32)
    reference = predict_float.run(None, {"style_image": images})[0].reshape(1, STYLE_DIM)
    np.testing.assert_allclose(np.asarray(predictor(images, training=False)), reference, atol=1e-4)


def test_transformer_matches_onnxruntime(transformer, transform_float, rng):
    content = rng.random((1, 384, 384, 3), dtype=np.float32)
    vector = rng.normal(0.0, 1.0, (1, STYLE_DIM)).astype(np.float32)
    reference = transform_float.run(
        None, {"content_image": content, TRANSFORM_STYLE_INPUT: vector.reshape(1, 1, 1, STYLE_DIM)}
    )[0]
    np.testing.assert_allclose(
        np.asarray(transformer([content, vector], training=False)), reference, atol=1e-4
    )


def test_float_rebuild_stays_close_to_the_fully_quantized_file(predictor, transformer):
    """The original int8 graph also rounds activations: expect small, not tiny, differences."""
    style = sample_image("chelsea")
    vector = style_vector(predictor, style)
    from cnn_core.style.image_ops import center_square, to_unit

    quantized_vector = (
        ort_session(str(weight_path("arbitrary_predict.onnx")))
        .run(None, {"style_image": to_unit(center_square(style, 256))[None]})[0]
        .reshape(STYLE_DIM)
    )
    assert np.corrcoef(vector, quantized_vector)[0, 1] > 0.999
    content = to_unit(center_square(sample_image("astronaut"), 384))[None]
    quantized = ort_session(str(weight_path("arbitrary_transform.onnx"))).run(
        None, {"content_image": content, TRANSFORM_STYLE_INPUT: vector.reshape(1, 1, 1, STYLE_DIM)}
    )[0]
    ours = np.asarray(transformer([content, vector[None]], training=False))
    assert np.abs(ours - quantized).mean() < 0.03


def test_stylize_any_aspect_and_strength(predictor, transformer):
    content = sample_image("coffee")  # 400x600
    own, style = style_vector(predictor, content), style_vector(predictor, sample_image("chelsea"))
    painted = stylize_arbitrary(transformer, content, style, size=128)
    assert painted.shape == (85, 128, 3) and painted.dtype == np.uint8
    weak = stylize_arbitrary(transformer, content, with_strength(style, own, 0.0), size=128)
    strong_change = np.abs(painted.astype(int) - weak.astype(int)).mean()
    assert strong_change > 2.0  # strength 0 paints the photo in its own style: a visibly different image
