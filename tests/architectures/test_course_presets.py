"""The notes' example stacks: every row of their tables by hand, and the Keras model built from each."""

from __future__ import annotations

import pytest

from cnn_core.architectures.keras_graph import weightless
from cnn_core.zoo.course_stacks import PRESETS, preset_table
from cnn_core.zoo.custom import build_custom

# (activation shape, activation size, # parameters) per row, input first, worked out by hand:
# conv (f·f·C_in + 1)·C_out, fc N·M + M, size H·W·C
BY_HAND = {
    "CNN Example (drawing)": [
        ((32, 32, 3), 3072, 0),
        ((28, 28, 6), 4704, (5 * 5 * 3 + 1) * 6),  # 456
        ((14, 14, 6), 1176, 0),
        ((10, 10, 16), 1600, (5 * 5 * 6 + 1) * 16),  # 2,416
        ((5, 5, 16), 400, 0),
        ((120,), 120, 400 * 120 + 120),  # the notes' 48,120
        ((84,), 84, 120 * 84 + 84),
        ((10,), 10, 84 * 10 + 10),
    ],
    "CNN Example (table)": [
        ((32, 32, 3), 3072, 0),
        ((28, 28, 8), 6272, (5 * 5 * 3 + 1) * 8),  # 608; the table prints 208
        ((14, 14, 8), 1568, 0),
        ((10, 10, 16), 1600, (5 * 5 * 8 + 1) * 16),  # 3,216; the table prints 416
        ((5, 5, 16), 400, 0),
        ((120,), 120, 400 * 120 + 120),  # 48,120; the table prints 48,001
        ((84,), 84, 120 * 84 + 84),  # 10,164; the table prints 10,081
        ((10,), 10, 84 * 10 + 10),  # 850; the table prints 841
    ],
    "Simple ConvNet (39x39x3)": [
        ((39, 39, 3), 4563, 0),
        ((37, 37, 10), 13690, (3 * 3 * 3 + 1) * 10),  # (39 - 3) / 1 + 1 = 37
        ((17, 17, 20), 5780, (5 * 5 * 10 + 1) * 20),  # (37 - 5) // 2 + 1 = 17
        ((7, 7, 40), 1960, (5 * 5 * 20 + 1) * 40),  # (17 - 5) // 2 + 1 = 7; 7·7·40 = 1,960
        ((1,), 1, 1960 + 1),  # one logistic unit on the 1,960 values
    ],
}
TOTALS = {"CNN Example (drawing)": 62_006, "CNN Example (table)": 62_958, "Simple ConvNet (39x39x3)": 27_301}


def test_the_presets_are_the_notes_stacks():
    assert list(PRESETS) == list(BY_HAND)
    assert next(iter(PRESETS)) == "CNN Example (drawing)"  # the builder's default: old links keep their view


@pytest.mark.parametrize("title", list(BY_HAND))
def test_every_row_by_hand(title):
    rows = preset_table(title)
    assert [(row.shape, row.size, row.params) for row in rows] == BY_HAND[title]
    assert sum(row.params for row in rows) == TOTALS[title]


@pytest.mark.parametrize("title", list(BY_HAND))
def test_the_keras_model_of_each_preset(title):
    preset = PRESETS[title]
    with weightless():
        model = build_custom(preset.input_shape, list(preset.specs))
    assert model.count_params() == TOTALS[title]
    layers = [model.get_layer(f"{spec.kind}{i}") for i, spec in enumerate(preset.specs, start=1)]
    assert [(tuple(layer.output.shape[1:]), layer.count_params()) for layer in layers] == [
        (shape, params) for shape, _, params in BY_HAND[title][1:]
    ]
    last = layers[-1].activation.__name__
    assert last == ("sigmoid" if preset.specs[-1].size == 1 else "softmax")
    assert {layer.activation.__name__ for layer in layers[:-1] if hasattr(layer, "activation")} <= {"relu"}


def test_the_cnn_example_tables_wrong_numbers_are_named():
    errors = {row.label: row.notes_errors for row in preset_table("CNN Example (table)") if row.notes_errors}
    assert errors == {
        "CONV1 (f=5, s=1)": ["# parameters 208 → 608"],
        "CONV2 (f=5, s=1)": ["# parameters 416 → 3,216"],
        "FC3": ["# parameters 48,001 → 48,120"],
        "FC4": ["# parameters 10,081 → 10,164"],
        "Softmax": ["# parameters 841 → 850"],
    }
    # what the table's numbers are: conv weights without the input channels, one bias per FC layer
    assert (5 * 5 + 1) * 8 == 208 and (5 * 5 + 1) * 16 == 416
    assert (400 * 120 + 1, 120 * 84 + 1, 84 * 10 + 1) == (48_001, 10_081, 841)
    for title in ("CNN Example (drawing)", "Simple ConvNet (39x39x3)"):
        assert not any(row.notes_errors for row in preset_table(title))


def test_formulas_are_shown_per_row():
    rows = preset_table("CNN Example (drawing)")
    assert [row.formula for row in rows] == [
        "",
        "(5·5·3 + 1)·6",
        "",
        "(5·5·6 + 1)·16",
        "",
        "400·120 + 120",
        "120·84 + 84",
        "84·10 + 10",
    ]
