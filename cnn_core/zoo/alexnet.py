"""AlexNet in two variants: the 2012 paper's two-GPU network and torchvision's single-stream one.

``build_alexnet_2012`` follows Krizhevsky, Sutskever & Hinton (2012), "ImageNet classification with deep
convolutional neural networks", Figure 2: 96, 256, 384, 384, 256 filters, the network split over two GPUs.
conv2, conv4 and conv5 see only the half of the previous layer on their own GPU, which is a grouped
convolution with 2 groups (Keras ``Conv2D(groups=2)``): each filter has f·f·C_in/2 weights. conv3 and the
FC layers see both halves. With a 227x227x3 input (the paper's "224" does not give its 55x55 maps:
(224 − 11)/4 + 1 is not whole) it has 60,965,224 parameters, the paper's "60 million". Local response
normalisation has no parameters and is left out; of the two-GPU split only the grouping is kept, as it is
all that changes a count. Drawn as one stream without groups, as the course's slide does, the same layers
would have 62,378,344 parameters.

``build_alexnet`` is torchvision's ``alexnet``, the single-GPU network of Krizhevsky (2014), "One weird
trick for parallelizing convolutional neural networks": 64, 192, 384, 256, 256 filters, no normalisation,
then FC 4096, 4096, 1000; 61,100,840 parameters. It matches torchvision layer for layer (the adaptive 6x6
average pool torchvision adds is the identity at 224x224 and is left out).
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
    outputs = _classifier(x, classes)
    return keras.Model(inputs, outputs, name="alexnet")


def _classifier(features: keras.KerasTensor, classes: int) -> keras.KerasTensor:
    """Both AlexNets' head on the 6x6x256 pool5 volume: dropout, fc6 4096, dropout, fc7 4096, fc8 softmax."""
    x = layers.Flatten(name="flatten")(features)
    x = layers.Dropout(0.5, name="dropout6")(x)
    x = layers.Dense(4096, activation="relu", name="fc6")(x)
    x = layers.Dropout(0.5, name="dropout7")(x)
    x = layers.Dense(4096, activation="relu", name="fc7")(x)
    return layers.Dense(classes, activation="softmax", name="fc8")(x)


def build_alexnet_2012(classes: int = 1000) -> keras.Model:
    """The 2012 paper's AlexNet for 227x227x3 inputs, its two GPU streams as groups=2 convolutions.

    Parameters per layer, (f·f·C_in/groups + 1)·C_out for a conv: conv1 (11·11·3 + 1)·96 = 34,944,
    conv2 (5·5·48 + 1)·256 = 307,456, conv3 (3·3·256 + 1)·384 = 885,120, conv4 (3·3·192 + 1)·384 =
    663,936, conv5 (3·3·192 + 1)·256 = 442,624; fc6 (9,216 + 1)·4,096, fc7 (4,096 + 1)·4,096, fc8
    (4,096 + 1)·1,000: 60,965,224 in all.

    >>> from cnn_core.architectures.keras_graph import weightless
    >>> with weightless():
    ...     model = build_alexnet_2012()
    >>> model.get_layer("conv2").count_params(), model.get_layer("pool5").output.shape
    (307456, (None, 6, 6, 256))
    """
    inputs = keras.Input((227, 227, 3), name="input")
    x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(inputs)  # 55x55x96
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)  # 27x27x96
    x = layers.Conv2D(256, 5, padding="same", groups=2, activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool2")(x)  # 13x13x256
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.Conv2D(384, 3, padding="same", groups=2, activation="relu", name="conv4")(x)
    x = layers.Conv2D(256, 3, padding="same", groups=2, activation="relu", name="conv5")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool5")(x)  # 6x6x256
    outputs = _classifier(x, classes)
    return keras.Model(inputs, outputs, name="alexnet_2012")
