"""Arbitrary-style transfer (Ghiasi et al., BMVC 2017) rebuilt in Keras from Magenta's int8 ONNX files.

Two networks: a *predictor* (MobileNetV2, 256x256 style picture → a 100-number style vector ``s``) and a
*transformer* that paints a content photo in style ``s``. Each of its instance norms takes γ = A·s + a
and β = B·s + b (one dense layer each), so any picture — or any mix of style vectors — is a style.
Weights are stored int8 with per-channel scales and are dequantized at load; the rebuilt networks run
in float32 (the ONNX files also quantize activations, which only adds rounding noise).

Transformer layout: reflect-padded convolutions — 9x9/1 (8), 3x3/2 (16), 3x3/2 (32), each + bias and
ReLU; five residual blocks ``x + IN(conv(ReLU(IN(conv(x)))))``; nearest x2 + 3x3 (16), x2 + 3x3 (8),
9x9 (3), each with style instance norm, ReLU, ReLU, sigmoid. Images are RGB in [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.style.image_ops import (
    center_square,
    check_size,
    check_style_image,
    fit_longer_side,
    pad_to_multiple,
    to_uint8,
    to_unit,
)

if TYPE_CHECKING:
    import keras

PREDICT_FILE = "arbitrary_predict.onnx"
TRANSFORM_FILE = "arbitrary_transform.onnx"
#: Side of the square style picture the predictor was trained on.
STYLE_SIDE = 256
#: Longer side of the content photo the transformer was exported for (it runs at any multiple of 4).
CONTENT_SIDE = 384
STYLE_DIM = 100
_STRIDE_2_BLOCKS = {1, 3, 6, 13}  # MobileNetV2 (Sandler et al., 2018): where the resolution halves
_MOBILENET_BLOCKS = 17


def _load(name: str) -> dict[str, np.ndarray]:
    from cnn_core.readers.onnx_initializers import read_initializers
    from cnn_core.weights import weight_path

    return read_initializers(weight_path(name))


def build_style_predictor(params: dict[str, np.ndarray] | None = None) -> keras.Model:
    """MobileNetV2 (ReLU6, BN folded into biases), average pool, dense: (N, 256, 256, 3) → (N, 100)."""
    import keras

    from cnn_core.style.layers import keras_kernel, loaded

    params = _load(PREDICT_FILE) if params is None else params

    def conv(x, name: str, stride: int = 1, relu6: bool = True):
        kernel = params[f"MobilenetV2/{name}/weights"]  # (out, in, k, k)
        tag = name.replace("/", "_")
        layer = keras.layers.Conv2D(
            kernel.shape[0], kernel.shape[-1], strides=stride, padding="same", name=tag
        )
        x = loaded(layer, x, keras_kernel(kernel), params[f"MobilenetV2/{name}/Conv2D_bias"])
        return keras.layers.ReLU(6.0, name=f"{tag}_relu6")(x) if relu6 else x

    def depthwise(x, name: str, stride: int):
        kernel = params[f"MobilenetV2/{name}/depthwise_weights"]  # (C, 1, 3, 3)
        layer = keras.layers.DepthwiseConv2D(3, strides=stride, padding="same", name=name.replace("/", "_"))
        x = loaded(layer, x, kernel.transpose(2, 3, 0, 1), params[f"MobilenetV2/{name}/depthwise_bias"])
        return keras.layers.ReLU(6.0, name=f"{name.replace('/', '_')}_relu6")(x)

    image = keras.Input((None, None, 3), name="style_image")
    x = conv(image, "Conv", stride=2)
    for block in range(_MOBILENET_BLOCKS):
        name = "expanded_conv" + (f"_{block}" if block else "")
        stride = 2 if block in _STRIDE_2_BLOCKS else 1
        y = conv(x, f"{name}/expand") if f"MobilenetV2/{name}/expand/weights" in params else x
        y = depthwise(y, f"{name}/depthwise", stride)
        y = conv(y, f"{name}/project", relu6=False)
        x = keras.layers.Add(name=f"{name}_add")([x, y]) if stride == 1 and x.shape[-1] == y.shape[-1] else y
    x = conv(x, "Conv_1")
    x = keras.layers.GlobalAveragePooling2D(name="bottleneck")(x)  # (N, 1280)
    head = keras.layers.Dense(STYLE_DIM, name="style_vector")
    # the file stores this layer's (all-zero) bias under the name "zero_point__100"
    out = loaded(head, x, params["mobilenet_conv/Conv/weights"][:, :, 0, 0].T, params["zero_point__100"])
    return keras.Model(image, out, name="magenta_style_predictor")


def build_style_transformer(params: dict[str, np.ndarray] | None = None) -> keras.Model:
    """``[content (N, H, W, 3), style vector (N, 100)] → (N, H, W, 3)``; H, W multiples of 4."""
    import keras

    from cnn_core.style.layers import ReflectPad2D, StyleInstanceNorm, keras_kernel, loaded

    params = _load(TRANSFORM_FILE) if params is None else params
    image = keras.Input((None, None, 3), name="content_image")
    style = keras.Input((STYLE_DIM,), name="style_vector")

    def conv(x, name: str, stride: int = 1):
        kernel = params[f"transformer/{name}/weights"]  # (out, in, k, k)
        tag = name.replace("/", "_")
        x = ReflectPad2D(kernel.shape[-1] // 2, name=f"{tag}_pad")(x)
        bias = params.get(f"transformer/{name}/Conv2D_bias")
        layer = keras.layers.Conv2D(
            kernel.shape[0], kernel.shape[-1], strides=stride, use_bias=bias is not None, name=tag
        )
        return loaded(layer, x, keras_kernel(kernel), *([] if bias is None else [bias]))

    def style_norm(x, name: str, activation: str | None):
        """Instance norm with γ, β predicted from the style vector by 1x1 convolutions (= dense layers)."""
        tag, prefix = name.replace("/", "_"), f"style_params/transformer/{name}/StyleNorm"

        def dense(part: str, suffix: str):
            kernel = params[f"{prefix}/{suffix}/weights"][:, :, 0, 0].T  # (100, C)
            layer = keras.layers.Dense(kernel.shape[1], name=f"{tag}_{part}")
            return loaded(layer, style, kernel, params[f"{prefix}/{suffix}/Conv2D_bias"])

        x = StyleInstanceNorm(1e-5, name=f"{tag}_norm")([x, dense("gamma", "Conv_1"), dense("beta", "Conv")])
        return keras.layers.Activation(activation, name=f"{tag}_{activation}")(x) if activation else x

    x = image
    for index, stride in ((1, 1), (2, 2), (3, 2)):
        x = keras.layers.ReLU(name=f"contract_conv{index}_relu")(conv(x, f"contract/conv{index}", stride))
    for block in range(1, 6):
        y = style_norm(conv(x, f"residual/residual{block}/conv1"), f"residual/residual{block}/conv1", "relu")
        y = style_norm(conv(y, f"residual/residual{block}/conv2"), f"residual/residual{block}/conv2", None)
        x = keras.layers.Add(name=f"residual{block}_add")([x, y])
    for index, activation in ((1, "relu"), (2, "relu"), (3, "sigmoid")):
        if index < 3:
            x = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"expand_up{index}")(x)
        name = f"expand/conv{index}/conv"
        x = style_norm(conv(x, name), name, activation)
    return keras.Model([image, style], x, name="magenta_style_transformer")


def style_vector(predictor: keras.Model, style_image: np.ndarray) -> np.ndarray:
    """The (100,) style vector of a picture: its centred square at 256x256, RGB in [0, 1]."""
    square = center_square(check_style_image(style_image, "style image"), STYLE_SIDE)
    return predict(predictor, to_unit(square)[None])[0][0]


def stylize_arbitrary(
    transformer: keras.Model, content: np.ndarray, vector: np.ndarray, size: int = CONTENT_SIDE
) -> np.ndarray:
    """Paint ``content`` (H, W, 3) uint8 in style ``vector`` (100,) at longer side ``size``; uint8 out."""
    small = fit_longer_side(check_style_image(content, "content"), check_size(size))
    height, width = small.shape[:2]
    x = pad_to_multiple(to_unit(small), 4)[None]  # (1, H', W', 3)
    v = np.asarray(vector, dtype=np.float32).reshape(1, STYLE_DIM)
    return to_uint8(predict(transformer, x, v)[0][0, :height, :width])
