"""The feature-map figures' click targets: one invisible marker per unit (or per map of the grid), at its
centre, carrying the value its hover shows; compared with a plain loop over the cells."""

from __future__ import annotations

import numpy as np

from app_support.activations.plots import GAP, channel_figure, grid_figure


def test_one_marker_per_unit_at_its_cell_with_its_value():
    values = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    figure = channel_figure(values, (1, 2), 0.0, 2.0)
    markers = figure.data[-1]
    cells = [(col, row) for row in range(3) for col in range(4)]  # row-major, as the page reads a click
    assert list(zip(markers.x, markers.y, strict=True)) == cells
    assert list(markers.customdata) == [values[row, col] for col, row in cells]
    assert "%{customdata" in markers.hovertemplate


def test_one_marker_per_map_at_the_centre_of_its_tile():
    h, w, channels, columns = 5, 3, 7, 3
    tiles = np.zeros((3 * (h + GAP), columns * (w + GAP)))
    figure = grid_figure(tiles, (h, w, channels), columns, selected=4)
    markers = figure.data[-1]
    centres = []
    for channel in range(channels):
        row, col = channel // columns, channel % columns
        centres.append((col * (w + GAP) + (w - 1) / 2, row * (h + GAP) + (h - 1) / 2))
    assert list(zip(markers.x, markers.y, strict=True)) == centres
    assert list(markers.customdata) == list(range(channels))
