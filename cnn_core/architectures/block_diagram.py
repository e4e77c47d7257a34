"""Graphviz DOT drawings of a model's graph, made from its per-layer table.

One box per layer call, one arrow per tensor, labelled with its shape (H x W x C). Because the table is
traced from the built Keras model, a drawing of ``resnet.block_model(spec, ...)`` shows exactly the layers
the ResNet-50 builder creates for that block: main path, shortcut, Add.
"""

from __future__ import annotations

from cnn_core.architectures.summary import LayerRow, ModelSummary

#: box colours by what a layer does
_FILL = {"conv": "#ddd6fe", "fc": "#ddd6fe", "norm": "#fef3c7", "merge": "#fed7aa", "io": "#e5e7eb"}
_MERGE_TYPES = {"Add", "Concatenate", "Multiply", "Average", "Maximum", "Subtract"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def node_label(row: LayerRow) -> str:
    """Two short lines: what the layer does ("Conv2D 3x3 s1 same", "BatchNorm", "ReLU"), then its name."""
    if row.type == "InputLayer":
        what = "Input"
    elif row.type == "Activation":
        what = row.activation.capitalize() if row.activation != "relu" else "ReLU"
    elif row.kernel and row.kernel != "global":
        what = f"{row.type} {row.kernel}, s={row.stride}, {row.padding}".rstrip(", ")
    elif row.type == "BatchNormalization":
        what = "BatchNorm"
    else:
        what = row.type
    if row.activation and row.type != "Activation":
        what += f" + {row.activation}"
    return f"{what}\n{row.name}"


def _fill(row: LayerRow) -> str:
    if row.type in _MERGE_TYPES:
        return _FILL["merge"]
    if row.type == "InputLayer":
        return _FILL["io"]
    return _FILL.get(row.category, "#dcfce7")


def summary_to_dot(summary: ModelSummary, rankdir: str = "LR") -> str:
    """A DOT digraph of the summary's rows; each edge carries the producing layer's output shape.

    >>> from cnn_core.architectures.summary import LayerRow, ModelSummary
    >>> rows = (LayerRow("x", "InputLayer", "other", "", "", "", "", ((4, 4, 3),), 0, 0, 0, 192),
    ...         LayerRow("y", "ReLU", "other", "", "", "", "", ((4, 4, 3),), 0, 0, 0, 192, ("x",)))
    >>> print(summary_to_dot(ModelSummary("m", rows, 0, 0)).splitlines()[-2])
      "x" -> "y" [label="4x4x3"];
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"rankdir must be 'LR' or 'TB', got {rankdir!r}")
    shapes = {row.name: row.output_shapes[0] for row in summary.rows}
    lines = [
        f"digraph {_quote(summary.name)} {{",
        f"  rankdir={rankdir};",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for row in summary.rows:
        lines.append(
            f"  {_quote(row.name)} [label={_quote(node_label(row))}, fillcolor={_quote(_fill(row))}];"
        )
    for row in summary.rows:
        for source in row.inputs:
            shape = "x".join("?" if v is None else str(v) for v in shapes[source])
            lines.append(f"  {_quote(source)} -> {_quote(row.name)} [label={_quote(shape)}];")
    lines.append("}")
    return "\n".join(lines)
