"""Shared fixtures for the style-transfer tests: each network is built once per session.

The Magenta ONNX files quantize activations as well as weights (QuantizeLinear → DequantizeLinear pairs
between layers). Our Keras rebuilds dequantize the weights and run in float, so their exact reference is
the same ONNX graph with those activation pairs turned into identities (``float_graph``), run by
onnxruntime: the weights are still dequantized by onnxruntime itself, from the untouched file.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import helper

from cnn_core.weights import weight_path


def ort_session(model: onnx.ModelProto | str) -> ort.InferenceSession:
    """A CPU onnxruntime session for a model proto or a file path."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 2
    source = model.SerializeToString() if isinstance(model, onnx.ModelProto) else model
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def float_graph(name: str) -> onnx.ModelProto:
    """The ONNX model ``name`` with every activation QuantizeLinear/DequantizeLinear made an Identity.

    DequantizeLinear nodes whose input is an initializer (the stored int8/int32 weights) are kept.
    """
    model = onnx.load(str(weight_path(name)))
    graph = model.graph
    stored = {tensor.name for tensor in graph.initializer}
    nodes = []
    for node in graph.node:
        is_activation_qdq = node.op_type == "QuantizeLinear" or (
            node.op_type == "DequantizeLinear" and node.input[0] not in stored
        )
        nodes.append(
            helper.make_node("Identity", [node.input[0]], [node.output[0]]) if is_activation_qdq else node
        )
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]  # intermediate int8 type annotations no longer hold
    return model


@pytest.fixture(scope="session")
def multistyle_model():
    from cnn_core.style.multistyle import build_multistyle

    return build_multistyle()


@pytest.fixture(scope="session")
def predictor():
    from cnn_core.style.arbitrary import build_style_predictor

    return build_style_predictor()


@pytest.fixture(scope="session")
def transformer():
    from cnn_core.style.arbitrary import build_style_transformer

    return build_style_transformer()


@pytest.fixture(scope="session")
def backbone():
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0((None, None, 3))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)
