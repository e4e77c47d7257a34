"""face-api's 68-point face landmark network (``FaceLandmark68Net``) rebuilt in Keras 3 with its weights.

A small regression CNN: a 112x112 RGB face crop in, 136 numbers out, the (x, y) of the 68 points of the
iBUG 300-W markup (jaw, eyebrows, nose, eyes, mouth) as fractions of the crop's side. It is the course's
"landmark detection" network: the last layer is a plain linear unit per coordinate, a regression
output (the course trains such outputs with a squared error). Weights: ``face_landmark_68_model`` of
``@vladmandic/face-api`` 1.7.15 (MIT), read with ``cnn_core.readers.tfjs``. The graph (face-api
``FaceFeatureExtractor`` + ``FaceProcessor``):

    (x − mean_rgb) / 255 → dense0 (32) → dense1 (64) → dense2 (128) → dense3 (256)
    → average pool 7x7/2 valid → dense 256 → 136

Four densely connected blocks: each conv reads every earlier output of its block, as in DenseNet
(Huang et al. 2017), but summed instead of concatenated. With c₀ the block's first conv (stride 2,
"same"; a plain 3x3 conv in dense0, depthwise-separable elsewhere) and c₁..c₃ depthwise-separable 3x3
convs (stride 1, "same"), all with bias:

    o₁ = ReLU(c₀(x)),  o₂ = c₁(o₁),  o₃ = c₂(ReLU(o₁ + o₂)),  o₄ = c₃(ReLU(o₁ + o₂ + o₃)),
    out = ReLU(o₁ + o₂ + o₃ + o₄)

Spatial sizes 112 → 56 → 28 → 14 → 7 → 1 (the pool covers the whole 7x7 map).
"""

from __future__ import annotations

import keras
import numpy as np

from cnn_core.errors import ModelFileError
from cnn_core.faces.landmarks import NET_SIZE, POINTS
from cnn_core.readers.tfjs import read_tfjs_weights
from cnn_core.weights import weight_path
from cnn_core.zoo.face_resnet import MEAN_RGB

#: side of the square the network reads (face-api pads the face crop to a square, then resizes)
INPUT_SIZE = NET_SIZE
OUTPUTS = 2 * POINTS
#: the dense blocks: (tfjs name, filters); each halves the side
BLOCKS: tuple[tuple[str, int], ...] = (("dense0", 32), ("dense1", 64), ("dense2", 128), ("dense3", 256))
#: values in the tfjs file (49 tensors, all uint8-quantised): every one is a parameter of the rebuild
PARAMETER_COUNT = 356_840


def _conv(x, name: str, filters: int, stride: int, plain: bool):
    """One conv of a block: plain 3x3 (dense0's first) or depthwise-separable 3x3, "same", with bias."""
    layers = keras.layers
    if plain:
        return layers.Conv2D(filters, 3, stride, "same", name=name)(x)
    return layers.SeparableConv2D(filters, 3, stride, "same", name=name)(x)


def _dense_block(x, name: str, filters: int):
    """A densely connected block of four convs (see the module docstring): (N, S, S, C) → (N, S/2, S/2, F)."""
    layers = keras.layers
    first = layers.ReLU(name=f"{name}_relu0")(_conv(x, f"{name}_conv0", filters, 2, name == "dense0"))
    outputs = [first]
    for k in (1, 2, 3):
        summed = outputs[0] if k == 1 else layers.Add(name=f"{name}_sum{k}")(outputs)
        block_input = summed if k == 1 else layers.ReLU(name=f"{name}_relu{k}")(summed)
        outputs.append(_conv(block_input, f"{name}_conv{k}", filters, 1, False))
    return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_sum4")(outputs))


def _architecture() -> keras.Model:
    """The untrained graph: RGB 0..255 (N, 112, 112, 3) → (N, 136) as x₁, y₁, …, x₆₈, y₆₈ in [0, 1]."""
    layers = keras.layers
    inputs = keras.Input((INPUT_SIZE, INPUT_SIZE, 3), name="face")
    mean = np.asarray(MEAN_RGB, dtype=np.float32)
    x = layers.Rescaling(1 / 255, offset=-mean / 255, name="normalize")(inputs)
    for name, filters in BLOCKS:
        x = _dense_block(x, name, filters)
    x = layers.AveragePooling2D(7, 2, "valid", name="avg_pool")(x)  # (N, 1, 1, 256)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(OUTPUTS, name="fc")(x)
    return keras.Model(inputs, outputs, name="face_landmark_68")


def _tensor_names() -> list[tuple[str, list[str]]]:
    """``(Keras layer, [tfjs tensors in Keras weight order])`` for every layer with weights."""
    pairs = []
    for name, _filters in BLOCKS:
        for k in range(4):
            prefix = f"{name}/conv{k}"
            parts = ["filters", "bias"] if (name, k) == ("dense0", 0) else [
                "depthwise_filter", "pointwise_filter", "bias"
            ]  # fmt: skip
            pairs.append((f"{name}_conv{k}", [f"{prefix}/{part}" for part in parts]))
    return [*pairs, ("fc", ["fc/weights", "fc/bias"])]


def load_face_api_weights(model: keras.Model, arrays: dict[str, np.ndarray]) -> None:
    """Copy face-api's tensors ``{tfjs name: array}`` into ``model``; every tensor must be used once.

    tfjs and Keras lay the kernels out alike: conv (3, 3, in, out), depthwise (3, 3, in, 1), pointwise
    (1, 1, in, out), dense (in, out).
    """
    used: set[str] = set()
    try:
        for layer, names in _tensor_names():
            model.get_layer(layer).set_weights([arrays[n] for n in names])
            used.update(names)
    except KeyError as err:
        raise ModelFileError(f"the face-api landmark weights lack tensor {err}") from err
    except ValueError as err:
        raise ModelFileError(f"the face-api landmark weights do not fit the network: {err}") from err
    unused = set(arrays) - used
    if unused:
        raise ModelFileError(
            f"the face-api landmark weights have tensors the model does not use: {sorted(unused)}"
        )


def read_face_api_landmark_weights() -> dict[str, np.ndarray]:
    """The verified face-api landmark tensors ``{tfjs name: array}`` from ``assets/face-api``."""
    manifest = weight_path("face_landmark_68_model-weights_manifest.json")
    return read_tfjs_weights(manifest, [weight_path("face_landmark_68_model.bin")])


def build_face_landmarks(weights: bool = True) -> keras.Model:
    """face-api's landmark network: RGB 0..255 ``(N, 112, 112, 3)`` → ``(N, 136)`` = x₁, y₁, …, x₆₈, y₆₈
    as fractions of the square input's side.

    ``weights=True`` loads the verified face-api weights (committed under ``assets/face-api``).
    """
    model = _architecture()
    if weights:
        load_face_api_weights(model, read_face_api_landmark_weights())
    return model
