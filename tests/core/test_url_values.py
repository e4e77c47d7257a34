"""Absurd links: every page, opened with every URL-bound control set to a huge, negative, NaN, infinite,
textual or 50,000-character value, shows no exception, and each value either stays in the URL (the page
uses it or explains it, as for stride -7) or is named in the page's notice: none is dropped in silence.

The controls are those AppTest finds on each tab of a page (a widget's ``query_param_key``), plus the few
drawn only after another choice. One run per (page, kind of value) sets all of a page's controls at once
and opens the next of its tabs, so the widgets of most tabs meet the values themselves; the numbers of
every tab are checked by ``url.check_link`` whichever tab is open. The issue's links run one by one.
"""

from __future__ import annotations

import re
import tracemalloc
from functools import cache

import pytest
from streamlit.testing.v1 import AppTest

from app_support.shared.bounds import ARITHMETIC, JS_SAFE, Bound, bound_of
from tests.apptest import run_page, url_param

TIMEOUT = 300
#: page script → the key of its tabs in the URL
PAGES = {
    "convolution.py": "conv_tab",
    "architectures.py": "arch_tab",
    "activations.py": "act_tab",
    "detection.py": "det_tab",
    "faces.py": "faces_tab",
    "style_transfer.py": "st_tab",
    "training.py": "tr_tab",
}
#: controls drawn only after another choice (more layers, a second style, the digit network)
HIDDEN = {
    "architectures.py": [f"arch_l{i}_{name}" for i in (8, 9, 10) for name in ("kind", "size", "f", "s", "p")],
    "activations.py": ["act_digit_source", "act_digit"],
    "detection.py": [
        *(f"det_loc_{name}" for name in ("bx", "by", "bh", "bw", "class")),
        "det_enc_boxes",
        *(f"det_enc_{anchor}_{side}" for anchor in ("tall", "wide") for side in ("w", "h")),
    ],
    "style_transfer.py": ["st_two", "st_t"],
    "training.py": ["tr_k", "tr_sigma"],
}
ABSURD = {
    "huge": "1" + "0" * 30,
    "negative": "-7",
    "nan": "NaN",
    "infinity": "Infinity",
    "-infinity": "-Infinity",
    "text": "abc",
    "long": "9" * 50_000,
}
#: Streamlit ignores a whole query string over 512 KiB, so a run sets at most 10 values of 50,000 characters
LONG_VALUES = 10
#: the AppTest accessors of every kind of widget a page binds to the URL
WIDGETS = (
    "number_input",
    "slider",
    "select_slider",
    "selectbox",
    "radio",
    "multiselect",
    "toggle",
    "checkbox",
    "segmented_control",
)


def _bound_widgets(at: AppTest) -> dict[str, object]:
    """key → widget, for every widget of the run mirrored in the URL."""
    return {url_param(w): w for kind in WIDGETS for w in getattr(at, kind) if url_param(w)}


@cache
def _tabs(page: str) -> tuple[str, ...]:
    return tuple(tab.label for tab in run_page(page, TIMEOUT).tabs)


@cache
def _controls(page: str) -> tuple[str, ...]:
    """Every URL-bound control of ``page``: those AppTest finds tab by tab, and the hidden ones."""
    found: dict[str, None] = {}
    for tab in _tabs(page):
        at = run_page(page, TIMEOUT, **{PAGES[page]: tab})
        assert not at.exception, (page, tab, at.exception)
        for key, widget in _bound_widgets(at).items():
            found[key] = None
            if type(widget).__name__ in ("NumberInput", "Slider"):
                bound = bound_of(key)
                assert bound is not None, f"{page}: number control {key} has no bounds in bounds.NUMBERS"
                assert bound.low <= widget.min and widget.max <= bound.high, (key, widget.min, widget.max)
    return (*found, *HIDDEN.get(page, ()))


def _notice(at: AppTest) -> str:
    """The text of the page's link notices, with Markdown escapes undone."""
    text = " ".join(toast.value for toast in at.toast)
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _unexplained(at: AppTest, query: dict[str, str]) -> list[str]:
    """The link's values that are neither in the URL, nor shown by their control (Streamlit drops a value
    equal to the default, such as the first tab), nor named in a notice."""
    notice = _notice(at)
    return [
        key
        for key, value in query.items()
        if at.query_params.get(key) != value
        and str(at.session_state.get(key)) != value
        and f"?{key}=" not in notice
    ]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_absurd_values_in_every_control(page):
    tabs, controls = _tabs(page), _controls(page)
    failures = []
    for turn, (kind, value) in enumerate(ABSURD.items()):
        keys = controls[:LONG_VALUES] if kind == "long" else controls
        query = {key: value for key in keys}
        query[PAGES[page]] = value if kind == "text" else tabs[turn % len(tabs)]
        at = run_page(page, TIMEOUT, **query)
        if at.exception:
            failures.append(f"{kind}: exception {[e.value for e in at.exception]}")
        elif unexplained := _unexplained(at, query):
            failures.append(f"{kind}: dropped without a notice: {unexplained}")
    assert not failures, f"{page}: {failures}"


def test_the_issues_calculator_link():
    """/convolution?conv_n_h=NaN&conv_f=Infinity&conv_s=-Infinity raised "cannot convert float infinity"."""
    at = run_page(
        "convolution.py",
        TIMEOUT,
        conv_tab="Calculator",
        conv_n_h="NaN",
        conv_f="Infinity",
        conv_s="-Infinity",
    )
    assert not at.exception
    notice = _notice(at)
    for key in ("conv_n_h", "conv_f", "conv_s"):
        assert f"?{key}=" in notice and key not in at.query_params
    assert "it is not a finite number" in notice
    assert at.metric[0].value == "4 x 4"  # the defaults: 6x6 * 3x3 → 4x4
    assert len(at.toast) == 1  # said once, and not again on the next run
    assert not at.run().toast


def test_the_issues_pooling_links_allocate_nothing_large():
    """pool_f=10⁹ asked numpy for 6.94 EiB; pool_f=15000 allocated 1.8 GB before its message."""
    tracemalloc.start()
    try:
        huge = run_page("convolution.py", TIMEOUT, conv_tab="Pooling", pool_f="1000000000", pool_s="-3")
        large = run_page("convolution.py", TIMEOUT, conv_tab="Pooling", pool_f="15000", pool_mode="median")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not huge.exception and not large.exception
    assert "f must be ≤ 1,000,000, got 1,000,000,000" in huge.error[0].value
    assert "the filter spans 15000 pixels but the padded input has only 4" in large.error[0].value
    assert "?pool_mode=median" in _notice(large)  # not one of max / average
    assert peak < 200 * 2**20, f"{peak:,} bytes traced"  # a 15000x15000 float64 kernel alone is 1.8 GB


def test_the_issues_bottleneck_link_under_its_old_names():
    """/architectures?tab=1x1+bottleneck&b_H=99999999999999999999999 raised StreamlitJSNumberBoundsError."""
    at = run_page("architectures.py", TIMEOUT, tab="1x1 bottleneck", b_H="99999999999999999999999")
    assert not at.exception
    assert "?arch_b_height=99999999999999999999" in _notice(at)
    assert at.number_input(key="arch_b_height").value == 28


def test_an_index_past_the_layer_is_named_and_the_control_shows_its_default():
    """The widget narrows act_channel to the layer's channels; Streamlit drops 500, the page says so."""
    at = run_page("activations.py", TIMEOUT, act_tab="Feature maps", act_channel="500")
    assert not at.exception
    assert "?act_channel=500: it is not a value this control offers here" in _notice(at)
    assert at.number_input(key="act_channel").value == 0


def test_a_link_that_restates_the_defaults_brings_no_notice():
    """Streamlit drops a value equal to the default too; that is no refusal (labels with a note included)."""
    at = run_page(
        "style_transfer.py",
        TIMEOUT,
        st_opt="Adam",
        st_content_layer="block5a_expand_activation (1/16)",
        st_steps="200",
        st_keep="false",
    )
    assert not at.exception and not at.toast


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("4", None),
        ("4.0", None),
        ("abc", "it is not a number"),
        ("", "it is not a number"),
        ("NaN", "it is not a finite number"),
        ("-Infinity", "it is not a finite number"),
        ("1e400", "it is not a finite number"),  # float() overflows to infinity
        ("9" * 50_000, "it is not a finite number"),
        ("2.5", "it is not a whole number"),
        ("11", "it must be between 1 and 10 (meaning)"),
        ("0", "it must be between 1 and 10 (meaning)"),
    ],
)
def test_a_bound_refuses_what_is_not_a_value_of_its_control(text, refusal):
    assert Bound(1, 10, "meaning").refusal(text) == refusal


def test_calculator_bounds_are_the_numbers_a_browser_holds_exactly():
    assert JS_SAFE == 9_007_199_254_740_991  # Number.MAX_SAFE_INTEGER
    assert ARITHMETIC.refusal("-7") is None and ARITHMETIC.refusal("1000000000") is None
    assert ARITHMETIC.refusal("99999999999999999999999").startswith("it must be between")
    assert Bound(0.0, 1.0, "a weight").refusal("0.25") is None
    assert bound_of("conv_tab") is None and bound_of("arch_l10_p") is bound_of("arch_l1_size")
