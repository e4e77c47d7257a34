"""VGG-16 and VGG-19 (Simonyan & Zisserman 2015, configurations D and E).

Only 3x3 "same" convolutions with stride 1 and 2x2 max-pools with stride 2; pooling alone shrinks H and W
while the channels double 64 → 512. The layers and names match ``keras.applications.VGG16/VGG19``, so the
totals are equal: 138,357,544 and 143,667,240 parameters, most of them in fc1 (7·7·512·4096 + 4096).
"""

from __future__ import annotations

import keras
from keras import layers

#: filters of the five blocks; every block ends with a 2x2 max-pool
WIDTHS = (64, 128, 256, 512, 512)
#: convolutions per block
DEPTHS = {"vgg16": (2, 2, 3, 3, 3), "vgg19": (2, 2, 4, 4, 4)}


def build_vgg(depths: tuple[int, ...], name: str, classes: int = 1000) -> keras.Model:
    """VGG with ``depths[b]`` 3x3 convolutions in block b+1, then fc1, fc2 (4096) and the classifier."""
    inputs = keras.Input((224, 224, 3), name="input")
    x = inputs
    for block, (width, depth) in enumerate(zip(WIDTHS, depths, strict=True), start=1):
        for conv in range(1, depth + 1):
            x = layers.Conv2D(width, 3, padding="same", activation="relu", name=f"block{block}_conv{conv}")(x)
        x = layers.MaxPooling2D(2, strides=2, name=f"block{block}_pool")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc1")(x)
    x = layers.Dense(4096, activation="relu", name="fc2")(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=name)


def build_vgg16() -> keras.Model:
    """VGG-16: 13 conv + 3 FC layers with weights (the 16 in the name).

    >>> sum(DEPTHS["vgg16"]) + 3
    16
    """
    return build_vgg(DEPTHS["vgg16"], "vgg16")


def build_vgg19() -> keras.Model:
    """VGG-19: 16 conv + 3 FC layers with weights."""
    return build_vgg(DEPTHS["vgg19"], "vgg19")
