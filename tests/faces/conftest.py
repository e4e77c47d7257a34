"""Session fixtures for the face tests: photos, our models, and the mtcnn package as a reference."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.images import sample_image


@pytest.fixture(scope="session")
def photos() -> dict[str, np.ndarray]:
    """Three different people: the astronaut (Eileen Collins), the cameraman, Grace Hopper."""
    return {
        "astronaut": sample_image("astronaut"),
        "camera": sample_image("camera"),
        "hopper": sample_image("grace_hopper"),
    }


@pytest.fixture(scope="session")
def embedder():
    """Our Keras face ResNet with the face-api weights, built once."""
    from cnn_core.faces.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def embedder_exact(embedder):
    """The same face ResNet and weights in float64: the CPU-independent reference for float32 rounding."""
    from cnn_core.zoo.face_resnet import build_face_resnet
    from tests.numerics import float64_twin

    return float64_twin(lambda: build_face_resnet(weights=False), embedder)


@pytest.fixture(scope="session")
def mtcnn_reference():
    """The mtcnn package's own detector (its Keras P/R/O-Nets and pipeline), built once."""
    from mtcnn import MTCNN

    return MTCNN(device="CPU:0")
