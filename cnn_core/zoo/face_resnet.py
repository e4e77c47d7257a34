"""dlib's face-recognition ResNet (King, dlib 19.3, 2017) rebuilt in Keras 3 with the face-api weights.

A ResNet-34-like network with half the filters that maps a 150x150 aligned RGB face crop to a 128-d
descriptor; faces of one person lie within Euclidean distance 0.6 (trained with a pairwise hinge loss on
~3M faces; 99.38% on LFW). The weights are dlib's ``dlib_face_recognition_resnet_model_v1`` as converted
to TensorFlow.js by face-api (``@vladmandic/face-api`` 1.7.15), read with ``cnn_core.readers.tfjs``.

Every conv is followed by a per-channel affine "scale" layer (dlib's frozen batch norm), which we fold
into the conv when loading: ``s ⊙ (W * x + b) + t = (s ⊙ W) * x + (s ⊙ b + t)``. The graph (face-api
``FaceRecognitionNet``):

    (x − mean_rgb) / 255 → conv 7x7/2 valid (32) → ReLU → maxpool 3x3/2 valid
    → 3 residual blocks (32) → down block (64) → 3 × (64) → down (128) → 2 × (128)
    → down (256) → 2 × (256) → down (256) → global average pool → dense 256→128 (no bias)

A residual block is ``ReLU(x + conv(ReLU(conv(x))))`` with 3x3 "same" convs. A down block's first conv
is 3x3 stride 2 "valid"; its shortcut is 2x2 average pooling, with zero channels appended when the
width doubles, and the main path gets a zero row/column at the bottom/right when the pooled shortcut is
one pixel larger (8 → 3 vs 4, and 4 → 1 vs 2).
"""

from __future__ import annotations

import keras
import numpy as np

from cnn_core.errors import ModelFileError
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.gallery import EMBEDDING_SIZE
from cnn_core.readers.tfjs import read_tfjs_weights
from cnn_core.weights import weight_path

#: the network reads the aligned crops whole (dlib's 150x150 face chips)
INPUT_SIZE = CROP_SIZE
#: per-channel mean of dlib's training crops, subtracted before dividing by 255 (face-api)
MEAN_RGB = (122.782, 117.001, 104.298)
#: residual stages in order: (block name, filters, down-sampling?)
BLOCKS: tuple[tuple[str, int, bool], ...] = (
    ("conv32_1", 32, False), ("conv32_2", 32, False), ("conv32_3", 32, False),
    ("conv64_down", 64, True), ("conv64_1", 64, False), ("conv64_2", 64, False), ("conv64_3", 64, False),
    ("conv128_down", 128, True), ("conv128_1", 128, False), ("conv128_2", 128, False),
    ("conv256_down", 256, True), ("conv256_1", 256, False), ("conv256_2", 256, False),
    ("conv256_down_out", 256, True),
)  # fmt: skip
#: values in the tfjs file (5,614,592) minus the folded scale layers (2 × 3,552 channels of 29 convs)
PARAMETER_COUNT = 5_607_488


@keras.saving.register_keras_serializable(package="cnn_lab")
class ChannelZeroPad(keras.layers.Layer):
    """Append ``extra`` all-zero channels: (N, H, W, C) → (N, H, W, C + extra) (a ResNet "option A"
    shortcut, He et al. 2016)."""

    def __init__(self, extra: int, **kwargs):
        super().__init__(**kwargs)
        self.extra = extra

    def call(self, inputs):
        return keras.ops.pad(inputs, [[0, 0], [0, 0], [0, 0], [0, self.extra]])

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + self.extra)

    def get_config(self) -> dict:
        return {**super().get_config(), "extra": self.extra}


def _residual(x, name: str, filters: int, down: bool):
    """One residual block (``down``: stride-2 valid first conv, pooled and zero-padded shortcut)."""
    layers = keras.layers
    stride, padding = (2, "valid") if down else (1, "same")
    y = layers.Conv2D(filters, 3, stride, padding, name=f"{name}_conv1")(x)
    y = layers.ReLU(name=f"{name}_relu1")(y)
    y = layers.Conv2D(filters, 3, 1, "same", name=f"{name}_conv2")(y)
    shortcut = x
    if down:
        shortcut = layers.AveragePooling2D(2, 2, "valid", name=f"{name}_shortcut_pool")(x)
        if shortcut.shape[-1] != filters:
            shortcut = ChannelZeroPad(filters - shortcut.shape[-1], name=f"{name}_shortcut_pad")(shortcut)
        if shortcut.shape[1] != y.shape[1]:
            y = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"{name}_pad")(y)
    y = layers.Add(name=f"{name}_add")([y, shortcut])
    return layers.ReLU(name=f"{name}_relu")(y)


def _architecture() -> keras.Model:
    """The untrained graph: RGB 0..255 (N, 150, 150, 3) → descriptor (N, 128)."""
    layers = keras.layers
    inputs = keras.Input((INPUT_SIZE, INPUT_SIZE, 3), name="face")
    mean = np.asarray(MEAN_RGB, dtype=np.float32)
    x = layers.Rescaling(1 / 255, offset=-mean / 255, name="normalize")(inputs)
    x = layers.Conv2D(32, 7, 2, "valid", name="conv32_down_conv")(x)
    x = layers.ReLU(name="conv32_down_relu")(x)
    x = layers.MaxPooling2D(3, 2, "valid", name="pool")(x)
    for name, filters, down in BLOCKS:
        x = _residual(x, name, filters, down)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(EMBEDDING_SIZE, use_bias=False, name="embedding")(x)
    return keras.Model(inputs, outputs, name="dlib_face_resnet")


def _folded(arrays: dict[str, np.ndarray], prefix: str) -> list[np.ndarray]:
    """Kernel (kh, kw, in, out) and bias (out,) of ``prefix``'s conv with its scale layer folded in."""
    kernel, bias = arrays[f"{prefix}/conv/filters"], arrays[f"{prefix}/conv/bias"]
    scale, shift = arrays[f"{prefix}/scale/weights"], arrays[f"{prefix}/scale/biases"]
    return [kernel * scale, bias * scale + shift]  # scale broadcasts over the last (out) axis


def _keras_to_tfjs_names() -> list[tuple[str, str]]:
    """``(Keras layer, tfjs prefix)`` for every conv layer, in file order."""
    pairs = [("conv32_down_conv", "conv32_down")]
    for name, _filters, _down in BLOCKS:
        pairs += [(f"{name}_conv1", f"{name}/conv1"), (f"{name}_conv2", f"{name}/conv2")]
    return pairs


def load_face_api_weights(model: keras.Model, arrays: dict[str, np.ndarray]) -> None:
    """Copy face-api's tensors (``{tfjs name: array}``) into ``model``; every tensor must be used once."""
    used = {"fc"}
    try:
        for keras_name, prefix in _keras_to_tfjs_names():
            model.get_layer(keras_name).set_weights(_folded(arrays, prefix))
            used |= {
                f"{prefix}/{part}" for part in ("conv/filters", "conv/bias", "scale/weights", "scale/biases")
            }
        model.get_layer("embedding").set_weights([arrays["fc"]])
    except KeyError as err:
        raise ModelFileError(f"the face-api weights lack tensor {err}") from err
    except ValueError as err:
        raise ModelFileError(f"the face-api weights do not fit the network: {err}") from err
    unused = set(arrays) - used
    if unused:
        raise ModelFileError(f"the face-api weights have tensors the model does not use: {sorted(unused)}")


def read_face_api_weights() -> dict[str, np.ndarray]:
    """The verified face-api recognition tensors ``{tfjs name: array}`` from ``assets/face-api``."""
    manifest = weight_path("face_recognition_model-weights_manifest.json")
    return read_tfjs_weights(manifest, [weight_path("face_recognition_model.bin")])


def build_face_resnet(weights: bool = True) -> keras.Model:
    """dlib's face ResNet taking RGB 0..255 ``(N, 150, 150, 3)`` aligned crops → ``(N, 128)`` descriptors.

    ``weights=True`` loads the verified face-api weights (committed under ``assets/face-api``).
    """
    model = _architecture()
    if weights:
        load_face_api_weights(model, read_face_api_weights())
    return model
