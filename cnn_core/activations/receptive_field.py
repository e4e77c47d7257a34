"""Receptive fields of every layer of a Keras CNN, by the recurrences of Araujo, Norris & Sim (Distill 2019).

Along each image axis a layer with kernel k, stride s, dilation d and left padding p maps the input
grid's (receptive field r, jump j, start) to

    k' = d·(k − 1) + 1,   r_l = r_{l−1} + (k' − 1)·j_{l−1},   j_l = j_{l−1}·s_l,
    start_l = start_{l−1} + ((k' − 1)/2 − p_l)·j_{l−1}

starting from the input pixels (r = 1, j = 1, start = 0). The jump is the distance in input pixels
between neighbouring units; ``start`` is the input coordinate of the centre of unit 0; unit ``i`` sees
input pixels ``start + i·j ± (r − 1)/2``. TF "same" padding puts ``p = ⌊p_total/2⌋`` on the top/left,
where ``p_total = max((⌈n/s⌉ − 1)·s + k' − n, 0)``, so the sizes n are tracked too.

Where paths merge (Add, Concatenate, Multiply), the receptive field is the union of the paths' windows
(for aligned paths: the largest one). Global pooling and Flatten see the whole input grid. The empirical
check — gradients on a copy of the model — lives in ``cnn_core.activations.receptive_field_check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cnn_core.conv.arithmetic import effective_filter_size, output_size, resolve_padding
from cnn_core.errors import ParameterError, ShapeError

if TYPE_CHECKING:
    import keras

_GLOBAL_LAYERS = ("GlobalAveragePooling2D", "GlobalMaxPooling2D", "Flatten")
_UNSUPPORTED_LAYERS = ("Conv2DTranspose", "Resizing", "Functional", "Sequential")


@dataclass(frozen=True)
class AxisRF:
    """One axis of one layer's output grid: size n, receptive field r, jump j, start (centre of unit 0)."""

    n: int
    r: int
    j: int
    start: float

    def window(self, index: int) -> tuple[int, int]:
        """First and last input pixel (inclusive, unclipped) seen by unit ``index`` along this axis.

        >>> AxisRF(n=4, r=5, j=2, start=1.0).window(1)
        (1, 5)
        """
        centre = self.start + index * self.j
        return round(centre - (self.r - 1) / 2), round(centre + (self.r - 1) / 2)


@dataclass(frozen=True)
class LayerRF:
    """A layer's output grid along rows and columns; ``spatial`` is False once the map is pooled away."""

    name: str
    kind: str
    rows: AxisRF
    cols: AxisRF
    spatial: bool = True

    def window(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Input pixels ``(top, left, bottom, right)`` (inclusive, unclipped) that unit (row, col) sees."""
        (top, bottom), (left, right) = self.rows.window(row), self.cols.window(col)
        return top, left, bottom, right


def conv_axis(prev: AxisRF, k: int, s: int, padding: Literal["same", "valid"], d: int = 1) -> AxisRF:
    """One axis through a convolution or pooling window (the Araujo et al. recurrences); the output size
    and the top/left padding p follow ``cnn_core.conv.arithmetic`` (TF "same" puts the odd row after).

    >>> conv_axis(AxisRF(28, 1, 1, 0.0), k=5, s=1, padding="valid")
    AxisRF(n=24, r=5, j=1, start=2.0)
    """
    if padding not in ("same", "valid"):
        raise ParameterError(f"padding must be 'same' or 'valid', got {padding!r}")
    k_eff = effective_filter_size(k, d)
    try:
        n_out = output_size(prev.n, k, padding, s, d)
    except ShapeError:
        raise ShapeError(f"a {k_eff}-wide window does not fit an input of {prev.n}") from None
    p = resolve_padding(prev.n, k, s, padding, d)[0]
    return AxisRF(
        n_out, prev.r + (k_eff - 1) * prev.j, prev.j * s, prev.start + ((k_eff - 1) / 2 - p) * prev.j
    )


def global_axis(prev: AxisRF) -> AxisRF:
    """One axis pooled to a single unit that sees the whole grid: a window of k = n."""
    return AxisRF(1, prev.r + (prev.n - 1) * prev.j, prev.j * prev.n, prev.start + (prev.n - 1) / 2 * prev.j)


def upsample_axis(prev: AxisRF, u: int) -> AxisRF:
    """One axis through nearest-neighbour upsampling by ``u``: unit i copies input unit ⌊i/u⌋.

    No evenly spaced window fits exactly (units 2m and 2m + 1 share one field), so this is the smallest
    one that holds every unit's field: j' = j/u, r' = r + (u − 1)·j/u, start' = start − (u − 1)·j/(2u).

    >>> upsample_axis(AxisRF(13, 99, 32, 15.5), 2)
    AxisRF(n=26, r=115, j=16, start=7.5)
    """
    if prev.j % u:
        raise ShapeError(f"cannot upsample a grid of jump {prev.j} by {u}")
    return AxisRF(
        prev.n * u, prev.r + (u - 1) * prev.j // u, prev.j // u, prev.start - (u - 1) * prev.j / (2 * u)
    )


def union_axis(paths: list[AxisRF]) -> AxisRF:
    """Paths merging into one grid: the union of the windows of unit 0 (the largest for aligned paths).

    >>> union_axis([AxisRF(7, 3, 2, 1.0), AxisRF(7, 7, 2, 2.0)])
    AxisRF(n=7, r=7, j=2, start=2.0)
    """
    if len({(p.n, p.j) for p in paths}) != 1:
        raise ShapeError(f"merging grids with different sizes or jumps: {[(p.n, p.j) for p in paths]}")
    low = min(p.start - (p.r - 1) / 2 for p in paths)
    high = max(p.start + (p.r - 1) / 2 for p in paths)
    return AxisRF(paths[0].n, round(high - low + 1), paths[0].j, (low + high) / 2)


def _pair(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value, value)


def _layer_axes(layer, prev: list[LayerRF]) -> tuple[AxisRF, AxisRF, bool]:
    """The output grid of ``layer`` given its inputs' grids."""
    kind = type(layer).__name__
    if kind in _UNSUPPORTED_LAYERS:
        raise ShapeError(f"cannot compute receptive fields through layer '{layer.name}' ({kind})")
    if len(prev) > 1:
        return union_axis([p.rows for p in prev]), union_axis([p.cols for p in prev]), prev[0].spatial
    (p,) = prev
    out_shape = tuple(layer.output.shape)
    window = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if window is not None and p.spatial and len(out_shape) == 4:
        strides, dilation = _pair(layer.strides), _pair(getattr(layer, "dilation_rate", 1))
        rows, cols = (
            conv_axis(axis, k, s, layer.padding, d)
            for axis, k, s, d in zip((p.rows, p.cols), _pair(window), strides, dilation, strict=True)
        )
        return rows, cols, True
    if kind == "UpSampling2D" and layer.interpolation == "nearest":
        return upsample_axis(p.rows, layer.size[0]), upsample_axis(p.cols, layer.size[1]), True
    if kind in ("ZeroPadding2D", "Cropping2D"):
        sign = 1 if kind == "ZeroPadding2D" else -1
        edges = layer.padding if kind == "ZeroPadding2D" else layer.cropping
        rows, cols = (
            AxisRF(a.n + sign * (lo + hi), a.r, a.j, a.start - sign * lo * a.j)
            for a, (lo, hi) in zip((p.rows, p.cols), edges, strict=True)
        )
        return rows, cols, True
    if p.spatial and (kind in _GLOBAL_LAYERS or len(out_shape) != 4):
        return global_axis(p.rows), global_axis(p.cols), False
    if len(out_shape) == 4 and None not in out_shape[1:3] and out_shape[1:3] != (p.rows.n, p.cols.n):
        raise ShapeError(f"cannot compute receptive fields through layer '{layer.name}' ({kind})")
    return p.rows, p.cols, p.spatial


def receptive_fields(model: keras.Model, input_size: tuple[int, int] | None = None) -> list[LayerRF]:
    """(r, j, start) along rows and columns for the input and every layer of a channels-last Keras model.

    ``input_size`` (rows, cols) is needed when the model's input shape leaves them open.

    >>> import keras
    >>> L = keras.layers
    >>> model = keras.Sequential([keras.Input((32, 32, 1)), L.Conv2D(6, 5, name="c1"),
    ...                           L.MaxPooling2D(2, name="s2"), L.Conv2D(16, 5, name="c3")])
    >>> [(layer.name, layer.rows.r, layer.rows.j) for layer in receptive_fields(model)]
    [('input', 1, 1), ('c1', 5, 1), ('s2', 6, 2), ('c3', 14, 2)]
    """
    (inp,) = model.inputs
    size = input_size or tuple(inp.shape[1:3])
    if len(inp.shape) != 4 or None in size or min(size) < 1:
        raise ParameterError(f"input_size must be (rows, cols) for an image model, got {size}")
    first = LayerRF("input", "Input", AxisRF(size[0], 1, 1, 0.0), AxisRF(size[1], 1, 1, 0.0))
    grids: dict[int, LayerRF] = {id(inp): first}
    table = [first]
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        inputs = layer.input if isinstance(layer.input, list | tuple) else [layer.input]
        try:
            prev = [grids[id(tensor)] for tensor in inputs]
        except KeyError:
            raise ShapeError(
                f"layer '{layer.name}' is shared or nested; its inputs cannot be traced"
            ) from None
        rows, cols, spatial = _layer_axes(layer, prev)
        grids[id(layer.output)] = LayerRF(layer.name, type(layer).__name__, rows, cols, spatial)
        table.append(grids[id(layer.output)])
    return table


def last_feature_map(table: list[LayerRF]) -> LayerRF:
    """The deepest layer whose output is still a spatial map (before global pooling or flattening)."""
    return [layer for layer in table if layer.spatial][-1]


def clip_window(window: tuple[int, int, int, int], rows: int, cols: int) -> tuple[int, int, int, int]:
    """``(top, left, bottom, right)`` limited to an image of ``rows`` x ``cols`` pixels.

    >>> clip_window((-3, 10, 40, 50), 32, 32)
    (0, 10, 31, 31)
    """
    top, left, bottom, right = window
    return max(top, 0), max(left, 0), min(bottom, rows - 1), min(right, cols - 1)
