"""Keras layers the feed-forward stylisers share: reflection padding and style-conditioned instance norm.

Both fast networks (Dumoulin et al., ICLR 2017, "A Learned Representation for Artistic Style"; Ghiasi et
al., BMVC 2017, "Exploring the structure of a real-time, arbitrary neural artistic stylization network")
pad with reflection before each convolution and normalise each channel of each image on its own, then
scale and shift it with a γ and β that come from the style:

    IN(x) = γ · (x − μ) / √(σ² + ε) + β,    μ, σ² = mean and variance of x over H and W.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops


class ReflectPad2D(keras.layers.Layer):
    """Mirror-pad an (N, H, W, C) tensor by ``pad`` pixels on every side, the edge pixel not repeated."""

    def __init__(self, pad: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pad = pad

    def call(self, x):
        p = self.pad
        return ops.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        grow = lambda size: None if size is None else size + 2 * self.pad  # noqa: E731
        return (n, grow(h), grow(w), c)


class StyleInstanceNorm(keras.layers.Layer):
    """Instance norm whose γ and β (each (N, C), one row per image) are inputs: ``[x, gamma, beta]``.

    ``x``: (N, H, W, C). With γ = 1, β = 0 it is plain instance normalisation (Ulyanov et al., 2016).
    """

    def __init__(self, epsilon: float = 1e-5, **kwargs) -> None:
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, inputs):
        x, gamma, beta = inputs
        mean = ops.mean(x, axis=(1, 2), keepdims=True)  # (N, 1, 1, C)
        variance = ops.mean(ops.square(x - mean), axis=(1, 2), keepdims=True)
        normalised = (x - mean) / ops.sqrt(variance + self.epsilon)
        return normalised * gamma[:, None, None, :] + beta[:, None, None, :]

    def compute_output_shape(self, input_shapes):
        return input_shapes[0]


def keras_kernel(onnx_weight: np.ndarray) -> np.ndarray:
    """An ONNX/PyTorch conv kernel (out, in, kh, kw) in Keras layout (kh, kw, in, out).

    >>> keras_kernel(np.zeros((8, 3, 9, 5))).shape
    (9, 5, 3, 8)
    """
    return onnx_weight.transpose(2, 3, 1, 0)


def loaded(layer: keras.layers.Layer, x, *weights: np.ndarray):
    """Call ``layer`` on ``x`` (which builds it), then give it ``weights``; return the output tensor."""
    y = layer(x)
    layer.set_weights(list(weights))
    return y
