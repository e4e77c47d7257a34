"""Face descriptors: aligned 150x150 crops → 128-d vectors f(x) with dlib's face ResNet (Keras 3).

The network (``cnn_core.zoo.face_resnet``) normalises internally with ``(rgb − [122.782, 117.001,
104.298]) / 255``, so crops go in as RGB 0..255. Two crops show the same person when
``‖f(x₁) − f(x₂)‖₂ ≤ τ`` with τ ≈ 0.6 (see ``cnn_core.faces.verify``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import ShapeError
from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.zoo.face_resnet import EMBEDDING_SIZE, INPUT_SIZE

if TYPE_CHECKING:
    import keras

__all__ = ["EMBEDDING_SIZE", "INPUT_SIZE", "embed_crops", "load_embedder"]


def load_embedder() -> keras.Model:
    """The face ResNet with its verified face-api weights (build once and share; it is never mutated)."""
    from cnn_core.zoo import build_model

    return build_model("face-resnet")


def embed_crops(model: keras.Model, crops: np.ndarray) -> np.ndarray:
    """Descriptors (N, 128) float32 of aligned crops (N, 150, 150, 3) RGB 0..255; one crop (150, 150, 3)
    gives one descriptor (128,). Runs onnxruntime on the model's ONNX twin (cnn_core.fast_inference)."""
    crops = np.asarray(crops)
    single = crops.ndim == 3
    batch = crops[None] if single else crops
    if batch.ndim != 4 or batch.shape[1:] != (INPUT_SIZE, INPUT_SIZE, 3) or len(batch) == 0:
        raise ShapeError(f"crops must be (N, {INPUT_SIZE}, {INPUT_SIZE}, 3) with N ≥ 1, got {crops.shape}")
    vectors = np.asarray(predict(model, batch.astype(np.float32))[0], dtype=np.float32)
    return vectors[0] if single else vectors
