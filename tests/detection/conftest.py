"""Session fixtures: YOLOv3-tiny (ours) and OpenCV's darknet importer on the same files, loaded once."""

from __future__ import annotations

import pytest

from cnn_core.weights import weight_path


@pytest.fixture(scope="session")
def detector():
    """Our Keras YOLOv3-tiny with the COCO weights, in full float32 (no TF32 matmuls on an Ampere+ GPU)."""
    import tensorflow as tf

    from cnn_core.detection.yolov3_tiny import load_yolov3_tiny

    tf.config.experimental.enable_tensor_float_32_execution(False)

    return load_yolov3_tiny()


@pytest.fixture(scope="session")
def detector_exact(detector):
    """The same network and weights in float64: the CPU-independent reference for float32 rounding."""
    from cnn_core.detection.yolov3_tiny import YoloV3Tiny, build_yolov3_tiny
    from tests.numerics import float64_twin

    model = float64_twin(lambda: build_yolov3_tiny(None), detector.model)
    return YoloV3Tiny(model, detector.heads, detector.names)


@pytest.fixture(scope="session")
def opencv_net():
    """The independent reference: cv2.dnn.readNetFromDarknet on the same cfg and weights, with plain
    convolutions (Winograd's transforms add rounding beyond a dot product's, several times ours)."""
    import cv2

    net = cv2.dnn.readNetFromDarknet(
        str(weight_path("yolov3-tiny.cfg")), str(weight_path("yolov3-tiny.weights"))
    )
    net.enableWinograd(False)
    return net
