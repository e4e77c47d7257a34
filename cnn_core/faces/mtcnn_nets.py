"""The three MTCNN networks (Zhang et al., "Joint Face Detection and Alignment using Multi-task Cascaded
Convolutional Networks", IEEE SPL 2016) in Keras 3 with the mtcnn package's weights.

- P-Net (fully convolutional, any size ≥ 12): conv3x3(10) PReLU maxpool2x2/2 conv3x3(16) PReLU
  conv3x3(32) PReLU → 1x1 conv box offsets (4) and 1x1 conv face/not-face softmax (2). Each output cell
  sees a 12x12 window; cells are 2 pixels apart.
- R-Net (24x24): conv3x3(28) PReLU maxpool3x3/2 conv3x3(48) PReLU maxpool3x3/2 valid conv2x2(64) PReLU
  → dense(128) PReLU → box offsets (4), softmax (2).
- O-Net (48x48): conv3x3(32) PReLU maxpool3x3/2 conv3x3(64) PReLU maxpool3x3/2 valid conv3x3(64) PReLU
  maxpool2x2/2 conv2x2(128) PReLU → dense(256) PReLU → box offsets (4), 5 landmarks (10), softmax (2).

Convs are "valid" with stride 1; pools are "same" unless marked valid. The dense layers were trained on
Caffe's column-major flattening, so the feature map is transposed (H ↔ W) before flattening. Inputs are
RGB normalised as ``(x − 127.5) / 128``. PReLU: ``f(x) = max(x, 0) + a · min(x, 0)`` per channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import keras
import numpy as np

from cnn_core.errors import ModelFileError
from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.readers.joblib_arrays import read_joblib_arrays
from cnn_core.weights import weight_path

#: (filters, kernel, pool after it: (size, padding) or None) for each conv block
_CONVS = {
    "pnet": ((10, 3, (2, "same")), (16, 3, None), (32, 3, None)),
    "rnet": ((28, 3, (3, "same")), (48, 3, (3, "valid")), (64, 2, None)),
    "onet": ((32, 3, (3, "same")), (64, 3, (3, "valid")), (64, 3, (2, "same")), (128, 2, None)),
}
#: input side, dense width and output heads (name, units, activation) of each net
_HEADS = {
    "pnet": (None, None, (("offsets", 4, None), ("face", 2, "softmax"))),
    "rnet": (24, 128, (("offsets", 4, None), ("face", 2, "softmax"))),
    "onet": (48, 256, (("offsets", 4, None), ("landmarks", 10, None), ("face", 2, "softmax"))),
}


def build_mtcnn_net(net: str) -> keras.Model:
    """The untrained P-Net ("pnet", input (N, H, W, 3)), R-Net ("rnet", 24x24) or O-Net ("onet", 48x48).

    Outputs in the package's order: box offsets, (O-Net) landmarks, face/not-face softmax.
    """
    layers = keras.layers
    size, dense, heads = _HEADS[net]
    inputs = keras.Input((size, size, 3), name="image")
    x = inputs
    for index, (filters, kernel, pool) in enumerate(_CONVS[net], start=1):
        x = layers.Conv2D(filters, kernel, name=f"conv{index}")(x)
        x = layers.PReLU(shared_axes=[1, 2], name=f"prelu{index}")(x)
        if pool:
            x = layers.MaxPooling2D(pool[0], 2, pool[1], name=f"pool{index}")(x)
    if dense is None:  # P-Net: 1x1 conv heads keep the spatial map
        outputs = [layers.Conv2D(units, 1, activation=act, name=name)(x) for name, units, act in heads]
    else:
        x = layers.Flatten(name="flatten")(layers.Permute((2, 1, 3), name="caffe_order")(x))
        x = layers.PReLU(name="prelu_dense")(layers.Dense(dense, name="dense")(x))
        outputs = [layers.Dense(units, activation=act, name=name)(x) for name, units, act in heads]
    return keras.Model(inputs, outputs, name=net)


def load_package_weights(model: keras.Model, arrays: list[np.ndarray]) -> None:
    """Copy the mtcnn package's arrays (its Keras ``get_weights`` order) into our model of the same net."""
    expected = [tuple(w.shape) for w in model.get_weights()]
    if [a.shape for a in arrays] != expected:
        raise ModelFileError(
            f"mtcnn {model.name} weights have shapes {[a.shape for a in arrays]}, expected {expected}"
        )
    model.set_weights([a.astype(np.float32) for a in arrays])


@dataclass(frozen=True)
class MTCNNNets:
    """The three weighted Keras models; ``pnet``/``rnet``/``onet`` below run them with onnxruntime on
    their ONNX translations (cnn_core.fast_inference.predict), 3-5x faster than a tf.function here."""

    pnet: keras.Model
    rnet: keras.Model
    onet: keras.Model


@lru_cache(maxsize=1)
def load_mtcnn_nets() -> MTCNNNets:
    """Build the three nets with their verified weights, once per process (models are never mutated)."""
    models = {}
    for net in _HEADS:
        model = build_mtcnn_net(net)
        load_package_weights(model, read_joblib_arrays(weight_path(f"mtcnn-{net}.lz4")))
        size = _HEADS[net][0] or 12
        predict(model, np.zeros((1, size, size, 3), np.float32))  # translate now, not on the first photo
        models[net] = model
    return MTCNNNets(**models)


def pnet(nets: MTCNNNets, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P-Net on normalised images (N, H, W, 3) → box offsets (N, h, w, 4) and face probability (N, h, w)."""
    offsets, face = predict(nets.pnet, x)
    return offsets, face[..., 1]


def rnet(nets: MTCNNNets, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R-Net on normalised crops (N, 24, 24, 3) → box offsets (N, 4) and face probability (N,)."""
    offsets, face = predict(nets.rnet, x)
    return offsets, face[:, 1]


def onet(nets: MTCNNNets, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """O-Net on normalised crops (N, 48, 48, 3) → box offsets (N, 4), landmarks (N, 10) as five x then
    five y fractions of the box, and face probability (N,)."""
    offsets, landmarks, face = predict(nets.onet, x)
    return offsets, landmarks, face[:, 1]
