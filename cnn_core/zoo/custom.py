"""Build your own network: a small sequential stack of conv, pool and fully connected layers.

``layer_shapes`` checks the whole stack with the course's floor rule n_out = ⌊(n + 2p − f)/s⌋ + 1 before
anything is built, so an impossible shape gives an immediate error naming the layer and its input;
``build_custom`` then builds the Keras model (a Flatten is inserted before the first FC layer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cnn_core.conv.arithmetic import output_size, require_positive_int
from cnn_core.conv.parameters import conv_params, dense_params
from cnn_core.errors import CNNLabError, ParameterError, ShapeError

if TYPE_CHECKING:
    import keras

Kind = Literal["conv", "maxpool", "avgpool", "fc"]
KINDS: tuple[Kind, ...] = ("conv", "maxpool", "avgpool", "fc")
MAX_LAYERS = 20
#: a typo like FC 4096 on a 224x224x64 volume would otherwise ask for 13 billion weights; Keras allocates
#: every weight when it builds the model, 4 bytes each, so the cap holds the builder to 80 MB
MAX_PARAMS = 20_000_000


@dataclass(frozen=True)
class LayerSpec:
    """One layer: ``size`` is the number of filters (conv) or units (fc); f, s, p apply to conv/pool."""

    kind: Kind
    size: int = 8
    f: int = 3
    s: int = 1
    p: int = 0

    def describe(self) -> str:
        """ "conv 5x5, s=1, p=0, 6 filters", "maxpool 2x2, s=2" or "fc 120"."""
        if self.kind == "fc":
            return f"fc {self.size}"
        text = f"{self.kind} {self.f}x{self.f}, s={self.s}, p={self.p}"
        return f"{text}, {self.size} filters" if self.kind == "conv" else text


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape)


def layer_shapes(input_shape: tuple[int, int, int], specs: list[LayerSpec]) -> list[tuple[int, ...]]:
    """The output shape of every layer: (H, W, C) for conv/pool, (units,) for fc.

    >>> course = [LayerSpec("conv", 6, 5), LayerSpec("maxpool", f=2, s=2), LayerSpec("fc", 120)]
    >>> layer_shapes((32, 32, 3), course)
    [(28, 28, 6), (14, 14, 6), (120,)]
    >>> layer_shapes((6, 6, 3), [LayerSpec("conv", 8, 3), LayerSpec("conv", 8, 5)])
    Traceback (most recent call last):
    ...
    cnn_core.errors.ShapeError: layer 2 (conv 5x5, s=1, p=0, 8 filters) gets a 4x4x8 input: the filter ...
    """
    for name, value in zip(("height", "width", "channels"), input_shape, strict=True):
        require_positive_int(name, value)
    if not 1 <= len(specs) <= MAX_LAYERS:
        raise ParameterError(f"a network needs 1 to {MAX_LAYERS} layers, got {len(specs)}")
    shapes: list[tuple[int, ...]] = []
    shape: tuple[int, ...] = tuple(input_shape)
    for index, spec in enumerate(specs, start=1):
        where = f"layer {index} ({spec.describe()})"
        if spec.kind not in KINDS:
            raise ParameterError(f"{where}: kind must be one of {', '.join(KINDS)}, got {spec.kind!r}")
        require_positive_int(f"{where}: size", spec.size)
        if spec.kind == "fc":
            shape = (spec.size,)
        elif len(shape) == 1:
            raise ShapeError(f"{where} needs an H x W x C volume but follows a fully connected layer")
        else:
            height, width, channels = shape
            try:
                shape = (
                    output_size(height, spec.f, spec.p, spec.s),
                    output_size(width, spec.f, spec.p, spec.s),
                    spec.size if spec.kind == "conv" else channels,
                )
            except CNNLabError as err:
                raise type(err)(
                    f"{where} gets a {_shape_text((height, width, channels))} input: {err}"
                ) from None
        shapes.append(shape)
    return shapes


def layer_params(input_shape: tuple[int, int, int], specs: list[LayerSpec]) -> list[int]:
    """Parameters of each layer: (f·f·C_in + 1)·C_out per conv, (N + 1)·M per fc, 0 per pool.

    >>> layer_params((32, 32, 3), [LayerSpec("conv", 6, 5), LayerSpec("maxpool", f=2, s=2)])
    [456, 0]
    """
    counts, previous = [], tuple(input_shape)
    for index, (spec, shape) in enumerate(zip(specs, layer_shapes(input_shape, specs), strict=True), start=1):
        try:
            if spec.kind == "conv":
                counts.append(conv_params(spec.f, previous[-1], spec.size))
            elif spec.kind == "fc":
                counts.append(dense_params(math.prod(previous), spec.size))
            else:
                counts.append(0)
        except CNNLabError as err:
            where = f"layer {index} ({spec.describe()})"
            raise type(err)(f"{where} gets a {_shape_text(previous)} input: {err}") from None
        previous = shape
    return counts


def count_params(input_shape: tuple[int, int, int], specs: list[LayerSpec]) -> int:
    """Parameters of the stack, counted before building it (the sum of ``layer_params``).

    >>> count_params((32, 32, 3), [LayerSpec("conv", 6, 5), LayerSpec("fc", 10)])
    47506
    """
    return sum(layer_params(input_shape, specs))


def build_custom(input_shape: tuple[int, int, int], specs: list[LayerSpec]) -> keras.Model:
    """The Keras model of the stack; errors come before building. ReLU follows every conv and fc layer but
    a last fc layer, the output: softmax over its units, or a sigmoid (logistic regression) for one unit."""
    params = count_params(input_shape, specs)
    if params > MAX_PARAMS:
        raise ParameterError(
            f"the network would have {params:,} parameters; the builder allows {MAX_PARAMS:,} "
            f"({MAX_PARAMS * 4 // 10**6} MB of float32 weights)"
        )
    import keras
    from keras import layers

    inputs = keras.Input(input_shape, name="input")
    x, flat = inputs, False
    for index, spec in enumerate(specs, start=1):
        if spec.kind != "fc" and spec.p:
            x = layers.ZeroPadding2D(spec.p, name=f"pad{index}")(x)
        if spec.kind == "conv":
            x = layers.Conv2D(spec.size, spec.f, strides=spec.s, activation="relu", name=f"conv{index}")(x)
        elif spec.kind in ("maxpool", "avgpool"):
            pool = layers.MaxPooling2D if spec.kind == "maxpool" else layers.AveragePooling2D
            x = pool(spec.f, strides=spec.s, name=f"{spec.kind}{index}")(x)
        else:
            if not flat:
                x, flat = layers.Flatten(name="flatten")(x), True
            output = "sigmoid" if spec.size == 1 else "softmax"
            activation = output if index == len(specs) else "relu"
            x = layers.Dense(spec.size, activation=activation, name=f"fc{index}")(x)
    return keras.Model(inputs, x, name="my_network")
