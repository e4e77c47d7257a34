"""The warm-up's bookkeeping (app_support.shared.warmup) with stand-in loaders: what each page still
waits for, a loader that fails, the rehearsal visit last, and the one line the server prints at the end."""

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
        if warm_up.pages:  # a step a page waits for is that page's own cached loader
            assert hasattr(loader, "clear"), f"{warm_up.loader} is not a Streamlit-cached loader"


def test_the_last_step_visits_every_page_after_every_model_is_loaded():
    last = WARM_UPS[-1]
    assert last.loader == "shared.rehearsal:rehearse_every_page" and last.pages == ()
    assert all(warm_up.pages for warm_up in WARM_UPS[:-1])


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
