"""Inception v1 (GoogLeNet) from Inception modules with 1x1 bottlenecks.

Szegedy et al. (2015), "Going deeper with convolutions", Table 1. Reference count: torchvision's
``googlenet`` without its auxiliary heads, 6,624,904 parameters. Like torchvision, every convolution is
"BN-conv" (a bias-free convolution, BatchNorm with ε = 0.001, ReLU), and like torchvision the "5x5" branch
uses a 3x3 kernel (a known torchvision bug kept for its pretrained weights): ``build_inception_v1()``
defaults to ``wide_kernel=3`` and then has exactly 6,624,904 trainable parameters (Keras also stores the
BatchNorm moving mean and variance, 2·C non-trainable numbers per BatchNorm, which torchvision keeps as
buffers). ``wide_kernel=5`` gives the paper's 5x5 kernels: 7,005,832 trainable parameters.

``build_inception_v1_paper`` is the network of the paper itself: 5x5 kernels in the 5x5 branch and, as
in 2014 (before BatchNorm), convolutions with biases followed by ReLU; 6,998,552 parameters, counted by
hand from Table 1's filter columns in ``tests/architectures/test_paper_variants.py``. Local response
normalisation (after conv1 and conv2 in the paper) has no parameters and is left out, and so are the two
auxiliary classifiers, which the paper uses only in training. Table 1's own "params" column does not
follow from its filter columns (module 4c has 509,440 weights but is listed as 463K); its sum, the "6.8M"
often quoted, is not what the layers it lists hold.

The course's module (28x28x192 in: 1x1 64; 1x1 96 → 3x3 128; 1x1 16 → 5x5 32; 3x3 max-pool → 1x1 32;
concatenated to 28x28x256) is module 3a. The same ``InceptionSpec`` drives the network builder and
``module_model``, the stand-alone module the architecture page draws.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import keras
from keras import layers

from cnn_core.errors import ParameterError


@dataclass(frozen=True)
class InceptionSpec:
    """One Inception module: filters of the 1x1 branch, of the 3x3 branch (after its 1x1 reduction),
    of the "5x5" branch (after its reduction, kernel ``wide_kernel``) and of the pool projection; every
    convolution is BN-conv (torchvision) or, with ``batch_norm=False``, a conv with bias (the paper)."""

    name: str
    c1: int
    c3_reduce: int
    c3: int
    c5_reduce: int
    c5: int
    pool_proj: int
    wide_kernel: int = 5
    batch_norm: bool = True

    def __post_init__(self) -> None:
        if self.wide_kernel not in (3, 5):
            raise ParameterError(f"wide_kernel must be 3 (torchvision) or 5 (paper), got {self.wide_kernel}")

    @property
    def out_channels(self) -> int:
        """Channels after concatenating the four branches.

        >>> MODULES[0].out_channels
        256
        """
        return self.c1 + self.c3 + self.c5 + self.pool_proj


#: GoogLeNet's nine modules (paper Table 1); a 3x3/2 max-pool follows 3b and a 2x2/2 one follows 4e
MODULES: tuple[InceptionSpec, ...] = (
    InceptionSpec("3a", 64, 96, 128, 16, 32, 32),
    InceptionSpec("3b", 128, 128, 192, 32, 96, 64),
    InceptionSpec("4a", 192, 96, 208, 16, 48, 64),
    InceptionSpec("4b", 160, 112, 224, 24, 64, 64),
    InceptionSpec("4c", 128, 128, 256, 24, 64, 64),
    InceptionSpec("4d", 112, 144, 288, 32, 64, 64),
    InceptionSpec("4e", 256, 160, 320, 32, 128, 128),
    InceptionSpec("5a", 256, 160, 320, 32, 128, 128),
    InceptionSpec("5b", 384, 192, 384, 48, 128, 128),
)
POOL_AFTER = {"3b": 3, "4e": 2}
#: input of module 3a for a 224x224x3 image
FIRST_INPUT = (28, 28, 192)


def _conv_bn(
    x: keras.KerasTensor, filters: int, f: int, name: str, batch_norm: bool = True
) -> keras.KerasTensor:
    """torchvision's BasicConv2d: conv (no bias) → BatchNorm (ε = 0.001) → ReLU; without ``batch_norm``
    the paper's conv with bias → ReLU."""
    if not batch_norm:
        return layers.Conv2D(filters, f, padding="same", activation="relu", name=name)(x)
    x = layers.Conv2D(filters, f, padding="same", use_bias=False, name=name)(x)
    x = layers.BatchNormalization(axis=3, epsilon=1e-3, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def inception_module(x: keras.KerasTensor, spec: InceptionSpec) -> keras.KerasTensor:
    """Apply the module ``spec`` to ``x`` (batch, H, W, C) → (batch, H, W, spec.out_channels)."""
    base, bn = f"inception_{spec.name}", spec.batch_norm
    branch1 = _conv_bn(x, spec.c1, 1, f"{base}_1x1", bn)
    branch3 = _conv_bn(x, spec.c3_reduce, 1, f"{base}_3x3_reduce", bn)
    branch3 = _conv_bn(branch3, spec.c3, 3, f"{base}_3x3", bn)
    branch5 = _conv_bn(x, spec.c5_reduce, 1, f"{base}_5x5_reduce", bn)
    branch5 = _conv_bn(branch5, spec.c5, spec.wide_kernel, f"{base}_5x5", bn)
    pool = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{base}_pool")(x)
    pool = _conv_bn(pool, spec.pool_proj, 1, f"{base}_pool_proj", bn)
    return layers.Concatenate(axis=3, name=f"{base}_concat")([branch1, branch3, branch5, pool])


def inception_v1_modules(wide_kernel: int = 3, batch_norm: bool = True) -> tuple[InceptionSpec, ...]:
    """The nine module specs with the "5x5" branches' kernel set to ``wide_kernel``."""
    return tuple(
        dataclasses.replace(spec, wide_kernel=wide_kernel, batch_norm=batch_norm) for spec in MODULES
    )


def module_input_shapes(modules: tuple[InceptionSpec, ...]) -> tuple[tuple[int, int, int], ...]:
    """Input (H, W, C) of each module: channels add up over the branches, and a "same" stride-2 pool
    maps H → ⌈H / 2⌉.

    >>> module_input_shapes(MODULES)[2]
    (14, 14, 480)
    """
    shapes, (height, width, channels) = [], FIRST_INPUT
    for spec in modules:
        shapes.append((height, width, channels))
        channels = spec.out_channels
        if spec.name in POOL_AFTER:
            height, width = -(-height // 2), -(-width // 2)
    return tuple(shapes)


def build_inception_v1(
    wide_kernel: int = 3, classes: int = 1000, batch_norm: bool = True, name: str = "inception_v1"
) -> keras.Model:
    """GoogLeNet for 224x224x3 inputs, without auxiliary classifiers (see the module docstring).

    ``batch_norm=False`` builds the paper's layers: convolutions with biases, a 3x3/2 max-pool after 4e
    (torchvision's is 2x2; both give 7x7) and 40 % dropout (torchvision's 20 %).
    """
    inputs = keras.Input((224, 224, 3), name="input")
    x = layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    if batch_norm:
        x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1")(x)
        x = layers.BatchNormalization(axis=3, epsilon=1e-3, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    else:
        x = layers.Conv2D(64, 7, strides=2, activation="relu", name="conv1")(x)  # 112x112x64
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="pool1")(x)
    x = _conv_bn(x, 64, 1, "conv2_reduce", batch_norm)
    x = _conv_bn(x, 192, 3, "conv2", batch_norm)
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="pool2")(x)  # 28x28x192
    for spec in inception_v1_modules(wide_kernel, batch_norm):
        x = inception_module(x, spec)
        if spec.name in POOL_AFTER:
            size = POOL_AFTER[spec.name] if batch_norm else 3
            x = layers.MaxPooling2D(size, strides=2, padding="same", name=f"pool_{spec.name}")(x)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dropout(0.2 if batch_norm else 0.4, name="dropout")(x)
    outputs = layers.Dense(classes, activation="softmax", name="fc")(x)
    return keras.Model(inputs, outputs, name=name)


def build_inception_v1_paper(classes: int = 1000) -> keras.Model:
    """GoogLeNet as Szegedy et al. (2015) Table 1 gives it: 5x5 kernels, convolutions with biases.

    >>> from cnn_core.architectures.keras_graph import weightless
    >>> with weightless():
    ...     model = build_inception_v1_paper()
    >>> model.get_layer("inception_3a_5x5").count_params()  # 5·5·16·32 + 32
    12832
    """
    return build_inception_v1(wide_kernel=5, classes=classes, batch_norm=False, name="inception_v1_paper")


def module_model(spec: InceptionSpec, input_shape: tuple[int, int, int]) -> keras.Model:
    """The module ``spec`` alone, as a model from an (H, W, C) input: what the page draws.

    >>> module_model(MODULES[0], FIRST_INPUT).output.shape
    (None, 28, 28, 256)
    """
    inputs = keras.Input(input_shape, name="input")
    return keras.Model(inputs, inception_module(inputs, spec), name=f"inception_{spec.name}")
