"""Issue 13: the sliding-window animation for a live lecture. A link restores every control, the step shown
included; padding cells are drawn apart from the image's zeros; the whole output grid is there from the
first step; the formula line wraps to a phone's width and no toolbar covers it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_support.convolution.plots import TERMS_PER_LINE, slide_animation
from cnn_core.conv.filters import FILTERS, course_edge_image
from cnn_core.conv.sliding import slide
from tests.apptest import PAGES, url_param

#: a link made on the Animation tab, every control away from its default
LINK = {
    "conv_tab": "Animation",
    "anim_op": "convolution",
    "anim_n": "5",
    "anim_f": "4",
    "anim_pad": "same (course)",
    "anim_s": "1",
    "anim_kernel": "horizontal",
    "anim_speed": "fast",
    "anim_large": "true",
    "anim_step": "8",
}


def _open(**query: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / "convolution.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def _figure(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_a_link_restores_every_control_of_the_animation():
    at = _open(**LINK)
    widgets = [*at.selectbox, *at.slider, *at.radio, *at.toggle, *at.select_slider]
    shown = {url_param(widget): widget.value for widget in widgets}
    assert shown == {
        "anim_op": "convolution",
        "anim_n": 5,
        "anim_f": 4,
        "anim_pad": "same (course)",
        "anim_s": 1,
        "anim_kernel": "horizontal",
        "anim_speed": "fast",
        "anim_large": True,
        "anim_step": 8,
    }
    # course "same" with an even f = 4 at stride 1: 3 padding rows, 1 before and 2 after → 5x5 output;
    # step 8 of a row-major 5x5 pass is output cell (1, 2)
    assert _figure(at)["layout"]["title"]["text"].startswith("output[1, 2] =")


def test_pooling_step_is_in_the_link_too():
    at = _open(conv_tab="Pooling", pool_step="3")
    assert url_param(at.slider(key="pool_step")) == "pool_step"
    # the course's 4x4 example, f = s = 2: step 3 is output (1, 0), the max of 1, 3, 5, 6
    assert _figure(at)["layout"]["title"]["text"] == "output[1, 0] = max of the window = 6"


def test_the_toolbar_is_off_so_it_cannot_cover_the_formula():
    at = _open(conv_tab="Animation")
    assert json.loads(at.get("plotly_chart")[0].proto.config) == {"displayModeBar": False}


def _course_pass(**options) -> tuple[tuple, np.ndarray]:
    figure = slide_animation(slide(course_edge_image(), FILTERS["vertical"], **options), "cross-correlation")
    return figure.data, course_edge_image()


def _finite(trace) -> np.ndarray:
    return np.isfinite(np.asarray(trace.z, dtype=float))


def test_padding_cells_are_drawn_apart_from_the_images_zeros():
    figure, image = _course_pass(padding=1)
    ring = np.ones((8, 8), dtype=bool)
    ring[1:7, 1:7] = False  # p = 1 around the 6x6 image
    image_cells, padding_cells = figure[0], figure[1]
    assert (_finite(padding_cells) == ring).all() and (_finite(image_cells) == ~ring).all()
    assert (image == 0).sum() == 18  # the image's own zeros (its right half) are image cells, not padding
    assert padding_cells.colorscale != image_cells.colorscale


def test_the_whole_output_grid_is_drawn_from_the_first_step():
    figure, _ = _course_pass()
    output_traces = [trace for trace in figure if trace.xaxis == "x3"]
    assert any(_finite(trace).all() and _finite(trace).shape == (4, 4) for trace in output_traces)
    assert _finite(output_traces[-1]).sum() == 1  # and one computed cell: step 1


@pytest.mark.parametrize("f", [3, 5])
def test_the_formula_wraps_to_a_phones_width(f):
    """At 390 px a line of ~45 characters fits the figure; the course's 3x3 formula is ~110 characters."""
    kernel = FILTERS["vertical"] if f == 3 else np.ones((5, 5))
    figure = slide_animation(slide(course_edge_image(), kernel, padding=1), "cross-correlation")
    for frame in figure.frames:
        lines = frame.layout.title.text.split("<br>")
        assert len(lines) > 1 and max(map(len, lines)) <= 45
        assert lines[1].count("·") == TERMS_PER_LINE
