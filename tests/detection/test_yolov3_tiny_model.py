"""Our Keras YOLOv3-tiny against OpenCV's darknet importer on the same cfg and weights."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.detection.yolo import decode, letterbox
from cnn_core.images import sample_image
from tests.numerics import U32, assert_matches_reference, cross_implementation_atol

IMAGES = ["stereo_motorcycle", "coffee", "astronaut", "chelsea"]


def opencv_forward(net, blob: np.ndarray) -> list[np.ndarray]:
    """OpenCV outputs: the two raw head convolutions (NCHW) and the two decoded yolo layers."""
    net.setInput(np.ascontiguousarray(blob.transpose(2, 0, 1)[None]))
    return net.forward(["conv_15", "conv_22", "yolo_16", "yolo_23"])


@pytest.fixture(scope="module")
def blobs():
    noise = np.random.default_rng(0).integers(0, 256, (240, 320, 3), dtype=np.uint8)
    return {name: letterbox(sample_image(name), 416)[0] for name in IMAGES} | {
        "noise": letterbox(noise, 416)[0]
    }


def test_parameter_count_matches_the_weights_file(detector):
    assert detector.model.count_params() == 8_858_734  # docs/weights.md: floats in yolov3-tiny.weights
    assert len(detector.names) == 80 and detector.names[3] == "motorbike"


def test_zoo_builder_without_weights():
    import keras

    from cnn_core.zoo import build_model

    model = build_model("yolov3-tiny")
    assert model.count_params() == 8_858_734
    assert [tuple(o.shape) for o in model.outputs] == [(None, 13, 13, 255), (None, 26, 26, 255)]
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    macs = sum(
        layer.output.shape[1]
        * layer.output.shape[2]
        * layer.output.shape[3]
        * layer.input.shape[3]
        * layer.kernel_size[0]
        * layer.kernel_size[1]
        for layer in convs
    )
    assert 2 * macs == pytest.approx(5.56e9, rel=5e-3)  # darknet's YOLOv3 page: 5.56 Bn FLOPS at 416


def _assert_raw_outputs_equal_opencv(detector, detector_exact, opencv_net, blob: np.ndarray) -> None:
    ours, exact = detector.forward(blob), detector_exact.forward(blob)
    conv15, conv22, _, _ = opencv_forward(opencv_net, blob)
    for out, out_exact, ref in zip(ours, exact, [conv15, conv22], strict=True):
        assert_matches_reference(
            out, out_exact, ref[0].transpose(1, 2, 0).reshape(out.shape)
        )  # (S, S, 3, 85)


@pytest.mark.parametrize("name", [*IMAGES, "noise"])
def test_raw_outputs_equal_opencv(detector, detector_exact, opencv_net, blobs, name):
    _assert_raw_outputs_equal_opencv(detector, detector_exact, opencv_net, blobs[name])
    assert [o.shape for o in detector.forward(blobs[name])] == [(13, 13, 3, 85), (26, 26, 3, 85)]


@pytest.mark.parametrize("name", ["stereo_motorcycle", "coffee"])
def test_decoded_boxes_and_scores_equal_opencv_yolo_layers(detector, detector_exact, opencv_net, blobs, name):
    """OpenCV's yolo layers give (cx, cy, w, h) / 416, σ(t_o) and σ(t_o)·σ(t_k) (0 below its threshold)."""
    raw = detector.forward(blobs[name])
    raw_atol = max(map(cross_implementation_atol, raw, detector_exact.forward(blobs[name])))
    candidates = decode(raw, detector.heads, 416)
    reference = np.concatenate(
        opencv_forward(opencv_net, blobs[name])[2:]
    )  # (2535, 85), rows in (y, x, anchor)
    boxes = candidates.boxes / 416
    ours = np.column_stack(
        [
            (boxes[:, 0] + boxes[:, 2]) / 2,
            (boxes[:, 1] + boxes[:, 3]) / 2,
            boxes[:, 2] - boxes[:, 0],
            boxes[:, 3] - boxes[:, 1],
            candidates.objectness,
        ]
    )
    # decoding is Lipschitz in the raw outputs: σ' ≤ 1/4 (centres, objectness), (σ·σ)' ≤ 1/2 (scores),
    # (anchor·e^t / 416)' = w / 416 (sizes); each side's σ and exp round by ≤ 16u on top
    lipschitz = max(0.5, float(ours[:, 2:4].max()))
    atol = lipschitz * (raw_atol + 16 * U32)
    np.testing.assert_allclose(ours, reference[:, :5], atol=atol, rtol=0)
    scores = candidates.objectness[:, None] * candidates.class_probs
    nonzero = reference[:, 5:] > 0
    assert nonzero.any()
    np.testing.assert_allclose(scores[nonzero], reference[:, 5:][nonzero], atol=atol, rtol=0)


def test_other_input_size_equals_opencv(detector, detector_exact, opencv_net):
    blob, _ = letterbox(sample_image("coffee"), 320)
    assert [o.shape[:2] for o in detector.forward(blob)] == [(10, 10), (20, 20)]
    _assert_raw_outputs_equal_opencv(detector, detector_exact, opencv_net, blob)


def test_size2_stride1_maxpool_keeps_13x13_and_repeats_the_edge(detector):
    """Keras 'same' max-pool = max over an edge-replicated window, never over zeros (activations < 0)."""
    import keras

    pool = detector.model.get_layer("pool_11")
    assert (pool.pool_size, pool.strides, pool.padding) == ((2, 2), (1, 1), "same")
    x = np.random.default_rng(1).normal(-2.0, 1.0, (1, 13, 13, 4)).astype(np.float32)  # mostly negative
    padded = np.pad(x, ((0, 0), (0, 1), (0, 1), (0, 0)), mode="edge")  # (1, 14, 14, 4)
    reference = np.max([padded[:, i : i + 13, j : j + 13] for i in (0, 1) for j in (0, 1)], axis=0)
    got = np.asarray(keras.layers.MaxPooling2D(2, 1, padding="same")(x))
    assert got.shape == (1, 13, 13, 4)
    np.testing.assert_array_equal(got, reference)
    zero_padded = np.pad(x, ((0, 0), (0, 1), (0, 1), (0, 0)))
    assert not np.array_equal(
        got, np.max([zero_padded[:, i : i + 13, j : j + 13] for i in (0, 1) for j in (0, 1)], 0)
    )


def test_blob_shape_is_checked(detector):
    from cnn_core.errors import ParameterError

    with pytest.raises(ParameterError, match=r"blob must be \(size, size, 3\) with size a multiple of 32"):
        detector.forward(np.zeros((100, 100, 3), np.float32))
