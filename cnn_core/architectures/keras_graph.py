"""The Keras graph internals CNN Lab reads, in one place, so that a Keras upgrade breaks this file only.

A functional model is a graph whose edges are KerasTensors and whose nodes are calls: each time a layer
(an *operation*) is called on symbolic tensors, Keras appends a ``Node`` to ``operation._inbound_nodes``
recording the call's arguments and outputs, and stamps every output with
``_keras_history = (operation, node_index, tensor_index)``. A layer called twice (a shared layer) has two
nodes; a model used as a layer is one operation whose node hides its own graph. None of this is public
Keras API (checked against Keras 3.15); ``tests/architectures/test_keras_graph.py`` pins what we use.

``weightless`` builds models whose variables have shapes but no values, for what only reads a model's
structure (summaries, receptive fields, block drawings).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LayerCall:
    """One call of a layer in a functional graph: the layer, the tensors it read and those it returned."""

    operation: Any
    inputs: tuple[Any, ...]
    outputs: tuple[Any, ...]
    node: Any  # Keras's own record of the call (keras.src.ops.node.Node)

    def arguments(self, values: Mapping[int, Any]) -> tuple[tuple, dict[str, Any]]:
        """The call's (args, kwargs) with each input tensor t replaced by ``values[id(t)]``."""
        return self.node.arguments.fill_in(values)


def is_graph_model(operation: Any) -> bool:
    """True for a Sequential model or a functional one (a model with a node graph): both can be expanded.

    >>> import keras
    >>> is_graph_model(keras.Sequential([keras.layers.Dense(2)])), is_graph_model(keras.layers.Dense(2))
    (True, False)
    """
    import keras

    return isinstance(operation, keras.Sequential) or hasattr(operation, "_nodes_by_depth")


def producer(tensor: Any) -> LayerCall:
    """The call that returned ``tensor`` (for a model input: its InputLayer's call)."""
    operation, node_index, _ = tensor._keras_history
    node = operation._inbound_nodes[node_index]
    return LayerCall(operation, tuple(node.input_tensors), tuple(node.outputs), node)


def layer_calls(model: Any) -> list[LayerCall]:
    """The calls of a functional ``model`` (its inputs' calls excluded) in depth-first order from the
    inputs: each branch of a block is listed whole before the next, as a reader follows the builder's code.
    A shared layer appears once per call; a nested model appears as one call.
    """
    order: list[LayerCall] = []
    done: set[int] = set()
    inputs = {id(t) for t in model.inputs}

    def visit(tensor: Any) -> None:
        call = producer(tensor)
        if id(tensor) in inputs or id(call.node) in done:
            return
        done.add(id(call.node))
        for parent in call.inputs:
            visit(parent)
        order.append(call)

    for output in model.outputs:
        visit(output)
    return order


@contextmanager
def weightless() -> Iterator[None]:
    """Build Keras models in this block without memory for their weights.

    Inside a ``keras.StatelessScope`` a new variable keeps its shape and initializer but no value, so a
    model built here has every shape and parameter count and costs no weight memory (VGG-19's 143,667,240
    float32 parameters would take 575 MB). Such a model can be read, cloned layer by layer from its configs
    and cut into sub-models, but never called. Keras also lists these variables, per thread, to initialise
    them at the next symbolic call made outside any scope; on exit the list is put back as it was.

    >>> import keras
    >>> with weightless():
    ...     dense = keras.layers.Dense(10_000)
    ...     dense.build((None, 10_000))
    >>> dense.count_params()
    100010000
    """
    import keras
    from keras.src.backend.common import global_state

    waiting = list(global_state.get_global_attribute("uninitialized_variables") or [])
    try:
        with keras.StatelessScope(initialize_variables=False):
            yield
    finally:
        global_state.set_global_attribute("uninitialized_variables", waiting)
