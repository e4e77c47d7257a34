"""Cached model tables and block drawings for the Architectures page.

The page never runs a network, so the zoo models, the blocks and the build-your-own networks are built
weightless (shapes without weight values: VGG-19's 143 M parameters would take 575 MB) and only their
per-layer tables are kept. An uploaded model's table belongs to its visitor: it is kept in their session.
"""

from __future__ import annotations

import streamlit as st

from app_support.architectures.plots import ModelCharts, model_charts
from app_support.shared.visitor_cache import fingerprint, session_memo
from cnn_core.architectures.keras_graph import weightless
from cnn_core.architectures.summary import ModelSummary
from cnn_core.zoo.custom import LayerSpec

#: the drawings the page offers: title -> (family, index of the block in the network, plain / wide_kernel)
BLOCKS = {
    "identity block (ResNet-50, 2b)": ("resnet", 1, False),
    "convolutional block (ResNet-50, 3a, s = 2)": ("resnet", 3, False),
    "plain block (Plain-50, 3a)": ("resnet", 3, True),
    "Inception module 3a (paper, 5x5)": ("inception", 0, 5),
    "Inception module 3a (torchvision, 3x3)": ("inception", 0, 3),
}


@st.cache_resource(show_spinner=False, max_entries=16)
def zoo_summary(name: str) -> ModelSummary:
    """Build the zoo model ``name`` and keep only its table (shared by all sessions, never mutated)."""
    from cnn_core.architectures.summary import summarize
    from cnn_core.zoo import build_model

    with weightless():
        return summarize(build_model(name))


@st.cache_resource(show_spinner=False, max_entries=32)
def zoo_charts(name: str, log_scale: bool) -> ModelCharts:
    """The figures of zoo model ``name``: Plotly takes ~30 ms to validate each as it is built, so they are
    built once per process and shared (never mutated: ``st.plotly_chart`` only reads them)."""
    return model_charts(zoo_summary(name), log_scale)


@st.cache_resource(show_spinner=False)
def block_dot(title: str) -> str:
    """The DOT drawing of ``BLOCKS[title]``, traced from the block the network builders use."""
    from cnn_core.architectures.block_diagram import summary_to_dot
    from cnn_core.architectures.summary import summarize
    from cnn_core.zoo import inception, resnet

    family, index, option = BLOCKS[title]
    with weightless():
        if family == "resnet":
            blocks = resnet.resnet50_blocks(plain=option)
            model = resnet.block_model(blocks[index], resnet.block_input_shapes(blocks)[index])
        else:
            modules = inception.inception_v1_modules(wide_kernel=option)
            model = inception.module_model(modules[index], inception.module_input_shapes(modules)[index])
        return summary_to_dot(summarize(model), rankdir="TB")


@st.cache_data(show_spinner=False, max_entries=32)
def custom_summary(input_shape: tuple[int, int, int], specs: tuple[LayerSpec, ...]) -> ModelSummary:
    """The table of a build-your-own network (shape errors are raised before anything is built)."""
    from cnn_core.architectures.summary import summarize
    from cnn_core.zoo.custom import build_custom

    with weightless():
        return summarize(build_custom(input_shape, list(specs)))


def upload_summary(data: bytes, input_shape: tuple[int, ...] | None = None) -> ModelSummary:
    """The table of an uploaded .keras file, loaded safely; ``input_shape`` fixes unknown input sizes.
    Kept in this visitor's session only, and so is the error of a bad file (it is read once)."""
    return session_memo(
        "arch_upload", (fingerprint(data), input_shape), lambda: _summarize_file(data, input_shape)
    )


def _summarize_file(data: bytes, input_shape: tuple[int, ...] | None) -> ModelSummary:
    from cnn_core.architectures.model_file import load_keras_model
    from cnn_core.architectures.summary import summarize
    from cnn_core.errors import CNNLabError, ModelFileError

    model = load_keras_model(data)
    try:
        return summarize(model, input_shape=input_shape)
    except CNNLabError:
        raise
    except Exception as err:  # a model Keras can load but whose graph cannot be traced layer by layer
        raise ModelFileError(f"the model loads but its layers cannot be traced: {err}") from None
