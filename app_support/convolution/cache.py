"""Cached figures of the Convolution page.

Plotly validates every property of a figure as it is built, which costs far more than drawing it: an
animation of 25 steps takes ~150 ms to build and ~25 ms to send. So each figure is built once per process
for each set of arguments and shared by all sessions (``st.cache_resource``: no copy on the way out).
Nothing mutates a figure after it is built; ``st.plotly_chart`` only reads it. The arguments are the
course's small example grids or the page's own numbers, never a visitor's picture.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_support.convolution.plots import number_grids, slide_animation
from cnn_core.conv.sliding import Slide


@st.cache_resource(show_spinner=False, max_entries=32)
def animation_figure(result: Slide, operation: str, frame_ms: int, start: int, large: bool) -> go.Figure:
    """``plots.slide_animation`` of one sliding pass shown at step ``start`` (shared, never mutated)."""
    return slide_animation(result, operation, frame_ms, start=start, large=large)


@st.cache_resource(show_spinner=False, max_entries=64)
def grids_figure(grids: dict[str, np.ndarray], height: int = 300) -> go.Figure:
    """``plots.number_grids`` of titled (H, W) grids, red-blue around 0 (shared, never mutated)."""
    return number_grids(grids, height=height)
