"""The Keras graph internals on a graph drawn by hand: a shared layer called twice and a nested model."""

from __future__ import annotations

import keras
from keras import layers

from cnn_core.architectures.keras_graph import is_graph_model, layer_calls, producer, weightless


def _graph() -> dict:
    """x → shared → a → shared → b → inner(b) → c;  concat(a, c) → out.

    Depth-first from the inputs, the calls are: shared (on x), shared (on a), inner (on b), cat (on a, c).
    """
    inner_input = keras.Input((4,), name="inner_in")
    inner = keras.Model(inner_input, layers.Dense(3, name="inner_dense")(inner_input), name="inner")
    x = keras.Input((4,), name="x")
    shared = layers.Dense(4, name="shared")
    a = shared(x)
    b = shared(a)
    c = inner(b)
    out = layers.Concatenate(name="cat")([a, c])
    return {"model": keras.Model(x, out), "x": x, "a": a, "b": b, "c": c, "out": out, "inner": inner}


def test_calls_in_depth_first_order_with_the_tensors_they_read_and_wrote():
    g = _graph()
    calls = layer_calls(g["model"])
    assert [call.operation.name for call in calls] == ["shared", "shared", "inner", "cat"]
    assert calls[0].operation is calls[1].operation  # one layer, two calls
    expected_io = [("x", "a"), ("a", "b"), ("b", "c"), ("a c", "out")]  # tensors read → tensors returned
    for call, (read, returned) in zip(calls, expected_io, strict=True):
        assert [id(t) for t in call.inputs] == [id(g[name]) for name in read.split()]
        assert [id(t) for t in call.outputs] == [id(g[name]) for name in returned.split()]
    assert calls[2].operation is g["inner"]  # the nested model is one call, not its own layers


def test_arguments_replace_each_input_tensor_by_its_value():
    g = _graph()
    shared_on_x, _, _, cat = layer_calls(g["model"])
    assert cat.arguments({id(g["a"]): "A", id(g["c"]): "C"}) == ((["A", "C"],), {})
    assert shared_on_x.arguments({id(g["x"]): 7}) == ((7,), {})


def test_producer_and_graph_models():
    g = _graph()
    assert producer(g["x"]).operation.name == "x"  # a model input comes from its InputLayer
    assert producer(g["b"]).operation.name == "shared" and producer(g["b"]).inputs[0] is g["a"]
    assert is_graph_model(g["model"]) and is_graph_model(g["inner"])
    assert is_graph_model(keras.Sequential([layers.Dense(1)]))
    assert not is_graph_model(layers.Dense(1))


def _rss_mb() -> float:
    """This process's resident memory (VmRSS, Linux)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def test_weightless_models_have_their_shapes_but_no_weight_memory():
    class Twice(layers.Layer):  # no compute_output_shape: Keras traces it in a scope of its own
        def call(self, x):
            return x * 2

    before = _rss_mb()
    with weightless():
        dense = layers.Dense(10_000)
        dense.build((None, 10_000))  # 100,010,000 float32 parameters: 400 MB if they were allocated
    Twice()(keras.Input((8,)))  # the symbolic call that would initialise variables left waiting
    assert dense.count_params() == 10_000 * 10_000 + 10_000
    assert _rss_mb() - before < 100
