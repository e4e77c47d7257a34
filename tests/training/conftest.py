"""Models and photos for the training tests, each made at most once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def lite0():
    """EfficientNet-Lite0 with its ImageNet weights, 224x224 input (never changed by a test)."""
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0()


@pytest.fixture(scope="session")
def small_textures():
    """Two sample classes (brick, grass), 16 photos each, at 224x224."""
    from cnn_core.training.dataset import sample_set

    return sample_set(("brick", "grass"))
