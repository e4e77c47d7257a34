"""Cached models and computations for the activations page: built once per process, never mutated.

What is computed from a picture is cached server-wide for the shipped samples and MNIST digits only,
and in the visitor's session for their own pictures (``picture_cache``: call with ``sample=``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from app_support.shared.visitor_cache import fingerprint, picture_cache
from cnn_core.activations.classify import classifier_input, top_k
from cnn_core.activations.digits import digit_field, lenet_input
from cnn_core.activations.feature_maps import (
    feature_model,
    first_layer_filters,
    grad_cam,
    map_layers,
    top_patches,
)
from cnn_core.activations.receptive_field import LayerRF, clip_window, receptive_fields
from cnn_core.fast_inference.onnx_runner import predict as fast_predict
from cnn_core.images import SAMPLE_NAMES, check_rgb, sample_image

#: MNIST test digits offered as LeNet inputs and searched for top patches
DIGIT_SET_SIZE = 500


@dataclass(frozen=True)
class PageModel:
    """A network of the page: how a picture becomes its input, and how that input is shown."""

    key: str
    title: str
    digits: bool  # reads handwritten digits (drawn, from MNIST or a photo), else ImageNet photos
    labels: tuple[str, ...] | None  # None: ImageNet
    to_input: Callable[[np.ndarray], np.ndarray]  # (H, W, 3) uint8 → model input (h, w, c) float32
    default_layer: str
    cam_layer: str


def _lenet_to_input(image: np.ndarray) -> np.ndarray:
    return lenet_input(digit_field(check_rgb(image, min_side=8)))


MODELS = {
    model.key: model
    for model in (
        PageModel(
            key="efficientnet-lite0",
            title="EfficientNet-Lite0 (ImageNet photos)",
            digits=False,
            labels=None,
            to_input=classifier_input,
            default_layer="block2b_add",
            cam_layer="top_activation",
        ),
        PageModel(
            key="lenet5-mnist",
            title="LeNet-5 (handwritten digits)",
            digits=True,
            labels=tuple("0123456789"),
            to_input=_lenet_to_input,
            default_layer="conv1",
            cam_layer="conv2",
        ),
    )
}


def shown(x: np.ndarray) -> np.ndarray:
    """A model input (h, w, c) as the (h, w, 3) uint8 picture the network saw (digits in [0, 1] → 0..255)."""
    scaled = x * 255 if x.shape[-1] == 1 else x
    return np.repeat(np.clip(scaled, 0, 255).astype(np.uint8), 3 // x.shape[-1], axis=-1)


@st.cache_resource(show_spinner="Loading the network and its weights…")
def network(key: str):
    """The shared, trained zoo model ``key`` (a key of MODELS), warmed up once."""
    from cnn_core.zoo import build_model

    model = build_model(key)
    model(np.zeros((1, *model.inputs[0].shape[1:]), np.float32))
    return model


@st.cache_resource(show_spinner=False)
def _features(key: str, layer: str):
    return feature_model(network(key), [layer])


@st.cache_data(show_spinner=False, max_entries=4)
def layer_names(key: str) -> list[str]:
    return map_layers(network(key))


@st.cache_data(show_spinner=False, max_entries=64)
def channels_of(key: str, layer: str) -> int:
    """How many feature maps ``layer`` of network ``key`` outputs."""
    return int(network(key).get_layer(layer).output.shape[-1])


@st.cache_data(show_spinner=False, max_entries=4)
def rf_by_layer(key: str) -> dict[str, LayerRF]:
    return {layer.name: layer for layer in receptive_fields(network(key))}


@picture_cache(max_entries=16)
def network_input(key: str, pixels: np.ndarray) -> np.ndarray:
    """``MODELS[key].to_input`` of an (H, W, 3) uint8 picture: resized (a photo) or centred (a digit) once
    per picture, not on every rerun."""
    return MODELS[key].to_input(pixels)


@picture_cache(max_entries=16)
def predict(key: str, x: np.ndarray) -> list[dict]:
    probabilities = fast_predict(network(key), x[None])[0][0]  # onnxruntime twin (LeNet: tf.function)
    return top_k(probabilities, 5, MODELS[key].labels)


@picture_cache(max_entries=32, show_spinner="Computing the feature maps…")
def maps_of(key: str, x: np.ndarray, layer: str) -> np.ndarray:
    """(h, w, C) activations of ``layer`` for one model input."""
    return np.asarray(_features(key, layer)(x[None], training=False)[layer][0])


@picture_cache(max_entries=16, show_spinner="Computing Grad-CAM…")
def cam_of(key: str, x: np.ndarray, layer: str, class_index: int) -> np.ndarray:
    return grad_cam(network(key), x, layer, class_index)


@st.cache_data(show_spinner=False, max_entries=2)
def filters_of(key: str) -> np.ndarray:
    return first_layer_filters(network(key))


@st.cache_data(show_spinner="Preparing the image set…", max_entries=2)
def image_set(key: str) -> tuple[np.ndarray, list[str]]:
    """The inputs searched for top patches (N, h, w, c) and their names: the sample photos for Lite0,
    held-out MNIST digits for LeNet."""
    if not MODELS[key].digits:
        return np.stack([classifier_input(sample_image(n)) for n in SAMPLE_NAMES]), list(SAMPLE_NAMES)
    from cnn_core.zoo.lenet5_mnist import mnist_split

    x_test, y_test = mnist_split()[1::2]
    return x_test[:DIGIT_SET_SIZE], [f"test digit {i} ({y})" for i, y in enumerate(y_test[:DIGIT_SET_SIZE])]


@st.cache_data(show_spinner=False, max_entries=2)
def set_fingerprints(key: str) -> set[str]:
    return {fingerprint(x) for x in image_set(key)[0]}


@picture_cache(max_entries=16, show_spinner="Searching the image set for the strongest activations…")
def strongest(key: str, layer: str, channel: int, extra: tuple[np.ndarray, ...]) -> tuple[list, list[str]]:
    """Top-9 patches of one channel over the image set plus ``extra`` inputs (the user's own)."""
    inputs, names = image_set(key)
    if extra:
        inputs = np.concatenate([inputs, np.stack(extra)])
        names = names + [f"your image {i + 1}" for i in range(len(extra))]
    extractor = _features(key, layer)
    maps = np.concatenate(
        [
            np.asarray(extractor(inputs[i : i + 32], training=False)[layer])[..., channel]
            for i in range(0, len(inputs), 32)
        ]
    )  # (N, h, w)
    patches = top_patches(maps, np.stack([shown(x) for x in inputs]), rf_by_layer(key)[layer])
    return patches, names


@st.cache_resource(show_spinner="Building the model…", max_entries=3)
def zoo_network(name: str):
    """The zoo model ``name`` built weightless: the structure the receptive-field table reads and the
    gradient check copies layer by layer, without the weights (VGG-19's would take 575 MB)."""
    from cnn_core.architectures.keras_graph import weightless
    from cnn_core.zoo import build_model

    with weightless():
        return build_model(name)


@st.cache_data(show_spinner=False, max_entries=16)
def zoo_rf_table(name: str) -> list[LayerRF]:
    return receptive_fields(zoo_network(name))


@st.cache_data(show_spinner="Back-propagating from one unit to the input…", max_entries=16)
def gradient_check(name: str) -> tuple[str, tuple, tuple]:
    """For the deepest layer whose centre unit's field fits in the input: (layer, analytic window,
    window of non-zero input gradients)."""
    from cnn_core.activations.receptive_field_check import gradient_windows

    model = zoo_network(name)
    size = tuple(model.inputs[0].shape[1:3])
    fits = [
        t
        for t in zoo_rf_table(name)[1:]
        if t.spatial
        and t.window(t.rows.n // 2, t.cols.n // 2)
        == clip_window(t.window(t.rows.n // 2, t.cols.n // 2), *size)
    ]
    layer = fits[-1]
    unit = (layer.rows.n // 2, layer.cols.n // 2)
    (empirical,) = gradient_windows(model, [(layer.name, *unit)], size)
    return layer.name, layer.window(*unit), empirical
