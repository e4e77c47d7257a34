"""The onnxruntime path of the face nets (embed_crops, run_net) against the Keras models they come from.

References: each Keras model in float32 through TensorFlow and its float64 twin (rounding ~1e-16, the
same on every CPU); the tolerance is tests.numerics' cross-implementation one. Inputs are real photos.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cnn_core.faces.embed import INPUT_SIZE, embed_crops
from cnn_core.faces.landmarks import NET_SIZE, load_landmark_net, run_net
from tests.numerics import assert_matches_reference, float64_twin


def _squares(photos: dict[str, np.ndarray], side: int) -> np.ndarray:
    """(3, side, side, 3) float32 RGB 0..255: the centred square of each photo, resized."""
    crops = []
    for photo in photos.values():
        height, width = photo.shape[:2]
        s = min(height, width)
        top, left = (height - s) // 2, (width - s) // 2
        crops.append(
            cv2.resize(photo[top : top + s, left : left + s], (side, side), interpolation=cv2.INTER_AREA)
        )
    return np.stack(crops).astype(np.float32)


def test_embeddings_equal_the_keras_model(photos, embedder, embedder_exact):
    from cnn_core.fast_inference.onnx_runner import OnnxRunner, onnx_twin

    crops = _squares(photos, INPUT_SIZE)
    assert isinstance(onnx_twin(embedder), OnnxRunner)  # embed_crops runs onnxruntime
    fast = embed_crops(embedder, crops)
    keras_out = np.asarray(embedder(crops, training=False))
    assert_matches_reference(keras_out, np.asarray(embedder_exact(crops.astype(np.float64))), fast)


@pytest.fixture(scope="module")
def landmark_nets():
    from cnn_core.zoo.face_landmarks import build_face_landmarks

    net = load_landmark_net()
    return net, float64_twin(lambda: build_face_landmarks(weights=False), net)


def test_landmarks_equal_the_keras_model(photos, landmark_nets):
    net, exact = landmark_nets
    inputs = _squares(photos, NET_SIZE)
    fast = run_net(net, inputs)  # (3, 136)
    keras_out = np.asarray(net(inputs, training=False))
    assert_matches_reference(keras_out, np.asarray(exact(inputs.astype(np.float64))), fast)


@pytest.mark.parametrize("net", ["pnet", "rnet", "onet"])
def test_mtcnn_nets_equal_their_keras_models(photos, net):
    from cnn_core.faces import mtcnn_nets
    from cnn_core.faces.detect import normalize
    from cnn_core.fast_inference.onnx_runner import predict
    from tests.numerics import float64_keras

    model = getattr(mtcnn_nets.load_mtcnn_nets(), net)
    with float64_keras():
        exact = mtcnn_nets.build_mtcnn_net(net)
    exact.set_weights([np.asarray(w, np.float64) for w in model.get_weights()])
    side = {"pnet": 61, "rnet": 24, "onet": 48}[net]  # P-Net takes any size
    x = normalize(_squares(photos, side).astype(np.uint8))  # (3, side, side, 3)
    ours = [np.asarray(o) for o in model(x, training=False)]
    reference = [np.asarray(o) for o in exact(x.astype(np.float64))]
    fast = predict(model, x)
    for out, out_exact, out_fast in zip(ours, reference, fast, strict=True):
        assert_matches_reference(out, out_exact, out_fast)
