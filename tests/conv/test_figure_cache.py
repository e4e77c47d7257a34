"""The Convolution page's cached figures are the plain builders' figures, built once per set of arguments."""

from __future__ import annotations

import numpy as np

from app_support.convolution.cache import animation_figure, grids_figure
from app_support.convolution.plots import number_grids, slide_animation
from cnn_core.conv.filters import FILTERS, course_edge_image
from cnn_core.conv.sliding import slide


def test_the_cached_animation_is_the_builders_and_is_built_once():
    result = slide(course_edge_image(), FILTERS["vertical"], padding=1)
    cached = animation_figure(result, "cross-correlation", 300, 4, False)
    built = slide_animation(result, "cross-correlation", 300, start=4, large=False)
    assert cached.to_plotly_json() == built.to_plotly_json()
    again = slide(course_edge_image(), FILTERS["vertical"], padding=1)  # equal, not the same object
    assert animation_figure(again, "cross-correlation", 300, 4, False) is cached
    assert animation_figure(again, "cross-correlation", 300, 5, False) is not cached


def test_the_cached_grids_are_the_builders_and_follow_their_values():
    grids = {"kernel": FILTERS["vertical"], "image": course_edge_image()}
    cached = grids_figure(grids, height=220)
    assert cached.to_plotly_json() == number_grids(grids, height=220).to_plotly_json()
    assert grids_figure({**grids, "kernel": np.flip(FILTERS["vertical"])}, height=220) is not cached
