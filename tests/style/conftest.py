"""Shared fixtures for the style-transfer tests: each network is built once per session.

The Magenta ONNX files quantize activations as well as weights (QuantizeLinear → DequantizeLinear pairs
between layers). Our Keras rebuilds dequantize the weights and run in float, so their exact reference is
the same ONNX graph with those activation pairs turned into identities (``float_graph``), run by
onnxruntime: the weights are still dequantized by onnxruntime itself, from the untouched file.

The int8 file itself runs with ``ort_session(..., as_written=True)``: onnxruntime's fused int8 kernels
round differently per CPU (without AVX-512 VNNI, u8·s8 product pairs saturate at 16 bits), while the
graph as written (dequantize, float op, quantize: the ONNX definition of a QDQ model) does not.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import helper

from cnn_core.weights import weight_path
from tests.numerics import float64_twin


def ort_session(model: onnx.ModelProto | str, as_written: bool = False) -> ort.InferenceSession:
    """A CPU onnxruntime session for a model proto or a file path; ``as_written``: only the basic graph
    optimisations, which keep QuantizeLinear/DequantizeLinear pairs instead of fusing int8 kernels."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 2
    if as_written:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
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
def multistyle_exact(multistyle_model):
    """The 26-style network in float64: the CPU-independent reference for our float32 rounding."""
    from cnn_core.style.multistyle import build_multistyle

    return float64_twin(build_multistyle, multistyle_model)


@pytest.fixture(scope="session")
def predictor_exact(predictor):
    from cnn_core.style.arbitrary import build_style_predictor

    return float64_twin(build_style_predictor, predictor)


@pytest.fixture(scope="session")
def transformer_exact(transformer):
    from cnn_core.style.arbitrary import build_style_transformer

    return float64_twin(build_style_transformer, transformer)


@pytest.fixture(scope="session")
def backbone():
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0((None, None, 3))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)
