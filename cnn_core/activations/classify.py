"""ImageNet classification of any photo with EfficientNet-Lite0: resize, predict, read the top five.

The reference preprocessing is a plain bilinear resize of the whole photo to 224x224 (no crop, no
antialiasing, as ``tf.image.resize``); the model normalises ``(x − 127) / 128`` itself. With it,
scikit-image's ``chelsea`` gives class 285 "Egyptian cat" (p ≈ 0.79) and ``coffee`` 967 "espresso" (≈ 0.91).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.imagenet import imagenet_labels
from cnn_core.errors import ParameterError
from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.images import check_rgb

if TYPE_CHECKING:
    import keras

#: smaller photos carry too little detail for a 224x224 ImageNet classifier
MIN_SIDE = 16


def classifier_input(image: np.ndarray, size: int | tuple[int, int] = 224) -> np.ndarray:
    """(H, W, 3) uint8 RGB → (size, size, 3) float32 in 0..255 by bilinear resize (no crop); a ``size``
    (h, w) gives (h, w, 3), as the 10-crop evaluation's resize of the shorter side needs."""
    import tensorflow as tf

    image = check_rgb(image, min_side=MIN_SIDE, purpose="the ImageNet classifier")
    shape = (size, size) if isinstance(size, int) else size
    return tf.image.resize(image.astype(np.float32), shape).numpy()


def top_k(probabilities: np.ndarray, k: int = 5, labels: tuple[str, ...] | None = None) -> list[dict]:
    """The ``k`` most probable classes of ``probabilities`` (C,) as ``{"label", "index", "score"}``;
    ``labels`` default to the 1000 ImageNet names.

    >>> p = np.zeros(1000); p[[285, 967]] = [0.25, 0.75]
    >>> top_k(p, 2)[0]
    {'label': 'espresso', 'index': 967, 'score': 0.75}
    """
    if not 1 <= k <= probabilities.shape[-1]:
        raise ParameterError(f"k must be in 1..{probabilities.shape[-1]}, got {k}")
    labels = labels or imagenet_labels()
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [{"label": labels[i], "index": int(i), "score": float(probabilities[i])} for i in order]


def classify(model: keras.Model, image: np.ndarray, k: int = 5) -> list[dict]:
    """Top-``k`` ImageNet predictions for an (H, W, 3) uint8 RGB image (see ``top_k`` for the fields)."""
    probabilities = predict(model, classifier_input(image)[None])[0]  # onnxruntime twin of the model
    return top_k(probabilities[0], k)
