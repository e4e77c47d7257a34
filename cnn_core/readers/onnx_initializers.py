"""The weights stored in an ONNX file, as float32 numpy arrays keyed by initializer name.

An ONNX graph keeps its parameters as *initializers*. In a quantized (QDQ) graph a weight is an int8 or
int32 initializer ``q`` followed by a ``DequantizeLinear`` node with a ``scale`` and ``zero_point``
(per tensor, or per slice along ``axis``); its real value is ``(q − zero_point) × scale`` (ONNX operator
spec, DequantizeLinear). We apply that at load time, so a model rebuilt from these arrays runs in float.
Only ``onnx.numpy_helper`` is used to decode tensors; nothing in the file is executed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnn_core.errors import ModelFileError


def dequantize(q: np.ndarray, scale: np.ndarray, zero_point: np.ndarray | None, axis: int = 1) -> np.ndarray:
    """``(q − zero_point) × scale`` as float32; 1-D ``scale``/``zero_point`` apply along ``axis`` of ``q``.

    ``q``: any shape, integer; ``scale``: scalar or (q.shape[axis],); ``zero_point``: like ``scale`` or None.

    >>> dequantize(np.array([[-128, 0], [127, 10]], np.int8), np.array([0.5, 2.0]), np.array([0, 1]), axis=0)
    array([[-64.,   0.],
           [252.,  18.]], dtype=float32)
    """
    scale = np.asarray(scale, dtype=np.float64)
    zero = np.zeros_like(scale) if zero_point is None else np.asarray(zero_point, dtype=np.float64)
    if scale.ndim == 1 and scale.size > 1:
        shape = [1] * q.ndim
        shape[axis] = scale.size  # broadcast along the quantization axis: (1, …, C, …, 1)
        scale, zero = scale.reshape(shape), zero.reshape(shape)
    return ((q.astype(np.float64) - zero) * scale).astype(np.float32)


def read_initializers(path: str | Path) -> dict[str, np.ndarray]:
    """All parameters of the ONNX file at ``path``: float initializers as stored, quantized ones dequantized.

    Keys are initializer names (a quantized weight keeps the name of its int8/int32 tensor); the scale and
    zero-point tensors that only serve ``DequantizeLinear`` are left out. Raises ModelFileError when the
    file is not a readable ONNX model.
    """
    import onnx
    from google.protobuf.message import DecodeError
    from onnx import numpy_helper

    try:
        model = onnx.load(str(path))
    except (OSError, ValueError, DecodeError) as err:
        raise ModelFileError(f"cannot read the ONNX model {path}: {err}") from err
    raw = {tensor.name: numpy_helper.to_array(tensor) for tensor in model.graph.initializer}
    values: dict[str, np.ndarray] = {}
    helpers: set[str] = set()  # scales and zero points of every (de)quantize node
    for node in model.graph.node:
        if node.op_type not in {"QuantizeLinear", "DequantizeLinear"}:
            continue
        helpers.update(name for name in node.input[1:] if name)
        if node.op_type == "DequantizeLinear" and node.input[0] in raw:
            axis = next((attr.i for attr in node.attribute if attr.name == "axis"), 1)
            zero = raw[node.input[2]] if len(node.input) > 2 and node.input[2] else None
            values[node.input[0]] = dequantize(raw[node.input[0]], raw[node.input[1]], zero, axis)
    for name, array in raw.items():
        if name not in values and name not in helpers and array.dtype.kind == "f":
            values[name] = array.astype(np.float32)
    return values
