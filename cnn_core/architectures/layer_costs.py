"""What one Keras layer costs per example: multiply-adds, and the geometry the table shows.

Multiply-adds (MACs) count multiplications by learned weights, one example at a time:

* convolution (Conv1D/2D/3D, depthwise, separable): output positions x kernel size, i.e.
  H_out·W_out·f·f·(C_in/groups)·C_out for Conv2D, H_out·W_out·f·f·C_in·m for a depthwise layer;
  a transposed convolution spreads every *input* position over its kernel: H_in·W_in·f·f·C_in·C_out;
* Dense: inputs x units (per position when applied to a sequence or an image);
* BatchNorm / LayerNorm / GroupNorm / PReLU: one per output value (BatchNorm folds to y = x·γ' + β');
* layers without weights (pooling, activations, Add, Concatenate, Flatten, padding): 0;
* a layer that defines ``multiply_adds(input_shapes, output_shapes)`` reports its own count;
* any other layer with weights: unknown (None).

Bias additions are not counted (the usual convention, e.g. Sze et al. 2017, "Efficient processing of
deep neural networks"). Shapes include the batch axis first.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

Shape = tuple[int | None, ...]


@cache
def _keras_classes() -> dict[str, tuple[type, ...]]:
    import keras

    layers = keras.layers
    norm = (layers.BatchNormalization, layers.LayerNormalization, layers.GroupNormalization)
    return {
        "conv": (
            layers.Conv1D,
            layers.Conv2D,
            layers.Conv3D,
            layers.DepthwiseConv1D,
            layers.DepthwiseConv2D,
            layers.SeparableConv1D,
            layers.SeparableConv2D,
        ),
        "transposed": (layers.Conv1DTranspose, layers.Conv2DTranspose, layers.Conv3DTranspose),
        "dense": (layers.Dense,),
        "norm": norm,
        "per_value": (*norm, layers.PReLU),
    }


def _spatial(shape: Shape, data_format: str | None) -> Shape:
    """The spatial axes of (batch, *spatial, C) or, channels_first, (batch, C, *spatial)."""
    return shape[2:] if data_format == "channels_first" else shape[1:-1]


def _product(values: Shape) -> int | None:
    known = [v for v in values if v is not None]
    return math.prod(known) if len(known) == len(values) else None


def _kernel_size(layer: Any) -> int:
    kernels = [
        getattr(layer, name)
        for name in ("kernel", "depthwise_kernel", "pointwise_kernel")
        if hasattr(layer, name)
    ]
    return sum(math.prod(kernel.shape) for kernel in kernels)


def layer_macs(layer: Any, input_shapes: list[Shape], output_shapes: list[Shape]) -> int | None:
    """Multiply-adds of one call of ``layer`` (see the module docstring); None when unknown.

    >>> import keras
    >>> conv = keras.layers.Conv2D(32, 5, padding="same")
    >>> conv.build((None, 28, 28, 192))
    >>> layer_macs(conv, [(None, 28, 28, 192)], [(None, 28, 28, 32)])  # the course's 120 M
    120422400
    """
    if hasattr(layer, "multiply_adds"):
        return int(layer.multiply_adds(input_shapes, output_shapes))
    classes = _keras_classes()
    data_format = getattr(layer, "data_format", None)
    if isinstance(layer, classes["conv"]):
        positions = _product(_spatial(output_shapes[0], data_format))
        return None if positions is None else positions * _kernel_size(layer)
    if isinstance(layer, classes["transposed"]):
        positions = _product(_spatial(input_shapes[0], data_format))
        return None if positions is None else positions * _kernel_size(layer)
    if isinstance(layer, classes["dense"]):
        positions = _product(input_shapes[0][1:-1])
        return None if positions is None else positions * _kernel_size(layer)
    if isinstance(layer, classes["per_value"]):
        return _product(output_shapes[0][1:])
    return 0 if not getattr(layer, "weights", None) else None


def _size_text(values: Any) -> str:
    """(5, 5) → "5x5"; (2, 2) → "2x2"; a single number stays as it is."""
    values = tuple(values) if isinstance(values, (tuple, list)) else (values,)
    return "x".join(str(v) for v in values)


def _padding_text(padding: Any) -> str:
    """ "same"/"valid" as they are; ZeroPadding2D's ((2, 2), (2, 2)) → "2", uneven ones spelled out."""
    if isinstance(padding, str):
        return padding
    flat = [v for pair in padding for v in (pair if isinstance(pair, (tuple, list)) else (pair,))]
    return str(flat[0]) if len(set(flat)) == 1 else ",".join(str(v) for v in flat)


def layer_geometry(layer: Any) -> tuple[str, str, str]:
    """(kernel, stride, padding) as short text, e.g. ("11x11", "4", "valid"); "" where not applicable.

    >>> import keras
    >>> layer_geometry(keras.layers.MaxPooling2D(3, strides=2, padding="same"))
    ('3x3', '2', 'same')
    """
    import keras

    if isinstance(layer, (keras.layers.GlobalAveragePooling2D, keras.layers.GlobalMaxPooling2D)):
        return "global", "", ""
    size = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    kernel = _size_text(size) if size is not None else ""
    dilation = getattr(layer, "dilation_rate", None)
    if kernel and dilation is not None and any(d != 1 for d in _as_tuple(dilation)):
        kernel += f" d{_size_text(_collapse(dilation))}"
    strides = getattr(layer, "strides", None)
    stride = _size_text(_collapse(strides)) if strides is not None and kernel else ""
    padding = getattr(layer, "padding", None)
    return kernel, stride, "" if padding is None else _padding_text(padding)


def _as_tuple(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _collapse(value: Any) -> Any:
    """(2, 2) → 2: equal values along every axis are shown once."""
    values = _as_tuple(value)
    return values[0] if len(set(values)) == 1 else values


def layer_activation(layer: Any) -> str:
    """The activation a layer applies ("relu", "softmax"...), "" for none or linear.

    >>> import keras
    >>> layer_activation(keras.layers.Dense(10, activation="softmax")), layer_activation(keras.layers.Add())
    ('softmax', '')
    """
    function = getattr(layer, "activation", None)
    name = getattr(function, "__name__", "") if callable(function) else ""
    return "" if name == "linear" else name


def layer_category(layer: Any) -> str:
    """ "conv", "fc", "norm" or "other": the groups of the page's parameter-share chart."""
    classes = _keras_classes()
    if isinstance(layer, classes["conv"] + classes["transposed"]) or hasattr(layer, "kernel_size"):
        return "conv"
    if isinstance(layer, classes["dense"]):
        return "fc"
    if isinstance(layer, classes["norm"]):
        return "norm"
    return "other"
