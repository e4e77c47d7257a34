"""A functional Keras model translated, layer by layer, into an ONNX graph for onnxruntime.

Only the layer types cnn_core.fast_inference.onnx_layers knows are translated; any other raises
ModelFileError, so a translation is complete or refused. Images stay NCHW inside the graph (onnxruntime's
native layout): each 4-D model input is transposed from Keras's NHWC once, each 4-D output back once.
A batch norm whose input is a convolution's only use is folded into that convolution
(cnn_core.fast_inference.batch_norm), which saves a pass over its activations.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from cnn_core.errors import ModelFileError
from cnn_core.fast_inference.onnx_layers import TRANSLATE, Graph

if TYPE_CHECKING:
    import keras
    import onnx

OPSET = 17


def _as_list(tensors) -> list:
    return list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]


def _foldable_batch_norms(model: keras.Model) -> dict[str, keras.layers.Layer]:
    """conv layer name → the batch norm that is its output's only use."""
    inner = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    uses = Counter(id(t) for layer in inner for t in _as_list(layer.input))
    uses.update(id(t) for t in model.outputs)
    producer = {id(layer.output): layer for layer in model.layers}
    return {
        producer[id(layer.input)].name: layer
        for layer in inner
        if type(layer).__name__ == "BatchNormalization"
        and type(producer.get(id(layer.input))).__name__ in ("Conv2D", "DepthwiseConv2D")
        and uses[id(layer.input)] == 1
        and producer[id(layer.input)].activation.__name__ == "linear"
    }


def keras_to_onnx(model: keras.Model) -> onnx.ModelProto:
    """The ONNX graph (opset 17, float32) computing what ``model`` computes in inference mode.

    Inputs and outputs keep the Keras names, shapes and NHWC layout (unknown sizes become named dims).
    Raises ModelFileError for a layer type or setting it does not translate.
    """
    from onnx import TensorProto, checker, helper

    if model.dtype != "float32":
        raise ModelFileError(f"only float32 models are translated, got {model.dtype}")
    g, folded = Graph(), _foldable_batch_norms(model)
    skipped = {bn.name for bn in folded.values()}

    def value(name: str, tensor) -> onnx.ValueInfoProto:
        dims = [d if d is not None else f"{name}_{i}" for i, d in enumerate(tensor.shape)]
        return helper.make_value_info(name, helper.make_tensor_type_proto(TensorProto.FLOAT, dims))

    graph_inputs = []
    for tensor in model.inputs:
        name = tensor.name
        graph_inputs.append(value(name, tensor))
        nchw = len(tensor.shape) == 4
        g.names[id(tensor)] = g.node("Transpose", [name], f"{name}.nchw", perm=[0, 3, 1, 2]) if nchw else name
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "InputLayer":  # its tensor is named above
            continue
        if layer.name in skipped:  # folded into the conv before it
            g.names[id(layer.output)] = g.names[id(layer.input)]
            continue
        if kind not in TRANSLATE:
            raise ModelFileError(f"layer {layer.name} ({kind}) has no ONNX translation here")
        inputs = [g.names[id(t)] for t in _as_list(layer.input)]
        extra = {"bn": folded[layer.name]} if layer.name in folded else {}
        g.names[id(layer.output)] = TRANSLATE[kind](g, layer, inputs, **extra)
    graph_outputs = []
    for index, tensor in enumerate(model.outputs):
        name = f"output_{index}"
        if len(tensor.shape) == 4:
            g.node("Transpose", [g.names[id(tensor)]], name, perm=[0, 2, 3, 1])
        else:
            g.node("Identity", [g.names[id(tensor)]], name)
        graph_outputs.append(value(name, tensor))
    graph = helper.make_graph(g.nodes, model.name, graph_inputs, graph_outputs, g.constants)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="cnn_core")
    checker.check_model(proto)
    return proto
