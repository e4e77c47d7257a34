"""ONNX nodes for each Keras layer type our CPU networks use: ``TRANSLATE[class name](graph, layer, inputs)``.

Images are NCHW inside the graph, so axes of 4-D tensors are mapped from Keras's NHWC; "same" padding is
ONNX's ``SAME_UPPER`` (the extra pixel, if any, at the bottom and right, as TensorFlow pads), and a
max-pool never takes its padding as a maximum in either. A translation that does not exist raises
ModelFileError rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from cnn_core.errors import ModelFileError
from cnn_core.fast_inference.batch_norm import fold_batch_norm

if TYPE_CHECKING:
    import onnx

_NHWC_TO_NCHW_AXIS = {0: 0, 1: 2, 2: 3, 3: 1, -1: 1}
_AUTO_PAD = {"same": "SAME_UPPER", "valid": "VALID"}


class Graph:
    """The ONNX nodes and constants built so far, and the ONNX name of each Keras tensor."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self.names: dict[int, str] = {}  # id(KerasTensor) → ONNX value name

    def constant(self, name: str, value: npt.ArrayLike) -> str:
        from onnx import numpy_helper

        self.constants.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attributes) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def _array(layer, name: str) -> np.ndarray:
    """The layer's variable ``name`` as a float32 array."""
    return np.asarray(getattr(layer, name), np.float32)


def _optional(layer, name: str) -> np.ndarray | None:
    """The layer's variable ``name`` as a float32 array, or None where the layer has none (no bias)."""
    return None if getattr(layer, name, None) is None else _array(layer, name)


def _batch_norm_weights(bn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """γ, β, μ, σ² of a Keras BatchNormalization layer (γ = 1 or β = 0 where it has none)."""
    mean, variance = _array(bn, "moving_mean"), _array(bn, "moving_variance")
    gamma, beta = _optional(bn, "gamma"), _optional(bn, "beta")
    gamma = np.ones_like(mean) if gamma is None else gamma
    return gamma, np.zeros_like(mean) if beta is None else beta, mean, variance


def _conv(g: Graph, layer, inputs: list[str], bn=None) -> str:
    """Conv2D / DepthwiseConv2D (+ a folded batch norm ``bn``) + the layer's own activation."""
    kernel, bias = _array(layer, "kernel"), _optional(layer, "bias")
    depthwise = type(layer).__name__ == "DepthwiseConv2D"
    if depthwise:  # Keras (kh, kw, C, multiplier) → (kh, kw, 1, C·multiplier)
        kernel = kernel.reshape(*kernel.shape[:2], 1, -1)
    if bn is not None:
        kernel, bias = fold_batch_norm(kernel, bias, *_batch_norm_weights(bn), bn.epsilon)
    name = layer.name if bn is None else bn.name
    weights = [g.constant(f"{name}.W", kernel.transpose(3, 2, 0, 1))]  # (out, in / groups, kh, kw)
    weights += [] if bias is None else [g.constant(f"{name}.B", bias)]
    x = g.node(
        "Conv",
        [inputs[0], *weights],
        f"{name}.conv",
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.strides),
        dilations=list(layer.dilation_rate),
        auto_pad=_AUTO_PAD[layer.padding],
        group=kernel.shape[3] if depthwise else layer.groups,
    )
    return _activation(g, layer.activation.__name__, x, name)


def _activation(g: Graph, activation: str, x: str, name: str) -> str:
    """An activation by its Keras name (linear, relu, relu6, sigmoid, softmax)."""
    if activation == "linear":
        return x
    if activation == "relu6":
        return g.node(
            "Clip",
            [x, g.constant(f"{name}.lo", np.float32(0)), g.constant(f"{name}.hi", np.float32(6))],
            name,
        )
    if activation == "softmax":  # over the channels: axis 1 of (N, C) and of (N, C, H, W)
        return g.node("Softmax", [x], name, axis=1)
    ops = {"relu": "Relu", "sigmoid": "Sigmoid"}
    if activation not in ops:
        raise ModelFileError(f"layer {name}: activation '{activation}' has no ONNX translation here")
    return g.node(ops[activation], [x], name)


def _relu(g: Graph, layer, inputs: list[str]) -> str:
    if layer.negative_slope or layer.threshold or layer.max_value not in (None, 6.0):
        raise ModelFileError(f"layer {layer.name}: only ReLU and ReLU6 are translated")
    return _activation(g, "relu" if layer.max_value is None else "relu6", inputs[0], layer.name)


def _batch_norm(g: Graph, layer, inputs: list[str]) -> str:
    constants = [g.constant(f"{layer.name}.{i}", w) for i, w in enumerate(_batch_norm_weights(layer))]
    return g.node("BatchNormalization", [inputs[0], *constants], layer.name, epsilon=layer.epsilon)


def _max_pool(g: Graph, layer, inputs: list[str]) -> str:
    return g.node(
        "MaxPool",
        inputs,
        layer.name,
        kernel_shape=list(layer.pool_size),
        strides=list(layer.strides),
        auto_pad=_AUTO_PAD[layer.padding],
    )


def _upsample(g: Graph, layer, inputs: list[str]) -> str:
    if layer.interpolation != "nearest":
        raise ModelFileError(f"layer {layer.name}: only nearest upsampling is translated")
    scales = g.constant(f"{layer.name}.scales", np.array([1, 1, *layer.size], np.float32))
    return g.node(
        "Resize",
        [inputs[0], "", scales],
        layer.name,
        mode="nearest",
        coordinate_transformation_mode="asymmetric",
        nearest_mode="floor",
    )  # out[i] = in[floor(i / s)]: each pixel repeated s times


def _axis(layer, axis: int) -> int:
    """The ONNX axis of a Keras axis of the layer's output (NHWC → NCHW for images)."""
    return _NHWC_TO_NCHW_AXIS[axis] if len(layer.output.shape) == 4 else axis


def _concatenate(g: Graph, layer, inputs: list[str]) -> str:
    return g.node("Concat", inputs, layer.name, axis=_axis(layer, layer.axis))


def _rescaling(g: Graph, layer, inputs: list[str]) -> str:
    """x · scale + offset, each a number or one value per channel (the last Keras axis)."""

    def per_channel(value) -> np.ndarray:
        value = np.asarray(value, np.float32)
        return value.reshape(-1, 1, 1) if value.ndim and len(layer.output.shape) == 4 else value  # (C, 1, 1)

    scale = g.constant(f"{layer.name}.scale", per_channel(layer.scale))
    offset = g.constant(f"{layer.name}.offset", per_channel(layer.offset))
    return g.node("Add", [g.node("Mul", [inputs[0], scale], f"{layer.name}.mul"), offset], layer.name)


def _global_average(g: Graph, layer, inputs: list[str]) -> str:
    if layer.keepdims:
        raise ModelFileError(f"layer {layer.name}: keepdims=True is not translated")
    x = g.node("GlobalAveragePool", inputs, f"{layer.name}.pool")  # (N, C, 1, 1)
    return g.node("Flatten", [x], layer.name, axis=1)  # (N, C)


def _dense(g: Graph, layer, inputs: list[str]) -> str:
    if len(layer.input.shape) != 2:
        raise ModelFileError(f"layer {layer.name}: only dense layers on (N, features) are translated")
    kernel, bias = _array(layer, "kernel"), _optional(layer, "bias")  # (in, out), (out,)
    x = g.node("MatMul", [inputs[0], g.constant(f"{layer.name}.W", kernel)], f"{layer.name}.matmul")
    x = x if bias is None else g.node("Add", [x, g.constant(f"{layer.name}.B", bias)], f"{layer.name}.add")
    return _activation(g, layer.activation.__name__, x, layer.name)


def _reflect_pad(g: Graph, layer, inputs: list[str]) -> str:
    p = layer.pad  # pads: the N, C, H, W begins, then their ends
    pads = g.constant(f"{layer.name}.pads", np.array([0, 0, p, p, 0, 0, p, p], np.int64))
    return g.node("Pad", [inputs[0], pads], layer.name, mode="reflect")


def _style_instance_norm(g: Graph, layer, inputs: list[str]) -> str:
    """(x − μ) / √(σ² + ε) per image and channel, then · γ + β with γ, β (N, C) inputs of the graph."""
    x, gamma, beta = inputs
    channels = layer.output.shape[-1]
    ones, zeros = np.ones(channels, np.float32), np.zeros(channels, np.float32)
    unit = [g.constant(f"{layer.name}.one", ones), g.constant(f"{layer.name}.zero", zeros)]
    x = g.node("InstanceNormalization", [x, *unit], f"{layer.name}.in", epsilon=layer.epsilon)
    axes = g.constant(f"{layer.name}.axes", np.array([2, 3], np.int64))
    gamma = g.node("Unsqueeze", [gamma, axes], f"{layer.name}.gamma")  # (N, C, 1, 1)
    beta = g.node("Unsqueeze", [beta, axes], f"{layer.name}.beta")
    return g.node("Add", [g.node("Mul", [x, gamma], f"{layer.name}.mul"), beta], layer.name)


def _average_pool(g: Graph, layer, inputs: list[str]) -> str:
    if layer.padding != "valid":
        raise ModelFileError(f"layer {layer.name}: only 'valid' average pooling is translated")
    return g.node(
        "AveragePool", inputs, layer.name, kernel_shape=list(layer.pool_size), strides=list(layer.strides)
    )


def _zero_pad(g: Graph, layer, inputs: list[str]) -> str:
    (top, bottom), (left, right) = layer.padding
    pads = g.constant(f"{layer.name}.pads", np.array([0, 0, top, left, 0, 0, bottom, right], np.int64))
    return g.node("Pad", [inputs[0], pads], layer.name)


def _channel_zero_pad(g: Graph, layer, inputs: list[str]) -> str:
    """face_resnet.ChannelZeroPad: ``extra`` zero channels after the others."""
    pads = g.constant(f"{layer.name}.pads", np.array([0, 0, 0, 0, 0, layer.extra, 0, 0], np.int64))
    return g.node("Pad", [inputs[0], pads], layer.name)


def _separable_conv(g: Graph, layer, inputs: list[str]) -> str:
    """Depthwise k×k conv (one group per channel) then pointwise 1x1 conv with the bias."""
    depthwise, pointwise = _array(layer, "depthwise_kernel"), _array(layer, "pointwise_kernel")
    bias = _optional(layer, "bias")
    depthwise = depthwise.reshape(*depthwise.shape[:2], 1, -1)  # (kh, kw, 1, C·multiplier)
    x = g.node(
        "Conv",
        [inputs[0], g.constant(f"{layer.name}.DW", depthwise.transpose(3, 2, 0, 1))],
        f"{layer.name}.depthwise",
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.strides),
        auto_pad=_AUTO_PAD[layer.padding],
        group=depthwise.shape[3] // layer.depth_multiplier,
    )
    weights = [g.constant(f"{layer.name}.PW", pointwise.transpose(3, 2, 0, 1))]
    weights += [] if bias is None else [g.constant(f"{layer.name}.B", bias)]
    x = g.node("Conv", [x, *weights], f"{layer.name}.pointwise", kernel_shape=[1, 1])
    return _activation(g, layer.activation.__name__, x, layer.name)


def _flatten(g: Graph, layer, inputs: list[str]) -> str:
    """Keras flattens NHWC: back to NHWC first, so features keep Keras's order."""
    x = inputs[0]
    if len(layer.input.shape) == 4:
        x = g.node("Transpose", [x], f"{layer.name}.nhwc", perm=[0, 2, 3, 1])
    return g.node("Flatten", [x], layer.name, axis=1)


def _prelu(g: Graph, layer, inputs: list[str]) -> str:
    """max(x, 0) + a · min(x, 0), the slopes ``a`` (H, W, C) (1 on shared axes) or (features,)."""
    alpha = _array(layer, "alpha")
    slope = alpha.transpose(2, 0, 1) if alpha.ndim == 3 else alpha  # (C, H, W) broadcasts over NCHW
    return g.node("PRelu", [inputs[0], g.constant(f"{layer.name}.slope", slope)], layer.name)


def _permute(g: Graph, layer, inputs: list[str]) -> str:
    """Keras's (H, W, C) axis order ``dims`` (1-based) as a transpose of NCHW."""
    if len(layer.dims) != 3:
        raise ModelFileError(f"layer {layer.name}: only permutations of (H, W, C) are translated")
    h, w, c = (_NHWC_TO_NCHW_AXIS[d] for d in layer.dims)
    return g.node("Transpose", inputs, layer.name, perm=[0, c, h, w])


def _keras_activation(g: Graph, layer, inputs: list[str]) -> str:
    return _activation(g, layer.activation.__name__, inputs[0], layer.name)


TRANSLATE: dict[str, Callable] = {
    "Conv2D": _conv,
    "DepthwiseConv2D": _conv,
    "BatchNormalization": _batch_norm,
    "LeakyReLU": lambda g, layer, x: g.node("LeakyRelu", x, layer.name, alpha=layer.negative_slope),
    "ReLU": _relu,
    "Activation": _keras_activation,
    "MaxPooling2D": _max_pool,
    "UpSampling2D": _upsample,
    "Concatenate": _concatenate,
    "Add": lambda g, layer, x: g.node("Sum", x, layer.name),
    "Rescaling": _rescaling,
    "GlobalAveragePooling2D": _global_average,
    "Softmax": lambda g, layer, x: g.node("Softmax", x, layer.name, axis=_axis(layer, layer.axis)),
    "Dense": _dense,
    "AveragePooling2D": _average_pool,
    "ZeroPadding2D": _zero_pad,
    "ChannelZeroPad": _channel_zero_pad,
    "SeparableConv2D": _separable_conv,
    "Flatten": _flatten,
    "PReLU": _prelu,
    "Permute": _permute,
    "ReflectPad2D": _reflect_pad,
    "StyleInstanceNorm": _style_instance_norm,
}
