"""The course notes' small example networks as builder presets, and their activation tables.

Three stacks, each with what the notes print for it (``NotesRow``; None where they print nothing):

* "Simple Convolutional Network Example": 39x39x3 → conv 3x3 s1, 10 filters → 37x37x10 → conv 5x5 s2,
  20 filters → 17x17x20 → conv 5x5 s2, 40 filters → 7x7x40 = 1,960 values → a logistic unit.
* "CNN Example" as drawn (6 filters in CONV1, the zoo's ``lenet5``): FC3 400·120 + 120 = 48,120.
* "CNN Example" as its table prints it: 8 filters in CONV1 and the parameter counts 208, 416, 48,001,
  10,081 and 841. Only the activation shapes and sizes are right. A conv layer has (f·f·C_in + 1)·C_out
  parameters: the table leaves out the input channels (208 = (5·5 + 1)·8, 416 = (5·5 + 1)·16), and an FC
  layer has N·M weights plus M biases, not one (48,001 = 400·120 + 1). The right values are 608, 3,216,
  48,120, 10,164 and 850 (62,958 in all).

``activation_table`` computes every row (shape, size = H·W·C, parameters) and sets the notes' numbers
beside them, so a page can show where the notes are wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnn_core.zoo.custom import LayerSpec, layer_params, layer_shapes

Shape = tuple[int, ...]


@dataclass(frozen=True)
class NotesRow:
    """One row as the notes print it: its label and, where printed, shape, size and parameters."""

    label: str
    shape: Shape | None = None
    size: int | None = None
    params: int | None = None


@dataclass(frozen=True)
class CoursePreset:
    """A notes example: ``notes`` has one row for the input, then one per layer of ``specs``."""

    title: str
    section: str
    input_shape: tuple[int, int, int]
    specs: tuple[LayerSpec, ...]
    notes: tuple[NotesRow, ...]


@dataclass(frozen=True)
class ActivationRow:
    """A computed row (shape without the batch axis, size = its product, parameters, their formula) and
    what the notes print for it."""

    label: str
    shape: Shape
    size: int
    params: int
    formula: str
    notes: NotesRow

    @property
    def notes_errors(self) -> list[str]:
        """The notes' values that differ from the computed ones, e.g. ["# parameters 208 → 608"]."""
        fields = (
            ("shape", self.notes.shape, self.shape),
            ("size", self.notes.size, self.size),
            ("# parameters", self.notes.params, self.params),
        )
        return [
            f"{name} {_text(printed)} → {_text(right)}"
            for name, printed, right in fields
            if printed is not None and printed != right
        ]


def _text(value: Shape | int) -> str:
    return "x".join(map(str, value)) if isinstance(value, tuple) else f"{value:,}"


def _formula(spec: LayerSpec, previous: Shape) -> str:
    """ "(5·5·3 + 1)·8" for a conv, "400·120 + 120" for an fc layer, "" for a pool."""
    if spec.kind == "conv":
        return f"({spec.f}·{spec.f}·{previous[-1]} + 1)·{spec.size}"
    if spec.kind == "fc":
        return f"{math.prod(previous)}·{spec.size} + {spec.size}"
    return ""


def activation_table(
    input_shape: tuple[int, int, int], specs: list[LayerSpec], notes: tuple[NotesRow, ...] = ()
) -> list[ActivationRow]:
    """The course's table: for the input and each layer, activation shape, size and parameters.

    ``notes`` (input row first) are set beside the computed rows; without them each layer is labelled by
    ``LayerSpec.describe``.

    >>> rows = activation_table((32, 32, 3), [LayerSpec("conv", 6, 5), LayerSpec("fc", 10)])
    >>> for row in rows[1:]:
    ...     print(row.label, row.shape, row.size, row.params, row.formula)
    conv 5x5, s=1, p=0, 6 filters (28, 28, 6) 4704 456 (5·5·3 + 1)·6
    fc 10 (10,) 10 47050 4704·10 + 10
    """
    shapes = [tuple(input_shape), *layer_shapes(input_shape, specs)]
    counts = [0, *layer_params(input_shape, specs)]
    labels = [row.label for row in notes] or ["input", *(spec.describe() for spec in specs)]
    printed = notes or tuple(NotesRow(label) for label in labels)
    formulas = ["", *(_formula(spec, shapes[i]) for i, spec in enumerate(specs))]
    return [
        ActivationRow(label, shape, math.prod(shape), count, formula, row)
        for label, shape, count, formula, row in zip(labels, shapes, counts, formulas, printed, strict=True)
    ]


def preset_table(title: str) -> list[ActivationRow]:
    """``activation_table`` of the preset ``title`` with the notes' numbers.

    >>> [(row.label, row.params, row.notes_errors) for row in preset_table("CNN Example (table)")][1]
    ('CONV1 (f=5, s=1)', 608, ['# parameters 208 → 608'])
    """
    preset = PRESETS[title]
    return activation_table(preset.input_shape, list(preset.specs), preset.notes)


_LENET_LIKE = (
    LayerSpec("conv", 6, 5),
    LayerSpec("maxpool", 6, 2, 2),
    LayerSpec("conv", 16, 5),
    LayerSpec("maxpool", 16, 2, 2),
    LayerSpec("fc", 120),
    LayerSpec("fc", 84),
    LayerSpec("fc", 10),
)
_LENET_LABELS = ("CONV1 (f=5, s=1)", "POOL1", "CONV2 (f=5, s=1)", "POOL2", "FC3", "FC4", "Softmax")

#: the builder's presets by title (the first is its default)
PRESETS: dict[str, CoursePreset] = {
    preset.title: preset
    for preset in (
        CoursePreset(
            "CNN Example (drawing)",
            "CNN Example",
            (32, 32, 3),
            _LENET_LIKE,
            (
                NotesRow("Input", (32, 32, 3)),
                NotesRow(_LENET_LABELS[0], (28, 28, 6)),
                NotesRow(_LENET_LABELS[1], (14, 14, 6)),
                NotesRow(_LENET_LABELS[2], (10, 10, 16)),
                NotesRow(_LENET_LABELS[3], (5, 5, 16), 400),
                NotesRow(_LENET_LABELS[4], (120,), params=48_120),
                NotesRow(_LENET_LABELS[5], (84,)),
                NotesRow(_LENET_LABELS[6], (10,)),
            ),
        ),
        CoursePreset(
            "CNN Example (table)",
            "CNN Example",
            (32, 32, 3),
            (LayerSpec("conv", 8, 5), LayerSpec("maxpool", 8, 2, 2), *_LENET_LIKE[2:]),
            (
                NotesRow("Input", (32, 32, 3), 3_072, 0),
                NotesRow(_LENET_LABELS[0], (28, 28, 8), 6_272, 208),
                NotesRow(_LENET_LABELS[1], (14, 14, 8), 1_568, 0),
                NotesRow(_LENET_LABELS[2], (10, 10, 16), 1_600, 416),
                NotesRow(_LENET_LABELS[3], (5, 5, 16), 400, 0),
                NotesRow(_LENET_LABELS[4], (120,), 120, 48_001),
                NotesRow(_LENET_LABELS[5], (84,), 84, 10_081),
                NotesRow(_LENET_LABELS[6], (10,), 10, 841),
            ),
        ),
        CoursePreset(
            "Simple ConvNet (39x39x3)",
            "Simple Convolutional Network Example",
            (39, 39, 3),
            (
                LayerSpec("conv", 10, 3),
                LayerSpec("conv", 20, 5, 2),
                LayerSpec("conv", 40, 5, 2),
                LayerSpec("fc", 1),
            ),
            (
                NotesRow("Input", (39, 39, 3)),
                NotesRow("conv f=3, s=1, p=0, 10 filters", (37, 37, 10)),
                NotesRow("conv f=5, s=2, p=0, 20 filters", (17, 17, 20)),
                NotesRow("conv f=5, s=2, p=0, 40 filters", (7, 7, 40), 1_960),
                NotesRow("logistic unit"),
            ),
        ),
    )
}
