"""The per-layer table: hand-computed cases, a loop-count of multiplications, and unusual graphs."""

from __future__ import annotations

import itertools
import re

import keras
import pytest
from keras import layers

from cnn_core.architectures.summary import summarize
from cnn_core.errors import ParameterError


def _rows(model, **kwargs) -> dict:
    return {row.name: row for row in summarize(model, **kwargs).rows}


def _counted_conv_multiplies(h: int, w: int, c_in: int, f: int, s: int, filters: int, padding: str) -> int:
    """Walk every output value of a conv and count the multiplications its dot product performs."""
    out_h = (h - f) // s + 1 if padding == "valid" else -(-h // s)
    out_w = (w - f) // s + 1 if padding == "valid" else -(-w // s)
    count = 0
    for _i, _j, _k in itertools.product(range(out_h), range(out_w), range(filters)):
        for _di, _dj, _c in itertools.product(range(f), range(f), range(c_in)):
            count += 1  # one weight times one (possibly padded) input value
    return count


@pytest.mark.parametrize(
    ("f", "s", "padding"), [(3, 1, "valid"), (3, 2, "same"), (1, 1, "valid"), (5, 3, "same")]
)
def test_conv_macs_equal_a_loop_count(f, s, padding):
    inputs = keras.Input((9, 7, 2))
    model = keras.Model(inputs, layers.Conv2D(3, f, strides=s, padding=padding, name="conv")(inputs))
    assert _rows(model)["conv"].macs == _counted_conv_multiplies(9, 7, 2, f, s, 3, padding)


def test_course_examples_by_hand():
    inputs = keras.Input((28, 28, 192))
    direct = layers.Conv2D(32, 5, padding="same", name="direct")(inputs)
    reduce = layers.Conv2D(16, 1, name="reduce")(inputs)
    expand = layers.Conv2D(32, 5, padding="same", name="expand")(reduce)
    rows = _rows(keras.Model(inputs, [direct, expand]))
    assert rows["direct"].macs == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400
    assert rows["reduce"].macs + rows["expand"].macs == 12_443_648
    assert rows["direct"].activation_bytes == 28 * 28 * 32 * 4
    assert (rows["direct"].kernel, rows["direct"].stride, rows["direct"].padding) == ("5x5", "1", "same")


def test_depthwise_separable_transposed_and_dense():
    inputs = keras.Input((8, 8, 4))
    x = layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", name="dw")(inputs)
    x = layers.SeparableConv2D(5, 3, strides=2, name="sep")(x)
    x = layers.Conv2DTranspose(6, 2, strides=2, name="up")(x)
    x = layers.Dense(7, name="dense")(x)  # applied at each of the 6x6 positions
    rows = _rows(keras.Model(inputs, x))
    assert rows["dw"].macs == 8 * 8 * 3 * 3 * 4 * 2 and rows["dw"].params == 3 * 3 * 4 * 2 + 8
    assert rows["sep"].output_shape == (3, 3, 5)
    assert rows["sep"].macs == 3 * 3 * (3 * 3 * 8) + 3 * 3 * (8 * 5)
    assert rows["up"].output_shape == (6, 6, 6) and rows["up"].macs == 3 * 3 * (2 * 2 * 5 * 6)
    assert rows["dense"].macs == 6 * 6 * 6 * 7


def test_batchnorm_moving_statistics_are_non_trainable():
    inputs = keras.Input((4, 4, 3))
    model = keras.Model(inputs, layers.BatchNormalization(name="bn")(inputs))
    summary = summarize(model)
    assert (summary.total_params, summary.trainable_params, summary.non_trainable_params) == (12, 6, 6)
    assert summary.rows[1].macs == 4 * 4 * 3 and summary.rows[1].category == "norm"
    assert summary.params_by_category()["norm"] == 12


def test_add_concatenate_pooling_and_padding_rows():
    inputs = keras.Input((6, 6, 2))
    a = layers.ZeroPadding2D(((1, 2), (1, 2)), name="pad")(inputs)
    a = layers.MaxPooling2D(4, strides=1, name="pool")(a)
    b = layers.AveragePooling2D(2, strides=1, padding="same", name="avg")(inputs)
    x = layers.Add(name="add")([a, b])
    x = layers.Concatenate(name="concat")([x, inputs])
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    summary = summarize(keras.Model(inputs, x))
    rows = {row.name: row for row in summary.rows}
    assert rows["pad"].padding == "1,2,1,2" and rows["pad"].output_shape == (9, 9, 2)
    assert (rows["pool"].kernel, rows["pool"].stride, rows["pool"].output_shape) == ("4x4", "1", (6, 6, 2))
    assert rows["add"].inputs == ("pool", "avg")
    assert rows["concat"].output_shape == (6, 6, 4)
    assert rows["gap"].kernel == "global" and rows["gap"].output_shape == (4,)
    assert summary.macs == 0 and summary.total_params == 0


def test_nested_models_are_expanded_and_shared_layers_counted_once():
    inner_in = keras.Input((8, 8, 3))
    inner = keras.Model(inner_in, layers.Conv2D(4, 3, name="conv")(inner_in), name="backbone")
    head = keras.Sequential([layers.Flatten(name="flat"), layers.Dense(2, name="fc")], name="head")
    shared = layers.Dense(5, name="shared")
    a, b = keras.Input((8, 8, 3), name="a"), keras.Input((8, 8, 3), name="b")
    out = layers.Concatenate(name="join")([head(inner(a)), head(inner(b))])
    out = shared(shared(layers.Dense(5, name="to5")(out)))
    model = keras.Model([a, b], out)
    summary = summarize(model)
    names = [row.name for row in summary.rows]
    assert names[:2] == ["a", "b"]
    assert "backbone/conv" in names and "backbone/conv (call 2)" in names
    assert "head/fc (call 2)" in names and "shared (call 2)" in names
    rows = {row.name: row for row in summary.rows}
    assert rows["backbone/conv"].params == 3 * 3 * 3 * 4 + 4 and rows["backbone/conv (call 2)"].params == 0
    assert rows["backbone/conv (call 2)"].macs == rows["backbone/conv"].macs == 6 * 6 * 4 * 27
    assert rows["head/flat"].inputs == ("backbone/conv",)
    assert rows["join"].inputs == ("head/fc", "head/fc (call 2)")
    assert sum(row.params for row in summary.rows) == summary.total_params == model.count_params()


def test_unknown_input_size_can_be_fixed():
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, layers.Conv2D(8, 3, name="conv")(inputs))
    unknown = _rows(model)["conv"]
    assert unknown.macs is None and unknown.activation_bytes is None and unknown.shape_text == "? x ? x 8"
    assert not summarize(model).macs_complete
    fixed = _rows(model, input_shape=(10, 12, 3))["conv"]
    assert fixed.output_shape == (8, 10, 8) and fixed.macs == 8 * 10 * 8 * 27
    with pytest.raises(ParameterError, match=re.escape("input_shape must give the 3 non-batch sizes")):
        summarize(model, input_shape=(10, 12))


def test_operations_and_custom_layers_without_a_known_cost():
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.alpha = self.add_weight(shape=(), initializer="ones")

        def call(self, x):
            return x * self.alpha

    inputs = keras.Input((4,))
    x = Scale(name="scale")(inputs)
    x = keras.ops.add(x, inputs)  # a keras.ops operation in the graph, not a layer
    summary = summarize(keras.Model(inputs, x))
    rows = {row.type: row for row in summary.rows}
    assert rows["Scale"].macs is None and rows["Scale"].params == 1
    assert rows["Add"].macs == 0 and rows["Add"].output_shape == (4,)
    assert not summary.macs_complete


def test_json_and_records():
    inputs = keras.Input((4, 4, 1), name="image")
    model = keras.Model(
        inputs, layers.Dense(2, activation="softmax", name="fc")(layers.Flatten(name="f")(inputs))
    )
    payload = summarize(model).to_json()
    assert payload["layers"][-1] == {
        "name": "fc",
        "type": "Dense",
        "output_shape": [2],
        "params": 34,
        "macs": 32,
    }
    record = summarize(model).records()[-1]
    assert record["activation"] == "softmax" and record["output_shape"] == "2"
