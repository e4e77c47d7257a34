"""The onnxruntime translation of the fast style networks (stylize_* run them through a tf.function, faster
here for these reflect-padded, instance-normalised nets; bench_networks compares both) against their
Keras models: in float32 through TensorFlow and in float64 (the CPU-independent reference); the
tolerance is tests.numerics' cross-implementation one. Inputs are real photos.
"""

from __future__ import annotations

import numpy as np

from cnn_core.fast_inference.onnx_runner import OnnxRunner, onnx_twin, predict
from cnn_core.images import sample_image
from cnn_core.style.arbitrary import STYLE_SIDE
from cnn_core.style.image_ops import center_square, fit_longer_side, pad_to_multiple, to_unit
from cnn_core.style.mixing import style_weights
from tests.numerics import assert_matches_reference


def _photo(name: str, side: int) -> np.ndarray:
    """(1, H, W, 3) float32 RGB in [0, 1], longer side ``side``, padded to multiples of 4."""
    return pad_to_multiple(to_unit(fit_longer_side(sample_image(name), side)), 4)[None].astype(np.float32)


def _assert_fast_equals_keras(model, exact, *inputs: np.ndarray) -> None:
    assert isinstance(onnx_twin(model), OnnxRunner)
    keras_out = np.asarray(model(list(inputs) if len(inputs) > 1 else inputs[0], training=False))
    doubles = [x.astype(np.float64) for x in inputs]
    reference = np.asarray(exact(doubles if len(doubles) > 1 else doubles[0]))
    assert_matches_reference(keras_out, reference, predict(model, *inputs)[0])


def test_multistyle_equals_keras(multistyle_model, multistyle_exact):
    mix = style_weights({3: 0.5, 19: 0.5})[None].astype(np.float32)
    _assert_fast_equals_keras(multistyle_model, multistyle_exact, _photo("chelsea", 96), mix)


def test_style_predictor_and_transformer_equal_keras(
    predictor, predictor_exact, transformer, transformer_exact
):
    square = to_unit(center_square(sample_image("coffee"), STYLE_SIDE))[None].astype(np.float32)
    _assert_fast_equals_keras(predictor, predictor_exact, square)
    vector = predict(predictor, square)[0]  # (1, 100)
    _assert_fast_equals_keras(transformer, transformer_exact, _photo("astronaut", 96), vector)


def test_float64_models_stay_in_keras(multistyle_exact):
    assert onnx_twin(multistyle_exact) is None
