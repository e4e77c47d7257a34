"""YOLOv3-tiny (Redmon & Farhadi 2018, "YOLOv3: An Incremental Improvement") as a Keras 3 model.

The network is built layer by layer from darknet's own cfg and filled from its ``.weights`` file with
our reader (cnn_core.readers.darknet). Layer names carry darknet's layer index (conv_0, bn_0, leaky_0,
pool_1 …; OpenCV's darknet importer numbers its conv_ layers the same way). Each ``[yolo]`` section
marks a model output: the raw (S, S, A·(5 + C)) volume of the conv layer before it.

Darknet details that matter:
- conv ``pad=1`` means ``size // 2`` padding (Keras "same" at stride 1); a batch-normalised conv has
  no bias; leaky ReLU slope 0.1.
- batch norm divides by √(σ² + ε) with ε = 1e-6 as OpenCV does (darknet's (x − μ)/(σ + 1e-6) is within
  1e-6 of it); ε = 1e-5 would move the output logits by ~1e-3.
- a max-pool of size k and stride s outputs ⌈w / s⌉ and takes the max over the window's in-image
  cells only. That is Keras's "same" max-pool (padding never wins a max), so the size-2/stride-1 pool
  keeps 13x13 exactly as if the last row and column were repeated, never zero-padded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.detection.yolo import YoloHead
from cnn_core.errors import ModelFileError, ParameterError
from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.readers.darknet import CfgSection, read_cfg, read_weights
from cnn_core.weights import weight_path

if TYPE_CHECKING:
    import keras

BN_EPSILON = 1e-6
LEAKY_SLOPE = 0.1
DEFAULT_SIZE = 416


def build_from_cfg(sections: list[CfgSection], size: int | None = None) -> keras.Model:
    """The Keras model of a darknet cfg with conv / maxpool / upsample / route / yolo sections.

    ``size``: square input side (a multiple of 32) or None for any size. Input (batch, H, W, 3) RGB
    in [0, 1]; outputs: one raw (batch, H/s, W/s, A·(5 + C)) tensor per ``[yolo]`` section.
    """
    import keras

    inputs = keras.Input((size, size, sections[0].as_int("channels", 3)), name="image")
    layers_out: list = []
    heads = []
    x = inputs
    for index, section in enumerate(sections[1:]):
        if section.type == "convolutional":
            x = _conv_block(x, section, index)
        elif section.type == "maxpool":
            pool, stride = section.as_int("size"), section.as_int("stride", 1)
            x = keras.layers.MaxPooling2D(pool, stride, padding="same", name=f"pool_{index}")(x)
        elif section.type == "upsample":
            x = keras.layers.UpSampling2D(section.as_int("stride"), name=f"upsample_{index}")(x)
        elif section.type == "route":
            routed = [layers_out[i if i >= 0 else index + i] for i in section.as_ints("layers")]
            x = routed[0] if len(routed) == 1 else keras.layers.Concatenate(name=f"concat_{index}")(routed)
        elif section.type == "yolo":
            heads.append(x)
        else:
            raise ModelFileError(f"cfg layer {index} has unsupported type [{section.type}]")
        layers_out.append(x)
    return keras.Model(inputs, heads, name="yolov3_tiny")


def _conv_block(x, section: CfgSection, index: int):
    """Darknet convolutional section: conv (+ batch norm) + activation."""
    import keras

    if section.as_int("stride", 1) != 1:
        raise ModelFileError(f"cfg layer {index}: only stride-1 convolutions are supported")
    bn = bool(section.as_int("batch_normalize", 0))
    x = keras.layers.Conv2D(
        section.as_int("filters"),
        section.as_int("size"),
        padding="same",
        use_bias=not bn,
        name=f"conv_{index}",
    )(x)
    if bn:
        x = keras.layers.BatchNormalization(epsilon=BN_EPSILON, name=f"bn_{index}")(x)
    activation = section.as_str("activation", "linear")
    if activation == "leaky":
        x = keras.layers.LeakyReLU(negative_slope=LEAKY_SLOPE, name=f"leaky_{index}")(x)
    elif activation != "linear":
        raise ModelFileError(f"cfg layer {index}: unsupported activation '{activation}'")
    return x


def load_darknet_weights(model: keras.Model, sections: list[CfgSection], weights_file: str | Path) -> None:
    """Fill the conv and batch-norm layers of ``model`` (built by build_from_cfg) from a .weights file."""
    convs = sorted(
        (layer for layer in model.layers if layer.name.startswith("conv_")),
        key=lambda layer: int(layer.name[5:]),
    )  # cfg order (model.layers is in graph order)
    for layer, params in zip(convs, read_weights(weights_file, sections), strict=True):
        if params.bias is None:
            layer.set_weights([params.kernel])
            bn = model.get_layer(layer.name.replace("conv_", "bn_"))
            bn.set_weights([params.gamma, params.beta, params.mean, params.var])
        else:
            layer.set_weights([params.kernel, params.bias])


def yolo_heads(sections: list[CfgSection]) -> list[YoloHead]:
    """The anchors (in network-input pixels) of each ``[yolo]`` section, in model-output order."""
    heads = []
    for section in sections:
        if section.type == "yolo":
            anchors = np.array(section.as_ints("anchors"), dtype=np.float32).reshape(-1, 2)  # (num, 2) w, h
            heads.append(YoloHead(anchors[section.as_ints("mask")], section.as_int("classes")))
    return heads


def build_yolov3_tiny(size: int | None = DEFAULT_SIZE) -> keras.Model:
    """YOLOv3-tiny's architecture from its cfg at a ``size`` input, untrained (for the model explorer)."""
    return build_from_cfg(read_cfg(weight_path("yolov3-tiny.cfg")), size)


@dataclass
class YoloV3Tiny:
    """The COCO-trained YOLOv3-tiny: the Keras model, its yolo heads and class names.

    ``forward(blob)`` runs the float32 model with onnxruntime on its ONNX translation, batch norms folded
    into the convolutions (cnn_core.fast_inference; made on the first call; about 2x faster than TensorFlow
    on a CPU, see benchmarks/bench_networks.py). A model of another dtype (the float64 twin tests use)
    runs through Keras.
    """

    model: keras.Model
    heads: list[YoloHead]
    names: tuple[str, ...]

    def forward(self, blob: np.ndarray) -> list[np.ndarray]:
        """Raw head outputs for one letterboxed image.

        ``blob``: (size, size, 3) float32 RGB in [0, 1], size a multiple of 32. Returns one
        (S, S, A, 5 + C) array per head: t_x, t_y, t_w, t_h, objectness logit, class logits.
        """
        side = blob.shape[0] if blob.ndim == 3 else 0
        if blob.shape != (side, side, 3) or side % 32 or side == 0:
            raise ParameterError(f"blob must be (size, size, 3) with size a multiple of 32, got {blob.shape}")
        x = blob[None].astype(np.float32, copy=False)  # (1, size, size, 3)
        outputs = predict(self.model, x)
        return [
            np.asarray(out)[0].reshape(out.shape[1], out.shape[2], len(head.anchors), -1)  # (S, S, A, 5 + C)
            for out, head in zip(outputs, self.heads, strict=True)
        ]


def load_yolov3_tiny() -> YoloV3Tiny:
    """Build YOLOv3-tiny from its cfg and load the COCO weights (sha256-verified by weight_path)."""
    sections = read_cfg(weight_path("yolov3-tiny.cfg"))
    model = build_from_cfg(sections)
    load_darknet_weights(model, sections, weight_path("yolov3-tiny.weights"))
    names = tuple(weight_path("coco.names").read_text(encoding="utf-8").splitlines())
    heads = yolo_heads(sections)
    if len(names) != heads[0].classes:
        raise ModelFileError(f"coco.names lists {len(names)} classes but the cfg has {heads[0].classes}")
    return YoloV3Tiny(model, heads, names)
