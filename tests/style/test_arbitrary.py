"""The Keras rebuilds of Magenta's style predictor and transformer against onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.images import sample_image
from cnn_core.style.arbitrary import CONTENT_SIDE, STYLE_DIM, STYLE_SIDE, style_vector, stylize_arbitrary
from cnn_core.style.image_ops import center_square, to_unit
from cnn_core.style.mixing import with_strength
from cnn_core.weights import weight_path
from tests.numerics import assert_matches_reference
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


def test_predictor_matches_onnxruntime(predictor, predictor_exact, predict_float, rng):
    images = rng.random((1, 256, 256, 3), dtype=np.float32)
    reference = predict_float.run(None, {"style_image": images})[0].reshape(1, STYLE_DIM)
    exact = predictor_exact(images.astype(np.float64))
    assert_matches_reference(predictor(images, training=False), exact, reference)


def test_transformer_matches_onnxruntime(transformer, transformer_exact, transform_float, rng):
    content = rng.random((1, 384, 384, 3), dtype=np.float32)
    vector = rng.normal(0.0, 1.0, (1, STYLE_DIM)).astype(np.float32)
    reference = transform_float.run(
        None, {"content_image": content, TRANSFORM_STYLE_INPUT: vector.reshape(1, 1, 1, STYLE_DIM)}
    )[0]
    exact = transformer_exact([content.astype(np.float64), vector.astype(np.float64)])
    assert_matches_reference(transformer([content, vector], training=False), exact, reference)


def _style_input(name: str) -> np.ndarray:
    """The predictor's input for a sample picture: its centred square, 256x256, RGB in [0, 1]."""
    return to_unit(center_square(sample_image(name), STYLE_SIDE))[None]


def _content_input(name: str) -> np.ndarray:
    return to_unit(center_square(sample_image(name), CONTENT_SIDE))[None]


def _transform_feed(content: np.ndarray, vector: np.ndarray) -> dict[str, np.ndarray]:
    return {"content_image": content, TRANSFORM_STYLE_INPUT: vector.reshape(1, 1, 1, STYLE_DIM)}


def test_the_apps_path_on_photos_matches_the_float_graph(
    predictor, predictor_exact, transformer, transformer_exact, predict_float, transform_float
):
    """style_vector and the transformer on sample photos, as the page runs them, against onnxruntime."""
    vector = style_vector(predictor, sample_image("chelsea"))
    exact = predictor_exact(_style_input("chelsea").astype(np.float64))[0]
    reference = predict_float.run(None, {"style_image": _style_input("chelsea")})[0].reshape(STYLE_DIM)
    assert_matches_reference(vector, exact, reference)
    content = _content_input("astronaut")
    exact = transformer_exact([content.astype(np.float64), vector[None].astype(np.float64)])
    reference = transform_float.run(None, _transform_feed(content, vector))[0]
    assert_matches_reference(transformer([content, vector[None]], training=False), exact, reference)


#: the pictures whose styles the int8 file must keep apart; the first one is checked
SAMPLES = ("chelsea", "coffee", "rocket", "horse")


def _assert_nearer_to_the_same_sample(ours: dict[str, np.ndarray], int8: np.ndarray, distance) -> None:
    """distance(ours[SAMPLES[0]], int8) < ½ · its distance to ours for any other sample. For a norm the
    triangle inequality then puts the int8 output nearer to ours for the same input than to any other."""
    first = ours[SAMPLES[0]]
    nearest_other = min(distance(first, ours[name]) for name in SAMPLES[1:])
    assert distance(first, int8) < nearest_other / 2


def test_float_rebuild_stays_close_to_the_fully_quantized_file(predictor, transformer):
    """A sanity check, not a precision test. The int8 file also rounds every activation to its int8
    grid (steps of 0.0235 after each ReLU6; the style vector itself is rounded to steps of 0.0199),
    which moves its outputs far more than float32 rounding does, so the bound is loose: the int8 file
    and our rebuild must still tell the sample styles apart. The file runs as written (dequantize,
    float op, quantize), so its output is the same on every CPU."""
    vectors = {name: style_vector(predictor, sample_image(name)) for name in SAMPLES}
    int8_predictor = ort_session(str(weight_path("arbitrary_predict.onnx")), as_written=True)
    int8_vector = int8_predictor.run(None, {"style_image": _style_input(SAMPLES[0])})[0]
    _assert_nearer_to_the_same_sample(
        vectors, int8_vector.reshape(STYLE_DIM), lambda a, b: np.linalg.norm(a - b)
    )

    content = _content_input("astronaut")
    painted = {
        name: np.asarray(transformer([content, v[None]], training=False)) for name, v in vectors.items()
    }
    int8_transformer = ort_session(str(weight_path("arbitrary_transform.onnx")), as_written=True)
    int8_painted = int8_transformer.run(None, _transform_feed(content, vectors[SAMPLES[0]]))[0]
    _assert_nearer_to_the_same_sample(painted, int8_painted, lambda a, b: np.abs(a - b).mean())


def test_stylize_any_aspect_and_strength(predictor, transformer):
    content = sample_image("coffee")  # 400x600
    own, style = style_vector(predictor, content), style_vector(predictor, sample_image("chelsea"))
    painted = stylize_arbitrary(transformer, content, style, size=128)
    assert painted.shape == (85, 128, 3) and painted.dtype == np.uint8
    weak = stylize_arbitrary(transformer, content, with_strength(style, own, 0.0), size=128)
    strong_change = np.abs(painted.astype(int) - weak.astype(int)).mean()
    assert strong_change > 2.0  # strength 0 paints the photo in its own style: a visibly different image
