"""Receptive fields: hand-computed stacks, published figures, and the gradient check on every zoo model."""

from __future__ import annotations

import keras
import pytest

from cnn_core.activations.receptive_field import (
    AxisRF,
    clip_window,
    conv_axis,
    last_feature_map,
    receptive_fields,
)
from cnn_core.activations.receptive_field_check import gradient_windows
from cnn_core.conv.arithmetic import resolve_padding
from cnn_core.errors import ParameterError, ShapeError
from cnn_core.zoo import ZOO

L = keras.layers


def _table(model) -> dict:
    return {layer.name: layer for layer in receptive_fields(model)}


def test_hand_computed_stack_with_same_padding_dilation_and_pooling():
    """By hand, input 16: conv3 'same' → r 3, j 1, start 0 (pad 1 on top);
    conv3/2 'same' on 16 → p_total = 7·2 + 3 − 16 = 1 → top pad 0, start 0 + (1 − 0)·1 = 1, r 5, j 2;
    conv3 dilation 2 'valid' → k' = 5, r 5 + 4·2 = 13, j 2, start 1 + 2·2 = 5, n = 8 − 4 = 4;
    maxpool 2/2 'valid' → r 13 + 1·2 = 15, j 4, start 5 + 0.5·2 = 6, n 2."""
    model = keras.Sequential([
        keras.Input((16, 16, 3)), L.Conv2D(4, 3, padding="same", name="a"),
        L.Conv2D(4, 3, strides=2, padding="same", name="b"), L.Conv2D(4, 3, dilation_rate=2, name="c"),
        L.MaxPooling2D(2, name="d"),
    ])  # fmt: skip
    table = _table(model)
    assert table["a"].rows == AxisRF(16, 3, 1, 0.0)
    assert table["b"].rows == AxisRF(8, 5, 2, 1.0)
    assert table["c"].rows == AxisRF(4, 13, 2, 5.0)
    assert table["d"].rows == AxisRF(2, 15, 4, 6.0)
    assert table["d"].window(1, 0) == (6 + 4 - 7, 6 - 7, 6 + 4 + 7, 6 + 7)


def test_padding_cropping_and_non_square_kernels():
    model = keras.Sequential([
        keras.Input((20, 30, 1)), L.ZeroPadding2D(((1, 2), (3, 0)), name="pad"),
        L.Conv2D(1, (1, 7), name="wide"), L.Cropping2D(((2, 0), (0, 1)), name="crop"),
    ])  # fmt: skip
    table = _table(model)
    assert table["pad"].rows == AxisRF(23, 1, 1, -1.0) and table["pad"].cols == AxisRF(33, 1, 1, -3.0)
    assert table["wide"].rows == AxisRF(23, 1, 1, -1.0) and table["wide"].cols == AxisRF(27, 7, 1, 0.0)
    assert table["crop"].rows == AxisRF(21, 1, 1, 1.0) and table["crop"].cols == AxisRF(26, 7, 1, 0.0)


def test_branches_take_the_union_and_global_pooling_sees_everything():
    inputs = keras.Input((9, 9, 3))
    branches = [L.Conv2D(2, k, padding="same", name=f"k{k}")(inputs) for k in (1, 3, 5)]
    merged = L.Concatenate(name="concat")(branches)
    pooled = L.GlobalAveragePooling2D(name="gap")(merged)
    table = _table(keras.Model(inputs, L.Dense(2, name="fc")(pooled)))
    assert table["concat"].rows == AxisRF(9, 5, 1, 0.0)
    assert table["gap"].rows == AxisRF(1, 13, 9, 4.0) and not table["gap"].spatial
    assert table["fc"].rows == table["gap"].rows
    assert last_feature_map(list(table.values())).name == "concat"


def test_lenet5_course_table():
    """conv5 → r 5; pool2 → 5 + 1 = 6, j 2; conv5 → 6 + 4·2 = 14; pool2 → 14 + 1·2 = 16, j 4."""
    from cnn_core.zoo.lenet5 import build_lenet5

    table = _table(build_lenet5())
    assert [(table[n].rows.r, table[n].rows.j) for n in ("conv1", "pool1", "conv2", "pool2")] == [
        (5, 1), (6, 2), (14, 2), (16, 4),
    ]  # fmt: skip


@pytest.mark.parametrize(("model", "layer", "r", "j"), [
    ("vgg16", "block5_conv3", 196, 16),  # the often-quoted VGG-16 figures (Araujo et al. 2019: 212 at pool5)
    ("vgg16", "block5_pool", 212, 32),
    # torchvision AlexNet by hand: 11; +2·4 = 19; +4·8 = 51; +2·8 = 67; +2·16 = 99, 131, 163; +2·16 = 195
    ("alexnet", "pool5", 195, 32),
])  # fmt: skip
def test_published_and_hand_computed_figures(zoo_built, model, layer, r, j):
    axis = _table(zoo_built(model))[layer].rows
    assert (axis.r, axis.j) == (r, j)


def test_nearest_upsampling_is_a_covering_window():
    model = keras.Sequential(
        [keras.Input((8, 8, 1)), L.Conv2D(1, 3, 2, "same"), L.UpSampling2D(2, name="up")]
    )
    up = _table(model)["up"]
    for unit in range(8):  # unit i copies unit i // 2 of the stride-2 conv (r 3, j 2, start 1)
        source = _table(model)[model.layers[0].name].rows.window(unit // 2)
        low, high = up.rows.window(unit)
        assert low <= source[0] and source[1] <= high


def test_bad_inputs():
    with pytest.raises(ParameterError, match="padding must be 'same' or 'valid', got 'full'"):
        conv_axis(AxisRF(8, 1, 1, 0.0), 3, 1, "full")
    with pytest.raises(ShapeError, match="a 5-wide window does not fit an input of 3"):
        conv_axis(AxisRF(3, 1, 1, 0.0), 5, 1, "valid")
    open_model = keras.Sequential([keras.Input((None, None, 3)), L.Conv2D(1, 3)])
    with pytest.raises(ParameterError, match=r"input_size must be \(rows, cols\).*got \(None, None\)"):
        receptive_fields(open_model)
    assert receptive_fields(open_model, (10, 12))[-1].cols.n == 10
    assert resolve_padding(5, 4, 1, "same")[0] == 1  # TF puts the odd padding row after


def _fits(window, rows, cols) -> bool:
    top, left, bottom, right = window
    return top >= 0 and left >= 0 and bottom < rows and right < cols


@pytest.mark.parametrize("name", list(ZOO))
def test_gradients_are_non_zero_exactly_inside_the_analytic_field(zoo_built, name):
    """For the deepest layer (before any upsampling) whose centre unit's field lies inside the input:
    equal windows. For the last
    feature map's corner unit: the analytic window, clipped, contains every pixel with a gradient
    (equal unless valid convolutions drop border pixels or an upsampling widens the window)."""
    model = zoo_built(name)
    size = tuple(model.inputs[0].shape[1:3])
    table = [layer for layer in receptive_fields(model, size) if layer.spatial][1:]
    kinds = [layer.kind for layer in table]
    exact_part = table[: kinds.index("UpSampling2D")] if "UpSampling2D" in kinds else table
    inside = [
        layer for layer in exact_part if _fits(layer.window(layer.rows.n // 2, layer.cols.n // 2), *size)
    ]
    deepest, last = inside[-1], table[-1]
    units = [(deepest.name, deepest.rows.n // 2, deepest.cols.n // 2), (last.name, 0, 0)]
    exact, corner = gradient_windows(model, units, size)
    assert exact == deepest.window(*units[0][1:])
    analytic = clip_window(last.window(0, 0), *size)
    assert analytic[:2] <= corner[:2] and corner[2:] <= analytic[2:]
    assert deepest.rows.r > 1
