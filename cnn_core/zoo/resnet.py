"""ResNet-50 from the course's identity and convolutional blocks, and its "plain" twin.

He, Zhang, Ren & Sun (2016), "Deep residual learning for image recognition". Each bottleneck block is
built exactly as the course notebook specifies (``bottleneck_block``): main path 1x1 (stride s, valid)
→ f x f (same) → 1x1 (valid) convolutions, each followed by BatchNorm on the channels axis, ReLU after the
first two; the shortcut is either the identity or a 1x1 convolution with stride s plus BatchNorm; then
Add and ReLU. The stem and head follow the paper and ``keras.applications.ResNet50`` (the 3x3/2 max-pool
sees a 1-pixel zero padding, giving 56x56 at stage 2), so the total equals theirs: 25,636,712 parameters,
53,120 of them BatchNorm moving statistics (non-trainable). ``build_plain50`` drops every shortcut (and
the shortcut convolutions with them): the plain network the course compares ResNets with.

The same ``BottleneckSpec`` drives the network builder and ``block_model``, the stand-alone block that
the architecture page draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import keras
from keras import layers

from cnn_core.errors import ParameterError

Shortcut = Literal["identity", "conv", "none"]

#: ResNet-50 stages: (stage number, filters F1 F2 F3, blocks, stride of the first block)
STAGES: tuple[tuple[int, tuple[int, int, int], int, int], ...] = (
    (2, (64, 64, 256), 3, 1),
    (3, (128, 128, 512), 4, 2),
    (4, (256, 256, 1024), 6, 2),
    (5, (512, 512, 2048), 3, 2),
)
#: output of the stem (conv1 7x7/2 and max-pool 3x3/2) for a 224x224x3 image
STEM_OUTPUT = (56, 56, 64)


@dataclass(frozen=True)
class BottleneckSpec:
    """One bottleneck block: ``name`` like "3a" (stage 3, block a), filters (F1, F2, F3), kernel f of the
    middle convolution, stride s of the first 1x1 convolution (and of the shortcut convolution)."""

    name: str
    filters: tuple[int, int, int]
    f: int = 3
    s: int = 1
    shortcut: Shortcut = "identity"

    def __post_init__(self) -> None:
        if self.shortcut not in ("identity", "conv", "none"):
            raise ParameterError(f"shortcut must be 'identity', 'conv' or 'none', got {self.shortcut!r}")
        if self.shortcut == "identity" and self.s != 1:
            raise ParameterError(f"an identity block keeps its shape, so s must be 1, got {self.s}")
        if self.f < 1 or self.s < 1:
            raise ParameterError(f"f and s must be ≥ 1, got f={self.f}, s={self.s}")

    @property
    def title(self) -> str:
        """ "identity block", "convolutional block" or "plain block"."""
        return {"identity": "identity block", "conv": "convolutional block", "none": "plain block"}[
            self.shortcut
        ]


def bottleneck_block(x: keras.KerasTensor, spec: BottleneckSpec) -> keras.KerasTensor:
    """Apply the block ``spec`` to ``x`` (batch, H, W, C) → (batch, ⌈H/s⌉, ⌈W/s⌉, F3).

    Names follow the notebook: conv ``res{name}_branch2a``/``2b``/``2c`` and ``res{name}_branch1`` (the
    shortcut), BatchNorm ``bn{name}_branch…``.
    """
    f1, f2, f3 = spec.filters
    conv, bn = f"res{spec.name}_branch", f"bn{spec.name}_branch"
    shortcut = x
    x = layers.Conv2D(f1, 1, strides=spec.s, padding="valid", name=f"{conv}2a")(x)
    x = layers.BatchNormalization(axis=3, name=f"{bn}2a")(x)
    x = layers.Activation("relu", name=f"res{spec.name}_relu2a")(x)
    x = layers.Conv2D(f2, spec.f, padding="same", name=f"{conv}2b")(x)
    x = layers.BatchNormalization(axis=3, name=f"{bn}2b")(x)
    x = layers.Activation("relu", name=f"res{spec.name}_relu2b")(x)
    x = layers.Conv2D(f3, 1, padding="valid", name=f"{conv}2c")(x)
    x = layers.BatchNormalization(axis=3, name=f"{bn}2c")(x)
    if spec.shortcut == "conv":
        shortcut = layers.Conv2D(f3, 1, strides=spec.s, padding="valid", name=f"{conv}1")(shortcut)
        shortcut = layers.BatchNormalization(axis=3, name=f"{bn}1")(shortcut)
    if spec.shortcut != "none":
        x = layers.Add(name=f"res{spec.name}_add")([x, shortcut])
    return layers.Activation("relu", name=f"res{spec.name}_out")(x)


def resnet50_blocks(plain: bool = False) -> tuple[BottleneckSpec, ...]:
    """The 16 blocks of ResNet-50: per stage one convolutional block, then identity blocks.

    >>> [spec.name for spec in resnet50_blocks()][:4]
    ['2a', '2b', '2c', '3a']
    """
    return tuple(
        BottleneckSpec(
            f"{stage}{'abcdef'[index]}",
            filters,
            f=3,
            s=stride if index == 0 else 1,
            shortcut="none" if plain else ("conv" if index == 0 else "identity"),
        )
        for stage, filters, count, stride in STAGES
        for index in range(count)
    )


def block_input_shapes(blocks: tuple[BottleneckSpec, ...]) -> tuple[tuple[int, int, int], ...]:
    """Input (H, W, C) of each block for a 224x224x3 image: a 1x1 valid conv with stride s maps
    H → (H - 1) // s + 1, and every block outputs F3 channels.

    >>> block_input_shapes(resnet50_blocks())[3]
    (56, 56, 256)
    """
    shapes, (height, width, channels) = [], STEM_OUTPUT
    for spec in blocks:
        shapes.append((height, width, channels))
        height, width, channels = (height - 1) // spec.s + 1, (width - 1) // spec.s + 1, spec.filters[2]
    return tuple(shapes)


def _resnet(blocks: tuple[BottleneckSpec, ...], name: str, classes: int) -> keras.Model:
    inputs = keras.Input((224, 224, 3), name="input")
    x = layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, name="conv1")(x)
    x = layers.BatchNormalization(axis=3, name="bn_conv1")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(1, name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for spec in blocks:
        x = bottleneck_block(x, spec)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(classes, activation="softmax", name="fc1000")(x)
    return keras.Model(inputs, outputs, name=name)


def build_resnet50(classes: int = 1000) -> keras.Model:
    """ResNet-50: stem, 16 bottleneck blocks with shortcuts, global average pool, FC 1000."""
    return _resnet(resnet50_blocks(), "resnet50", classes)


def build_plain50(classes: int = 1000) -> keras.Model:
    """The plain twin of ResNet-50: the same main paths, no shortcuts."""
    return _resnet(resnet50_blocks(plain=True), "plain50", classes)


def block_model(spec: BottleneckSpec, input_shape: tuple[int, int, int]) -> keras.Model:
    """The block ``spec`` alone, as a model from an (H, W, C) input: what the page draws.

    >>> block_model(resnet50_blocks()[3], (56, 56, 256)).output.shape
    (None, 28, 28, 512)
    """
    inputs = keras.Input(input_shape, name="input")
    return keras.Model(inputs, bottleneck_block(inputs, spec), name=f"block_{spec.name}")
