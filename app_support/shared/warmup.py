"""Models warm before the first student: the server loads every page's networks in a background thread.

The server (``serve.py``) calls ``WARMING.start()`` once, as soon as Streamlit's runtime exists and
before anyone visits: a daemon thread calls each page's ``st.cache_resource`` loader in course order, so
the first visitor of Detection finds YOLOv3-tiny built and its kernels traced, and the home page (no
TensorFlow in its own run) is not held up. Its last step visits every page once through the server's
socket (``rehearsal``), to pay what a page's first run costs besides its models. A page opened before
its model is ready calls the same loader and simply waits on Streamlit's per-value compute lock;
``warming_notice()`` says so meanwhile. When every step is done the thread prints one line,
``CNN Lab: models warm in 18.2 s (YOLOv3-tiny 2.9 s, …)``, to the server's log.

Nothing starts under AppTest or a bare ``streamlit run app.py``: tests load what they use.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

log = logging.getLogger(__name__)

#: the line the server prints when every model is loaded (tests and deployments wait for it)
WARM_LINE = "CNN Lab: models warm"


@dataclass(frozen=True)
class WarmUp:
    """One step of the warm-up, mostly a model to load: its name as a visitor knows it, the pages (url
    paths) that need it first, and the loader ("module:function" of a module in app_support, called
    with ``args``)."""

    name: str
    pages: tuple[str, ...]
    loader: str
    args: tuple = ()

    def load(self) -> None:
        module, function = self.loader.split(":")
        loader: Callable = getattr(importlib.import_module(f"app_support.{module}"), function)
        loader(*self.args)


#: in the order a lecture meets them; each is the loader a page itself calls, so the cache is shared
WARM_UPS: tuple[WarmUp, ...] = (
    WarmUp("YOLOv3-tiny", ("detection",), "detection.cache:detector"),
    WarmUp("MTCNN and the face ResNet", ("faces",), "faces.cache:face_models"),
    WarmUp(
        "EfficientNet-Lite0",
        ("activations",),
        "activations.cache:network",
        ("efficientnet-lite0",),
    ),
    WarmUp("the 26-style network", ("style-transfer",), "style_transfer.cache:multistyle_model"),
    WarmUp("the style optimisation's network", ("style-transfer",), "style_transfer.cache:backbone"),
    WarmUp("EfficientNet-Lite0 for training", ("training",), "training.cache:lite0"),
    WarmUp("a visit of every page", (), "shared.rehearsal:rehearse_every_page"),  # nobody waits for it
)


@dataclass
class Warming:
    """What the warm-up thread has done so far: seconds per loaded model, and failures by name."""

    done: dict[str, float] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    started: bool = False
    finished: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def start(self, warm_ups: tuple[WarmUp, ...] = WARM_UPS) -> None:
        """Load ``warm_ups`` in a daemon thread; a second call does nothing."""
        with self._lock:
            if self.started:
                return
            self.started = True
        threading.Thread(target=self.run, args=(warm_ups,), name="cnn-lab-warm-up", daemon=True).start()

    def pending(self, page: str) -> list[str]:
        """The models ``page`` (a url path) needs that the warm-up has not loaded yet (none once it has
        finished, or where it never started)."""
        if not self.started or self.finished:
            return []
        return [w.name for w in WARM_UPS if page in w.pages and w.name not in self.done | self.failed]

    def run(self, warm_ups: tuple[WarmUp, ...]) -> None:
        # a loader's spinner outside any page run warns "missing ScriptRunContext" (harmless, says Streamlit)
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
        start = time.perf_counter()
        for warm_up in warm_ups:
            began = time.perf_counter()
            try:
                warm_up.load()
            except Exception as err:  # a page that needs it will show its own message when it tries
                log.exception("warming %s failed", warm_up.name)
                self.failed[warm_up.name] = f"{type(err).__name__}: {err}"
                continue
            self.done[warm_up.name] = time.perf_counter() - began
        # Streamlit collects garbage after every script run (and Keras's clear_session once more): with
        # TensorFlow's ~450,000 objects in the heap each full collection took ~200 ms of every rerun. What
        # is loaded now lives as long as the server, so it leaves the collector's scans for good.
        gc.collect()
        gc.freeze()
        self.finished = True
        parts = ", ".join(f"{name} {s:.1f} s" for name, s in self.done.items())
        failed = f"; failed: {', '.join(self.failed)}" if self.failed else ""
        print(
            f"{WARM_LINE} in {time.perf_counter() - start:.1f} s ({parts}){failed}",
            file=sys.stderr,
            flush=True,
        )


#: the server's one warm-up (serve.py starts it; pages read it)
WARMING = Warming()


def warming_notice(page: str) -> None:
    """A small status above ``page`` (a url path) while the models it needs are still loading."""
    pending = WARMING.pending(page)
    if pending:
        st.caption(f"⏳ The server is still warming up {' and '.join(pending)}; this page waits for it.")
