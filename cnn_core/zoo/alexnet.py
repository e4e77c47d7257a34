"""AlexNet, the single-stream variant of torchvision's ``alexnet``: 61,100,840 parameters.

Krizhevsky, Sutskever & Hinton (2012) split the network over two GPUs (96 first-layer filters, grouped
convolutions, local response normalisation). torchvision implements the single-GPU network of
Krizhevsky (2014), "One weird trick for parallelizing convolutional neural networks": 64, 192, 384, 256,
256 filters, no normalisation, then FC 4096, 4096, 1000. This builder matches it layer for layer (the
adaptive 6x6 average pool torchvision adds is the identity at 224x224 and is left out).
"""

from __future__ import annotations

import keras
from keras import layers


def build_alexnet(classes: int = 1000) -> keras.Model:
    """AlexNet for 224x224x3 inputs: 5 conv (3 max-pools), 3 FC layers.

    conv1 11x11 s4 with 2 pixels of zero padding: (224 + 2·2 - 11) // 4 + 1 = 55; the pools then give
    27, 13 and 6, so fc6 sees 6·6·256 = 9,216 inputs.
    """
    inputs = keras.Input((224, 224, 3), name="input")
    x = layers.ZeroPadding2D(2, name="pad1")(inputs)
    x = layers.Conv2D(64, 11, strides=4, activation="relu", name="conv1")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    x = layers.Conv2D(192, 5, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool2")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv4")(x)
    x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool5")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(0.5, name="dropout6")(x)
    x = layers.Dense(4096, activation="relu", name="fc6")(x)
    x = layers.Dropout(0.5, name="dropout7")(x)
    x = layers.Dense(4096, activation="relu", name="fc7")(x)
    outputs = layers.Dense(classes, activation="softmax", name="fc8")(x)
    return keras.Model(inputs, outputs, name="alexnet")
