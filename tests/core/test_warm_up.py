"""The warm-up's bookkeeping (app_support.shared.warmup) with stand-in loaders: what each page still
waits for, a loader that fails, and the one line the server prints at the end."""

from __future__ import annotations

import sys
import time
import types

import pytest

from app_support.shared.warmup import WARM_LINE, WARM_UPS, Warming, WarmUp


@pytest.fixture
def stand_ins(monkeypatch):
    """A module app_support.stand_in with a loader that records its calls and one that fails."""
    calls: list[tuple] = []
    module = types.ModuleType("app_support.stand_in")
    module.load = lambda *args: calls.append(args)

    def broken() -> None:
        raise OSError("weights missing")

    module.broken = broken
    monkeypatch.setitem(sys.modules, "app_support.stand_in", module)
    return calls


def test_pending_lists_what_a_page_needs_until_it_is_loaded():
    warming = Warming()
    assert warming.pending("detection") == []  # never started (AppTest, a bare streamlit run)
    warming.started = True
    assert warming.pending("detection") == ["YOLOv3-tiny"]
    assert warming.pending("style-transfer") == ["the 26-style network", "the style optimisation's network"]
    assert warming.pending("convolution") == []  # a page without a network never waits
    warming.done["the 26-style network"] = 0.3
    assert warming.pending("style-transfer") == ["the style optimisation's network"]
    warming.finished = True
    assert warming.pending("detection") == []


def test_every_page_with_a_network_is_warmed_by_the_loader_it_calls_itself():
    import importlib

    for warm_up in WARM_UPS:
        module, function = warm_up.loader.split(":")
        loader = getattr(importlib.import_module(f"app_support.{module}"), function)
        if function != "warm_first_view":  # a page's first view: checked below
            assert hasattr(loader, "clear"), f"{warm_up.loader} is not a Streamlit-cached loader"


def _first_view_then_first_visit() -> None:
    """An AppTest script: the warm-up's first view of Detection, then the calls a first visit makes with
    the network forbidden (Streamlit's caches keep entries only where a runtime runs)."""
    import streamlit as st

    from app_support.detection import cache
    from app_support.detection.sections import DEFAULT_SAMPLE, warm_first_view
    from app_support.shared.image_picker import cached_sample
    from cnn_core.detection.yolov3_tiny import DEFAULT_SIZE

    warm_first_view()
    network = cache.run_network

    def no_second_pass(*_):
        raise AssertionError("the first visit ran the network again")

    cache.run_network = no_second_pass
    try:
        copy = cache.working(cached_sample(DEFAULT_SAMPLE), sample=True)  # what stage_controls reads first
        blob = cache.network_pass(copy, DEFAULT_SIZE, sample=True).blob
    finally:
        cache.run_network = network
    st.write(f"first visit read a {blob.shape[0]}x{blob.shape[1]} pass")


def test_detections_first_view_is_the_cache_entry_a_first_visit_reads():
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_first_view_then_first_visit, default_timeout=120).run()
    assert not app.exception, app.exception[0].value if app.exception else ""
    assert app.markdown[0].value == "first visit read a 416x416 pass"


def test_detections_first_view_computes_outside_any_page_run(monkeypatch):
    """The warm-up thread calls it with no script run around it (where, e.g., an ``st.fragment`` would
    return without running)."""
    from app_support.detection import sections
    from cnn_core.detection.yolov3_tiny import DEFAULT_SIZE

    passes = []
    monkeypatch.setattr(sections, "network_pass", lambda image, size, sample: passes.append((size, sample)))
    sections.warm_first_view()
    assert passes == [(DEFAULT_SIZE, True)]


def test_run_loads_in_order_keeps_going_after_a_failure_and_prints_one_line(stand_ins, capsys):
    warming = Warming()
    warm_ups = (
        WarmUp("first", ("a",), "stand_in:load", (1,)),
        WarmUp("broken", ("b",), "stand_in:broken"),
        WarmUp("second", ("b",), "stand_in:load", (2,)),
    )
    warming.start(warm_ups)
    warming.start(warm_ups)  # a second start does nothing
    deadline = time.monotonic() + 30
    while not warming.finished and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stand_ins == [(1,), (2,)]
    assert list(warming.done) == ["first", "second"]
    assert warming.failed == {"broken": "OSError: weights missing"}
    assert warming.finished
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith(f"{WARM_LINE} in ")
    assert "first" in line and "second" in line and line.endswith("; failed: broken")
