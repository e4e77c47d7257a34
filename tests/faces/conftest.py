"""Session fixtures for the face tests: photos, our models, and the mtcnn package as a reference."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from cnn_core.images import load_image, sample_image


def grace_hopper() -> np.ndarray:
    """matplotlib's sample portrait of Grace Hopper (public domain), read without importing matplotlib."""
    folder = Path(next(iter(importlib.util.find_spec("matplotlib").submodule_search_locations)))
    return load_image(folder / "mpl-data" / "sample_data" / "grace_hopper.jpg")


@pytest.fixture(scope="session")
def photos() -> dict[str, np.ndarray]:
    """Three different people: the astronaut (Eileen Collins), the cameraman, Grace Hopper."""
    return {
        "astronaut": sample_image("astronaut"),
        "camera": sample_image("camera"),
        "hopper": grace_hopper(),
    }


@pytest.fixture(scope="session")
def embedder():
    """Our Keras face ResNet with the face-api weights, built once."""
    from cnn_core.faces.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def mtcnn_reference():
    """The mtcnn package's own detector (its Keras P/R/O-Nets and pipeline), built once."""
    from mtcnn import MTCNN

    return MTCNN(device="CPU:0")
