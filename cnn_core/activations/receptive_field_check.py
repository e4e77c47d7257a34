"""The empirical check of the analytic receptive fields: which input pixels can move a unit at all?

For unit (row, col) of a layer, the input pixels x with ∂(Σ_c a[row, col, c]) / ∂x ≠ 0 lie inside its
receptive field (Araujo et al., Distill 2019). In a trained network some of those gradients vanish
by chance (a ReLU that is off, the loser of a max pool), so we take the gradient on a copy of the graph
in which every path adds positively: max pooling becomes average pooling; activations, Dropout and
Rescaling become identities; BatchNorm becomes (nearly) the identity; kernels hold 1/fan-in and biases 0,
so activations stay near 1 and even the faint paths to the window's edges stay far above float32's
underflow (≈ 1e-38; for 50 layers of 3x3 averaging an edge row still gets ≈ 3^-50 ≈ 1e-24). The
non-zero gradients then fill exactly the receptive field, clipped to the image.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.feature_maps import feature_model
from cnn_core.errors import ParameterError

if TYPE_CHECKING:
    import keras

_IDENTITY_STANDINS = ("ReLU", "Activation", "Softmax", "LeakyReLU", "Dropout", "Rescaling")


def _positive_weights(layer) -> list[np.ndarray]:
    """Kernels 1/fan-in, biases 0; BatchNorm γ = 1, β = 0, mean 0, variance 1."""
    if type(layer).__name__ == "BatchNormalization":
        return [np.ones(w.shape) if "gamma" in w.path or "variance" in w.path else np.zeros(w.shape)
                for w in layer.weights]  # fmt: skip
    return [np.full(w.shape, 1 / np.prod(w.shape[:-1])) if len(w.shape) > 1 else np.zeros(w.shape)
            for w in layer.weights]  # fmt: skip


def positive_linear_clone(model: keras.Model, input_shape: tuple[int, int, int]) -> keras.Model:
    """A float32 copy of ``model`` (any functional or sequential Keras model) as described above."""
    import keras

    layers = keras.layers

    def clone(layer):
        kind, config = type(layer).__name__, layer.get_config()
        config["dtype"] = "float32"
        if kind in _IDENTITY_STANDINS:
            return layers.Identity(name=layer.name, dtype="float32")
        if kind in ("MaxPooling2D", "GlobalMaxPooling2D"):
            return getattr(layers, kind.replace("Max", "Average")).from_config(config)
        if "activation" in config:
            config["activation"] = "linear"
        return type(layer).from_config(config)

    inputs = keras.Input(input_shape, dtype="float32")
    copy = keras.models.clone_model(model, input_tensors=inputs, clone_function=clone)
    for layer in copy.layers:
        layer.set_weights(_positive_weights(layer))
    return copy


def gradient_windows(
    model: keras.Model, units: list[tuple[str, int, int]], input_size: tuple[int, int] | None = None
) -> list[tuple[int, int, int, int]]:
    """For each unit ``(layer name, row, col)``: the bounding box ``(top, left, bottom, right)`` (inclusive)
    of the input pixels with a non-zero gradient. Compare with ``LayerRF.window`` clipped to the image.
    """
    import tensorflow as tf

    size = tuple(input_size or model.inputs[0].shape[1:3])
    names = list(dict.fromkeys(name for name, _, _ in units))
    # only the part of the graph that feeds the probed layers is copied
    part = feature_model(model, names)
    copy = positive_linear_clone(part, (*size, model.inputs[0].shape[-1]))
    image = tf.ones((1, *size, model.inputs[0].shape[-1]), dtype=tf.float32)
    windows = []
    for name, row, col in units:
        with tf.GradientTape() as tape:
            tape.watch(image)
            output = copy(image)[name]  # (1, h, w, C)
            if not (0 <= row < output.shape[1] and 0 <= col < output.shape[2]):
                raise ParameterError(f"unit ({row}, {col}) is not on the {name} map of shape {output.shape}")
            activation = tf.reduce_sum(output[0, row, col])
        seen = np.abs(tape.gradient(activation, image).numpy()[0]).sum(axis=-1) > 0  # (H, W)
        rows, cols = np.flatnonzero(seen.any(axis=1)), np.flatnonzero(seen.any(axis=0))
        windows.append((int(rows[0]), int(cols[0]), int(rows[-1]), int(cols[-1])))
    return windows
