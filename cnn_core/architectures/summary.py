"""The per-layer table of a Keras model: shapes, parameters, multiply-adds and activation memory.

``summarize`` walks the model's graph symbolically (nothing is computed on real data and the model is not
changed): every call of every layer becomes a row, nested models are expanded with their name as a
prefix ("backbone/conv1"), and a layer called twice gives two rows with its parameters counted once.
Multiply-adds follow ``cnn_core.architectures.layer_costs``; activation memory is the size of a
layer's outputs for one example, H·W·C values x bytes per value (4 for float32).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnn_core.architectures.keras_graph import is_graph_model, layer_calls, producer
from cnn_core.architectures.layer_costs import (
    Shape,
    layer_activation,
    layer_category,
    layer_geometry,
    layer_macs,
)
from cnn_core.errors import ParameterError


@dataclass(frozen=True)
class LayerRow:
    """One call of one layer. Shapes leave out the batch axis; ``inputs`` names the rows feeding it."""

    name: str
    type: str
    category: str
    kernel: str
    stride: str
    padding: str
    activation: str
    output_shapes: tuple[Shape, ...]
    params: int
    trainable_params: int
    macs: int | None
    activation_bytes: int | None
    inputs: tuple[str, ...] = ()

    @property
    def output_shape(self) -> Shape | tuple[Shape, ...]:
        """The output shape, or the tuple of them for a layer with several outputs."""
        return self.output_shapes[0] if len(self.output_shapes) == 1 else self.output_shapes

    @property
    def shape_text(self) -> str:
        """ "224 x 224 x 64"; several outputs are joined with "; "."""
        return "; ".join(" x ".join("?" if v is None else str(v) for v in s) for s in self.output_shapes)


@dataclass(frozen=True)
class ModelSummary:
    """All rows of a model and its totals (taken from the model itself, so shared weights count once)."""

    name: str
    rows: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int
    input_shapes: tuple[Shape, ...] = field(default=())

    @property
    def non_trainable_params(self) -> int:
        return self.total_params - self.trainable_params

    @property
    def macs(self) -> int:
        """Multiply-adds of one forward pass of one example (layers of unknown cost count 0)."""
        return sum(row.macs or 0 for row in self.rows)

    @property
    def macs_complete(self) -> bool:
        """False when some layer's multiply-adds are unknown (a custom layer or an unknown input size)."""
        return all(row.macs is not None for row in self.rows)

    @property
    def activation_bytes(self) -> int:
        """Memory of all layer outputs of one example, in bytes."""
        return sum(row.activation_bytes or 0 for row in self.rows)

    @property
    def depth(self) -> int:
        """Convolution and fully connected layers, the layers a network's depth counts (VGG-16's 16)."""
        return sum(row.category in ("conv", "fc") for row in self.rows)

    def params_by_category(self) -> dict[str, int]:
        """Parameters of conv, fc, norm and other layers."""
        totals = dict.fromkeys(("conv", "fc", "norm", "other"), 0)
        for row in self.rows:
            totals[row.category] += row.params
        return totals

    def records(self) -> list[dict[str, Any]]:
        """One plain dict per row, for a table or a CSV file."""
        return [
            {
                "name": row.name,
                "type": row.type,
                "kernel": row.kernel,
                "stride": row.stride,
                "padding": row.padding,
                "activation": row.activation,
                "output_shape": row.shape_text,
                "params": row.params,
                "trainable_params": row.trainable_params,
                "macs": row.macs,
                "activation_bytes": row.activation_bytes,
            }
            for row in self.rows
        ]

    def to_json(self) -> dict[str, Any]:
        """The ``python -m cnn_core summary MODEL --json`` object."""
        return {
            "model": self.name,
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "macs": self.macs,
            "layers": [
                {
                    "name": row.name,
                    "type": row.type,
                    "output_shape": _jsonable(row.output_shape),
                    "params": row.params,
                    "macs": row.macs,
                }
                for row in self.rows
            ],
        }


def _jsonable(shape: Any) -> Any:
    return [_jsonable(v) for v in shape] if isinstance(shape, tuple) else shape


def _weight_count(weights: list) -> int:
    return sum(math.prod(w.shape) for w in weights)


def _bytes(spec: Any) -> int | None:
    values = spec.shape[1:]
    if any(v is None for v in values):
        return None
    return math.prod(values) * np.dtype(spec.dtype).itemsize


class _Tracer:
    """Runs a model's graph on KerasTensors (shapes only), recording one LayerRow per layer call."""

    def __init__(self) -> None:
        import keras

        self.keras = keras
        self.rows: list[LayerRow] = []
        self.calls: dict[int, int] = {}  # id(layer) -> calls seen so far

    def run_model(self, model: Any, inputs: list, input_names: list[str], prefix: str) -> tuple[list, list]:
        """Outputs (KerasTensors) of ``model`` on ``inputs``, and the row names that produce them."""
        if isinstance(model, self.keras.Sequential):
            (x,), (name,) = inputs, input_names
            for layer in model.layers:
                (x,), (name,) = self.run_operation(layer, (x,), {}, [name], prefix)
            return [x], [name]
        values = {id(ref): x for ref, x in zip(model.inputs, inputs, strict=True)}
        names = {id(ref): name for ref, name in zip(model.inputs, input_names, strict=True)}
        for call in layer_calls(model):
            args, kwargs = call.arguments(values)
            sources = [names[id(t)] for t in call.inputs]
            outputs, output_names = self.run_operation(call.operation, args, kwargs, sources, prefix)
            for ref, x, name in zip(call.outputs, outputs, output_names, strict=True):
                values[id(ref)], names[id(ref)] = x, name
        return [values[id(t)] for t in model.outputs], [names[id(t)] for t in model.outputs]

    def run_operation(self, op: Any, args: tuple, kwargs: dict, sources: list[str], prefix: str):
        """Trace one call: expand a nested functional or sequential model, else add one row."""
        if is_graph_model(op):
            inputs = [x for x in self.keras.tree.flatten(args) if isinstance(x, self.keras.KerasTensor)]
            return self.run_model(op, inputs, sources, f"{prefix}{op.name}/")
        outputs = self.keras.tree.flatten(op.compute_output_spec(*args, **kwargs))
        input_shapes = [
            tuple(x.shape) for x in self.keras.tree.flatten((args, kwargs)) if hasattr(x, "shape")
        ]
        output_shapes = [tuple(x.shape) for x in outputs]
        calls = self.calls.get(id(op), 0)
        self.calls[id(op)] = calls + 1
        weights = getattr(op, "weights", [])
        first = calls == 0
        sizes = [size for size in (_bytes(x) for x in outputs) if size is not None]
        kernel, stride, padding = layer_geometry(op)
        name = f"{prefix}{op.name}" + (f" (call {calls + 1})" if calls else "")
        self.rows.append(
            LayerRow(
                name=name,
                type=type(op).__name__,
                category=layer_category(op),
                kernel=kernel,
                stride=stride,
                padding=padding,
                activation=layer_activation(op),
                output_shapes=tuple(s[1:] for s in output_shapes),
                params=_weight_count(weights) if first else 0,
                trainable_params=_weight_count(getattr(op, "trainable_weights", [])) if first else 0,
                macs=layer_macs(op, input_shapes, output_shapes),
                activation_bytes=sum(sizes) if len(sizes) == len(outputs) else None,
                inputs=tuple(sources),
            )
        )
        return outputs, [name] * len(outputs)


def summarize(model: Any, input_shape: tuple[int, ...] | None = None) -> ModelSummary:
    """The per-layer table of a built Keras model with one input or several.

    ``input_shape`` (without the batch axis) fixes the size of a single-input model whose input has
    unknown sizes (e.g. (None, None, 3)), so that shapes and multiply-adds can be counted.

    >>> import keras
    >>> inputs = keras.Input((32, 32, 3))
    >>> model = keras.Model(inputs, keras.layers.Conv2D(6, 5, name="conv1")(inputs))
    >>> row = summarize(model).rows[1]
    >>> row.name, row.output_shape, row.params, row.macs  # 28·28·6 outputs, 5·5·3 each
    ('conv1', (28, 28, 6), 456, 352800)
    """
    import keras

    inputs = [keras.KerasTensor(t.shape, dtype=t.dtype) for t in model.inputs]
    if input_shape is not None:
        if len(inputs) != 1 or len(input_shape) != len(inputs[0].shape) - 1:
            raise ParameterError(
                f"input_shape must give the {len(inputs[0].shape) - 1} non-batch sizes of a single-input "
                f"model, got {input_shape}"
            )
        inputs = [keras.KerasTensor((None, *input_shape), dtype=inputs[0].dtype)]
    tracer = _Tracer()
    names = []
    for ref, x in zip(model.inputs, inputs, strict=True):
        name = producer(ref).operation.name
        names.append(name)
        tracer.rows.append(
            LayerRow(name, "InputLayer", "other", "", "", "", "", (tuple(x.shape[1:]),), 0, 0, 0, _bytes(x))
        )
    tracer.run_model(model, inputs, names, prefix="")
    return ModelSummary(
        name=model.name,
        rows=tuple(tracer.rows),
        total_params=model.count_params(),
        trainable_params=_weight_count(model.trainable_weights),
        input_shapes=tuple(tuple(x.shape[1:]) for x in inputs),
    )
