"""EfficientNet-Lite0's classification through its onnxruntime twin (what ``classify`` and the Activations
page run) against the Keras model it is translated from, in float32 through TensorFlow and as a float64
twin (rounding ~1e-16 on every CPU); the tolerance is tests.numerics' cross-implementation one."""

from __future__ import annotations

import numpy as np

from cnn_core.activations.classify import classifier_input, classify
from cnn_core.images import sample_image
from tests.numerics import assert_matches_reference, float64_twin


def test_probabilities_and_top5_equal_the_keras_model(lite0):
    from cnn_core.fast_inference.onnx_runner import OnnxRunner, onnx_twin, predict
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    assert isinstance(onnx_twin(lite0), OnnxRunner)  # every layer of Lite0 has a translation
    exact = float64_twin(build_efficientnet_lite0, lite0)
    for name in ("coffee", "chelsea", "astronaut"):
        x = classifier_input(sample_image(name))[None]
        fast = predict(lite0, x)[0]
        keras_out = np.asarray(lite0(x, training=False))
        assert_matches_reference(keras_out, np.asarray(exact(x.astype(np.float64))), fast)
        top5 = [row["index"] for row in classify(lite0, sample_image(name))]
        assert top5[0] == int(np.argmax(keras_out[0]))
