"""Each zoo model and each keras.applications reference is built at most once per test session."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import pytest

#: the models of the architecture explorer (issue 3)
COURSE_MODELS = ("lenet5", "lenet5-1998", "alexnet", "vgg16", "vgg19", "resnet50", "plain50", "inception-v1")


@pytest.fixture(scope="session")
def zoo_model() -> Callable:
    """``zoo_model(name)`` → the built zoo model, cached for the session."""
    from cnn_core.zoo import build_model

    return cache(build_model)


@pytest.fixture(scope="session")
def zoo_summary(zoo_model) -> Callable:
    """``zoo_summary(name)`` → ``summarize(zoo_model(name))``, cached for the session."""
    from cnn_core.architectures.summary import summarize

    return cache(lambda name: summarize(zoo_model(name)))


@pytest.fixture(scope="session")
def keras_reference() -> dict[str, object]:
    """Parameter counts of keras.applications VGG16, VGG19 and ResNet50 (weights=None), and the names and
    sizes of ResNet50's layers (the models themselves are dropped to free memory)."""
    import keras

    counts: dict[str, object] = {}
    for name, builder in (("vgg16", keras.applications.VGG16), ("vgg19", keras.applications.VGG19)):
        counts[name] = builder(weights=None).count_params()
    resnet = keras.applications.ResNet50(weights=None)
    counts["resnet50"] = resnet.count_params()
    counts["resnet50_trainable"] = sum(math.prod(w.shape) for w in resnet.trainable_weights)
    counts["resnet50_layers"] = {layer.name: layer.count_params() for layer in resnet.layers}
    return counts
