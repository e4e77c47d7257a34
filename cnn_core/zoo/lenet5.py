"""LeNet-5 in two variants: the course's modern version and the 1998 original.

``build_lenet5`` is the course's "CNN example" (inspired by LeNet-5): a 32x32x3 input, ReLU, max
pooling, 6 and 16 filters of 5x5 and the fully connected layers FC3 (400·120 + 120 = 48,120 parameters),
FC4 and a softmax; 62,006 parameters.

``build_lenet5_1998`` follows LeCun, Bottou, Bengio & Haffner (1998), "Gradient-based learning applied to
document recognition", section II-B: a 32x32x1 input, valid convolutions, subsampling layers that
average 2x2 blocks then apply a trainable coefficient and bias per map, the partial C3 connection table
(Table I), tanh squashing (the paper scales it, 1.7159·tanh(2a/3)) and Euclidean RBF output units with
fixed parameters. Per layer the paper
gives C1 156, S2 12, C3 1,516, S4 32, C5 48,120 and F6 10,164 trainable parameters: 60,000 in all, plus the
84·10 = 840 fixed RBF parameters.
"""

from __future__ import annotations

import keras
from keras import layers, ops

#: LeNet-5 Table I: for each of the 16 C3 maps, the S2 maps it reads.
C3_CONNECTIONS: tuple[tuple[int, ...], ...] = (
    (0, 1, 2),
    (1, 2, 3),
    (2, 3, 4),
    (3, 4, 5),
    (0, 4, 5),
    (0, 1, 5),
    (0, 1, 2, 3),
    (1, 2, 3, 4),
    (2, 3, 4, 5),
    (0, 3, 4, 5),
    (0, 1, 4, 5),
    (0, 1, 2, 5),
    (0, 1, 3, 4),
    (1, 2, 4, 5),
    (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


@keras.saving.register_keras_serializable(package="cnn_lab")
class ConnectionTableConv2D(layers.Layer):
    """A valid, stride-1 convolution where output map j sees only the input maps ``table[j]``.

    Output map j: z_j = b_j + Σ_{c ∈ table[j]} x_c * k_{j,c}; it has f·f·|table[j]| + 1 parameters
    (LeNet-5's C3: 1,516 instead of the 2,416 of a full 5x5x6x16 convolution).
    Input (batch, H, W, C) → output (batch, H - f + 1, W - f + 1, len(table)).
    """

    def __init__(self, table: tuple[tuple[int, ...], ...], kernel_size: int, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.table = tuple(tuple(int(c) for c in column) for column in table)
        self.kernel_size = (int(kernel_size), int(kernel_size))
        self.strides = (1, 1)
        self.padding = "valid"
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        f = self.kernel_size[0]
        self.kernels = [
            self.add_weight(shape=(f, f, len(column), 1), name=f"kernel_{j}", initializer="glorot_uniform")
            for j, column in enumerate(self.table)
        ]
        self.bias = self.add_weight(shape=(len(self.table),), name="bias", initializer="zeros")

    def call(self, inputs):
        maps = [
            ops.conv(ops.take(inputs, list(column), axis=-1), kernel, padding="valid")  # (B, H', W', 1)
            for column, kernel in zip(self.table, self.kernels, strict=True)
        ]
        return self.activation(ops.concatenate(maps, axis=-1) + self.bias)

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape
        f = self.kernel_size[0]
        return (batch, height - f + 1, width - f + 1, len(self.table))

    def multiply_adds(self, input_shapes, output_shapes) -> int:
        """H_out·W_out·f·f·Σ_j |table[j]|: each map multiplies only the inputs it is connected to."""
        _, height, width, _ = output_shapes[0]
        f = self.kernel_size[0]
        return height * width * f * f * sum(len(column) for column in self.table)

    def get_config(self):
        return {
            **super().get_config(),
            "table": self.table,
            "kernel_size": self.kernel_size[0],
            "activation": keras.activations.serialize(self.activation),
        }


@keras.saving.register_keras_serializable(package="cnn_lab")
class EuclideanRBF(layers.Layer):
    """LeNet-5's output units: y_i = Σ_j (x_j - w_ij)², with fixed (non-trainable) centres w.

    Input (batch, n) → output (batch, units); a small y_i means "the input looks like class i".
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)

    def build(self, input_shape):
        self.centres = self.add_weight(
            shape=(input_shape[-1], self.units), name="centres", initializer="glorot_uniform", trainable=False
        )

    def call(self, inputs):
        difference = inputs[:, :, None] - self.centres[None, :, :]  # (B, n, units)
        return ops.sum(ops.square(difference), axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def multiply_adds(self, input_shapes, output_shapes) -> int:
        """n·units: one square-and-add per centre coordinate."""
        return int(input_shapes[0][-1]) * self.units

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def build_lenet5(input_shape: tuple[int, int, int] = (32, 32, 3), classes: int = 10) -> keras.Model:
    """The course's LeNet-5-like network: CONV-POOL x2, FC3, FC4, softmax (62,006 parameters).

    >>> build_lenet5().get_layer("fc3").count_params()
    48120
    """
    inputs = keras.Input(input_shape, name="input")
    x = layers.Conv2D(6, 5, activation="relu", name="conv1")(inputs)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(16, 5, activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(2, name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(120, activation="relu", name="fc3")(x)
    x = layers.Dense(84, activation="relu", name="fc4")(x)
    outputs = layers.Dense(classes, activation="softmax", name="softmax")(x)
    return keras.Model(inputs, outputs, name="lenet5")


def _subsampling(x, name: str):
    """2x2 average, then a trainable coefficient and bias per map (a 1x1 depthwise conv), then sigmoid."""
    x = layers.AveragePooling2D(2, name=f"{name}_average")(x)
    return layers.DepthwiseConv2D(1, activation="sigmoid", name=f"{name}_scale")(x)


def build_lenet5_1998() -> keras.Model:
    """LeNet-5 as published in 1998: 60,000 trainable parameters and 840 fixed RBF centres.

    >>> model = build_lenet5_1998()
    >>> model.get_layer("c3").count_params(), model.output.shape
    (1516, (None, 10))
    """
    inputs = keras.Input((32, 32, 1), name="input")
    x = layers.Conv2D(6, 5, activation="tanh", name="c1")(inputs)
    x = _subsampling(x, "s2")
    x = ConnectionTableConv2D(C3_CONNECTIONS, 5, activation="tanh", name="c3")(x)
    x = _subsampling(x, "s4")
    x = layers.Conv2D(120, 5, activation="tanh", name="c5")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(84, activation="tanh", name="f6")(x)
    outputs = EuclideanRBF(10, name="rbf_output")(x)
    return keras.Model(inputs, outputs, name="lenet5_1998")
