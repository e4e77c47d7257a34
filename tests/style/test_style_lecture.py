"""AppTest of what a live lecture needs from the style-transfer page: Gram matrices captioned with the step
they show, the quick-demo preset with its estimate, style targets kept between runs, true sizes."""

from __future__ import annotations

import base64
import json

import numpy as np
import streamlit as st

import cnn_core.style.optimize as optimize
from cnn_core.style.optimize import Progress
from cnn_core.style.settings import GatysSettings
from tests.apptest import run_page
from tests.style.test_style_page import _watch

TIMEOUT = 240


class _AdvancingProblem:
    """Stands in for StyleProblem: the Gram matrices of an image say which image they came from."""

    content = np.zeros((43, 64, 3), np.uint8)

    def grams(self, image: np.ndarray, layer: str) -> tuple[np.ndarray, np.ndarray]:
        return np.eye(3), np.full((3, 3), float(image[0, 0, 0]))  # Ĝ(G) holds G's step


class _AdvancingJob:
    """A finished-looking job whose ``latest`` moves on by 10 steps at every read, as a running thread's
    does between two reads of one redraw; each image is filled with its step number."""

    running = stopped = False
    error = notice = None
    stage = 3

    def __init__(self) -> None:
        self.settings = GatysSettings(size=64, steps=1000)
        self.problem = _AdvancingProblem()
        self.reads = 0
        costs = {"content": 1.0, "style": 1.0, "tv": 1.0, "total": 3.0}
        self.history = [{"step": 10 * k, "elapsed_s": float(k), **costs} for k in range(1, 100)]

    @property
    def latest(self) -> Progress:
        self.reads += 1
        step = 10 * self.reads
        costs = {"content": 1.0, "style": 1.0, "tv": 1.0, "total": 3.0}
        return Progress(step, np.full((43, 64, 3), step, np.uint8), costs, 1.0, 1.0, False)

    def touch(self) -> None:
        pass

    def seconds_per_step(self) -> None:
        return None


def _values(z) -> np.ndarray:
    """A heatmap's z as Plotly's JSON holds it: nested lists, or a base64 typed array ({"bdata", "dtype"})."""
    if isinstance(z, dict):
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"])
    return np.asarray(z, dtype=float)


def test_gram_caption_names_the_step_of_the_matrices_shown():
    at = run_page("style_transfer.py", TIMEOUT)
    at.session_state["st_job"] = _AdvancingJob()
    at.run()
    assert not at.exception
    shown = [p.caption for e in at.get("image") for p in e.proto.imgs if p.caption.startswith("G after")]
    assert len(shown) == 1
    step = int(shown[0].split()[2])  # "G after 10 steps (stopped)"
    gram_captions = [c.value for c in at.caption if c.value.startswith("Gram matrices")]
    assert gram_captions == [f"Gram matrices of S and of G after {step} steps (the image above)"]
    (figure,) = [chart for chart in at.get("plotly_chart") if "Gram" in chart.proto.spec]
    generated = _values(json.loads(figure.proto.spec)["data"][1]["z"])
    assert generated.size == 9 and np.all(generated == step)  # the matrices are those of the image shown


class _CompilingJob(_AdvancingJob):
    """A job still preparing: no report yet, compiling its step (the last of four stages)."""

    running = True
    latest = None
    stage = 3


def test_preparation_says_what_is_being_built():
    at = run_page("style_transfer.py", TIMEOUT)
    at.session_state["st_job"] = _CompilingJob()
    at.run()
    assert not at.exception
    (bar,) = at.get("progress")
    assert bar.proto.text.startswith("4/4 · Compiling the optimisation step")
    assert bar.proto.value == 75


def test_quick_demo_sets_the_controls_and_states_an_estimate():
    at = run_page("style_transfer.py", TIMEOUT)
    at.button(key="st_quick").click().run()
    assert not at.exception
    assert at.select_slider(key="st_size").value == 128
    assert at.slider(key="st_steps").value == 100
    assert at.select_slider(key="st_rate").value == 0.05
    assert at.slider(key="st_ratio").value == -6.5  # β ten times the default's 10^5.5
    (estimate,) = [c.value for c in at.caption if c.value.startswith("Estimated time")]
    # chelsea is 451x300: 128x85 px at 128; 6 s to compile + 100 x 0.035 s = 9.5 s
    assert "≈ 10 s" in estimate and "100 steps × 0.035 s at 128x85 px" in estimate


def test_a_second_run_with_the_same_style_reuses_its_targets(monkeypatch):
    st.cache_data.clear()
    calls = []
    original = optimize.style_targets

    def counted(backbone, style, size, layers, smoothing):
        calls.append(style.shape)
        return original(backbone, style, size, layers, smoothing)

    monkeypatch.setattr(optimize, "style_targets", counted)
    at = run_page("style_transfer.py", TIMEOUT, st_size="64", st_steps="5")
    for style_sample, expected in (("flower", 1), ("flower", 1), ("china", 2)):
        at.selectbox(key="st_style_sample").set_value(style_sample).run()
        at.button(key="st_run").click().run()
        job = at.session_state["st_job"]
        _watch(job, lambda job=job: not job.running)
        assert job.error is None and job.latest.done
        assert len(calls) == expected, f"{len(calls)} computations after a run with {style_sample}"
