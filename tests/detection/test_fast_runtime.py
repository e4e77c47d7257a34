"""The onnxruntime path of YOLOv3-tiny (Keras model → ONNX, batch norms folded) against the Keras model.

References: the unfolded Keras model in float64 (rounding ~1e-16, the same on every CPU) and in float32
through TensorFlow; the tolerance is the cross-implementation one of tests.numerics (both float32 paths
differ from the float64 one by their rounding noise only). The translator's layer types are checked one
small model at a time against their Keras float64 twins.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.yolo import letterbox
from cnn_core.errors import ModelFileError
from cnn_core.fast_inference.batch_norm import fold_batch_norm
from cnn_core.images import sample_image
from tests.numerics import assert_matches_reference, float64_twin

IMAGES = ["stereo_motorcycle", "coffee", "astronaut"]


def test_forward_runs_onnxruntime_and_the_model_keeps_darknet_batch_norms(detector, detector_exact):
    import keras

    from cnn_core.fast_inference.onnx_runner import OnnxRunner, onnx_twin

    assert isinstance(onnx_twin(detector.model), OnnxRunner)
    assert onnx_twin(detector.model) is onnx_twin(detector.model)  # translated once
    assert onnx_twin(detector_exact.model) is None  # float64: Keras
    bns = [layer for layer in detector.model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(bns) == 11  # the model explorer still shows darknet's batch norms


def test_every_batch_norm_is_folded_into_its_conv(detector):
    from cnn_core.fast_inference.keras_onnx import keras_to_onnx

    ops = [node.op_type for node in keras_to_onnx(detector.model).graph.node]
    assert "BatchNormalization" not in ops
    assert ops.count("Conv") == 13 and ops.count("MaxPool") == 6 and ops.count("Resize") == 1


@pytest.mark.parametrize("name", [*IMAGES, "noise"])
@pytest.mark.parametrize("size", [416, 320])
def test_onnxruntime_equals_the_keras_model(detector, detector_exact, name, size):
    """forward() (onnxruntime, folded) against the unfolded Keras model in float32 and float64."""
    image = np.random.default_rng(0).integers(0, 256, (240, 320, 3), np.uint8) if name == "noise" else None
    blob, _ = letterbox(sample_image(name) if image is None else image, size)
    fast, exact = detector.forward(blob), detector_exact.forward(blob)  # (S, S, 3, 85) each
    keras_out = [np.asarray(o)[0] for o in detector.model(blob[None], training=False)]  # (S, S, 255)
    for ours, out_exact, reference in zip(keras_out, exact, fast, strict=True):
        assert_matches_reference(ours.reshape(reference.shape), out_exact, reference)


def test_fold_batch_norm_equals_conv_then_batch_norm():
    """conv(x, W') + b' = γ (conv(x, W) + b − μ) / √(σ² + ε) + β, in float64 on a random 1x1 conv."""
    rng = np.random.default_rng(3)
    kernel, bias, x = rng.normal(size=(1, 1, 4, 3)), rng.normal(size=3), rng.normal(size=(5, 4))
    gamma, beta, mean = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3)
    variance = rng.uniform(0.1, 2.0, 3)
    z = x @ kernel[0, 0] + bias  # (5, 3)
    expected = gamma * (z - mean) / np.sqrt(variance + 1e-3) + beta
    w, b = fold_batch_norm(kernel, bias, gamma, beta, mean, variance, 1e-3)
    np.testing.assert_allclose(x @ w[0, 0] + b, expected, rtol=1e-12, atol=1e-12)


def _layer_zoo():
    """A small float32 model with every translated layer type, odd sizes so 'same' pads unevenly."""
    import keras

    from cnn_core.style.layers import ReflectPad2D, StyleInstanceNorm

    layers = keras.layers
    image, vector = keras.Input((None, None, 3), name="image"), keras.Input((5,), name="vector")
    x = layers.Rescaling(1 / 128, offset=-1.0)(image)
    x = layers.Conv2D(6, 3, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(negative_slope=0.1)(layers.BatchNormalization(epsilon=1e-3)(x))
    y = layers.DepthwiseConv2D(3, padding="same")(x)
    y = layers.ReLU(max_value=6.0)(layers.BatchNormalization()(y))
    x = layers.Concatenate()([x, y])
    x = layers.MaxPooling2D(2, 1, padding="same")(x)
    x = layers.MaxPooling2D(3, 2, padding="same")(x)
    x = layers.Conv2D(4, 1, activation="relu")(ReflectPad2D(1)(x))
    gamma, beta = layers.Dense(4)(vector), layers.Dense(4, use_bias=False)(vector)
    x = layers.Add()([x, StyleInstanceNorm()([x, gamma, beta])])
    x = layers.Activation("sigmoid")(layers.UpSampling2D(2)(x))
    pooled = layers.Softmax()(layers.Dense(3)(layers.GlobalAveragePooling2D()(x)))
    return keras.Model([image, vector], [x, pooled], name="layer_zoo")


def _fixed_size_zoo():
    """The face nets' layer types, at a fixed size (Flatten needs one), and an unfolded batch norm."""
    import keras

    from cnn_core.zoo.face_resnet import ChannelZeroPad

    layers = keras.layers
    image = keras.Input((15, 15, 3), name="face")
    x = layers.Rescaling(1 / 255, offset=np.float32([-0.5, -0.4, -0.3]))(image)
    x = layers.SeparableConv2D(6, 3, 2, "same", depth_multiplier=2)(x)  # (8, 8, 6)
    y = layers.ZeroPadding2D(((0, 1), (0, 1)))(layers.Conv2D(6, 3, 2, "valid")(x))  # (4, 4, 6)
    shortcut = ChannelZeroPad(2)(layers.AveragePooling2D(2, 2, "valid")(layers.Conv2D(4, 1)(x)))
    x = layers.BatchNormalization()(layers.Add()([y, shortcut]))  # after an Add: not folded
    x = layers.PReLU(shared_axes=[1, 2])(x)
    x = layers.Flatten()(layers.Permute((2, 1, 3))(x))  # flattened in Keras's NHWC order
    return keras.Model(image, layers.Dense(7, activation="softmax")(x), name="fixed_size_zoo")


@pytest.mark.parametrize("build", [_layer_zoo, _fixed_size_zoo])
def test_translated_layer_types_equal_keras(build):
    import keras

    from cnn_core.fast_inference.keras_onnx import keras_to_onnx
    from cnn_core.fast_inference.onnx_runner import OnnxRunner

    keras.utils.set_random_seed(5)
    rng = np.random.default_rng(5)
    model = build()
    for layer in model.layers:  # weights that make every layer matter
        if isinstance(layer, keras.layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights(
                [rng.uniform(0.5, 2, c), rng.normal(size=c), rng.normal(size=c), rng.uniform(0.5, 2, c)]
            )
        if isinstance(layer, keras.layers.PReLU):
            layer.set_weights([rng.uniform(0.1, 0.5, layer.alpha.shape)])
    exact = float64_twin(build, model)
    runner = OnnxRunner(keras_to_onnx(model))
    shapes = [(1, 17, 23), (2, 32, 32)] if len(model.inputs) == 2 else [(1, 15, 15), (3, 15, 15)]
    for shape in shapes:
        inputs = [rng.uniform(0, 255, (*shape, 3)), rng.normal(size=(shape[0], 5))][: len(model.inputs)]
        inputs = [x.astype(np.float32) for x in inputs]
        doubles = [x.astype(np.float64) for x in inputs]
        ours = [np.asarray(o) for o in keras.tree.flatten(model(inputs if len(inputs) > 1 else inputs[0]))]
        reference = [
            np.asarray(o) for o in keras.tree.flatten(exact(doubles if len(doubles) > 1 else doubles[0]))
        ]
        for out, out_exact, fast in zip(ours, reference, runner(*inputs), strict=True):
            assert fast.shape == out.shape
            assert_matches_reference(out, out_exact, fast)


def test_untranslated_layers_and_dtypes_are_refused():
    import keras

    from cnn_core.fast_inference.keras_onnx import keras_to_onnx
    from cnn_core.fast_inference.onnx_runner import onnx_twin, predict
    from tests.numerics import float64_keras

    x = keras.Input((8, 8, 3))
    cropping = keras.Model(x, keras.layers.Cropping2D(1)(x))
    with pytest.raises(ModelFileError, match=r"\(Cropping2D\) has no ONNX translation"):
        keras_to_onnx(cropping)
    image = np.arange(2 * 8 * 8 * 3, dtype=np.float32).reshape(2, 8, 8, 3)
    assert onnx_twin(cropping) is None  # predict() keeps such a model in Keras
    np.testing.assert_array_equal(predict(cropping, image)[0], image[:, 1:-1, 1:-1])
    with pytest.raises(ModelFileError, match="activation 'tanh'"):
        keras_to_onnx(keras.Model(x, keras.layers.Conv2D(2, 1, activation="tanh")(x)))
    with float64_keras():
        y = keras.Input((8, 8, 3))
        double = keras.Model(y, keras.layers.Conv2D(2, 1)(y))
    with pytest.raises(ModelFileError, match="only float32 models are translated, got float64"):
        keras_to_onnx(double)
