"""How long each page takes to answer its most common interactions, on the server and in a real browser.

Run: ``.venv/bin/python -m benchmarks.bench_interactions [--pages detection,faces] [--repeats 5]``
(``--no-browser`` / ``--no-server`` skip a part).
Prints figures; asserts nothing. Goals (issue 14): a rerun that runs no network under 100 ms of server time,
one that runs a network under 250 ms, and the browser settled under 0.3 s after the input on an idle machine.

Server: each page is opened in Streamlit's AppTest on the tab named by its query, then one control is set,
alternately to two values so that every run is a real change, and the page is run again; the figure is the
median of ``--repeats`` such runs after one warm-up pair. A change that runs a network is timed with the
pages' computed results forgotten first (the models stay loaded), so the network really runs. AppTest
always reruns the whole script, so for a control inside an ``st.fragment`` (which in a browser reruns only
its fragment) the figure is an upper bound.

Browser: Debian's Chromium against the app's server as the browser tests start it (``streamlit_server``);
from the input (arrow key on a slider, click on a toggle) to the page settled: Streamlit's run state
(``data-test-script-state`` on ``stApp``) has gone to running and back to ``notRunning``, and two frames
have been painted since.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: server-time goals in ms: a rerun that runs no network, and one that runs a network (a new photo)
NO_NETWORK_MS, NETWORK_MS = 100, 250
#: browser goal in ms, input → settled page
BROWSER_MS = 300


@dataclass(frozen=True)
class Interaction:
    """One control of a page set alternately to ``values[0]`` and ``values[1]``."""

    label: str
    widget: str  # AppTest's accessor: "slider", "selectbox", "number_input", "radio", "toggle", …
    key: str
    values: tuple[object, object]
    network: bool = False  # runs a network: timed with every result forgotten (goal NETWORK_MS)
    query: dict[str, str] = field(default_factory=dict)  # the tab it is on

    @property
    def goal_ms(self) -> int:
        return NETWORK_MS if self.network else NO_NETWORK_MS


#: page script → its most common interactions
PAGES: dict[str, tuple[Interaction, ...]] = {
    "convolution.py": (
        Interaction("calculator: input height", "number_input", "conv_n_h", (7, 6)),
        Interaction("calculator: stride", "number_input", "conv_s", (2, 1)),
        Interaction("animation: input n", "slider", "anim_n", (7, 6), query={"conv_tab": "Animation"}),
        Interaction(
            "edge detection: filter",
            "selectbox",
            "edge_filter",
            ("Sobel vertical", "vertical"),
            query={"conv_tab": "Edge detection"},
        ),
    ),
    "architectures.py": (
        Interaction("explore: model", "selectbox", "arch_model", ("alexnet", "lenet5")),
        Interaction("explore: log scale", "toggle", "arch_explore_log", (False, True)),
        Interaction(
            "blocks: block",
            "radio",
            "arch_block",
            ("identity block (ResNet-50, 2b)", "convolutional block (ResNet-50, 3a, s = 2)"),
            query={"arch_tab": "Residual & Inception blocks"},
        ),
    ),
    "activations.py": (
        Interaction("feature maps: channel", "number_input", "act_channel", (1, 0)),
        Interaction("feature maps: unit row", "number_input", "act_row", (3, 5)),
        Interaction("feature maps: one colour scale", "checkbox", "act_shared", (False, True)),
    ),
    "detection.py": (
        Interaction("score threshold", "slider", "det_score", (0.1, 0.25)),
        Interaction("IoU threshold", "slider", "det_iou", (0.3, 0.45)),
        Interaction(
            "another sample", "selectbox", "det_sample", ("coffee", "stereo_motorcycle"), network=True
        ),
        Interaction(
            "IoU playground: box A x", "slider", "det_iou_A_x", (20, 10), query={"det_tab": "IoU playground"}
        ),
    ),
    "faces.py": (
        Interaction("threshold τ", "slider", "faces_tau", (0.5, 0.6)),
        Interaction(
            "photo B: another sample", "selectbox", "faces_b_sample", ("coffee", "camera"), network=True
        ),
        Interaction(
            "triplet: margin α", "slider", "faces_alpha", (0.3, 0.2), query={"faces_tab": "Triplet loss"}
        ),
    ),
    "style_transfer.py": (
        Interaction("iterations", "slider", "st_steps", (60, 50)),
        Interaction("log₁₀(α/β)", "slider", "st_ratio", (-2.0, -3.0)),
    ),
    "training.py": (
        Interaction("regime", "radio", "tr_regime", ("partial", "head")),
        Interaction("frozen blocks k", "slider", "tr_k", (10, 12), query={"tr_regime": "partial"}),
        Interaction("epochs", "number_input", "tr_epochs", (4, 3)),
        Interaction(
            "augmentation: technique",
            "selectbox",
            "tr_tech",
            ("crop", "mirror"),
            query={"tr_tab": "Data augmentation"},
        ),
    ),
}


def forget_results(app) -> None:
    """Drop what the pages computed (Streamlit's ``st.cache_data`` and the session's ``session_memo``
    entries), keeping the models (``st.cache_resource``): the next run computes its result afresh."""
    import streamlit as st

    st.cache_data.clear()
    for key in [key for key in app.session_state if key.startswith("memo_")]:
        del app.session_state[key]


def rerun_ms(app, interaction: Interaction, runs: int) -> list[float]:
    """Server times of ``runs`` reruns of ``app``, each after setting the control to its next value."""
    times = []
    for run in range(runs):
        getattr(app, interaction.widget)(key=interaction.key).set_value(interaction.values[run % 2])
        if interaction.network:
            forget_results(app)
        start = time.perf_counter()
        app.run()
        times.append((time.perf_counter() - start) * 1000)
    return times


@contextmanager
def as_served() -> Iterator[None]:
    """Script runs as the app's server has them (serve.py): the heap loaded so far frozen, no Keras reset
    after a run."""
    from streamlit.runtime.scriptrunner import script_runner

    import serve

    reset = script_runner._clean_problem_modules
    gc.collect()
    gc.freeze()
    serve.keep_keras_between_runs()
    try:
        yield
    finally:
        script_runner._clean_problem_modules = reset
        gc.unfreeze()


def server_times(script: str, interactions: tuple[Interaction, ...], repeats: int) -> Iterator[tuple]:
    """(interaction, median ms, median ms as the server runs it, exception text) for each interaction of
    one page, in AppTest.

    Once Keras is imported, Streamlit ends every script run with ``keras.backend.clear_session()``, whose
    ``gc.collect()`` scans TensorFlow's ~450,000 objects (~200 ms on an idle core). The second figure is
    the same reruns as ``serve.py`` has them: after ``gc.freeze()`` has taken everything loaded so far out
    of the collector's scans, and without the Keras reset: the page's own cost."""
    from tests.apptest import run_page

    for interaction in interactions:
        app = run_page(script, 600, **interaction.query)
        try:
            getattr(app, interaction.widget)(key=interaction.key)
        except KeyError:
            yield interaction, float("nan"), float("nan"), f"no {interaction.widget} '{interaction.key}'"
            continue
        plain = rerun_ms(app, interaction, 2 + repeats)[2:]  # the first pair warms the caches of both values
        with as_served():
            served = rerun_ms(app, interaction, repeats)
        error = str(app.exception[0].message) if app.exception else ""
        yield interaction, statistics.median(plain), statistics.median(served), error


def print_server_table(pages: list[str], repeats: int) -> None:
    print(f"server time per interaction (AppTest, whole script run; median of {repeats} after warm-up)")
    print(f"  {'page':15s} {'interaction':34s} {'ms':>6s} {'served':>7s} {'goal':>5s}")
    for script in pages:
        for interaction, ms, served, error in server_times(script, PAGES[script], repeats):
            flag = "" if served < interaction.goal_ms else "  over"
            note = f"  ! {error[:70]}" if error else ""
            print(
                f"  {script[:-3]:15s} {interaction.label:34s} {ms:6.0f} {served:7.0f}"
                f" {interaction.goal_ms:5d}{flag}{note}",
                flush=True,
            )


#: installs a promise on the page that resolves, once a script run has started and finished, to
#: [performance.now() when the run ended, performance.now() two painted frames later]; to null when no run
#: started within 10 s
WATCH_RUN = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__settled = new Promise((resolve) => {
    let started = false;
    const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
    const observer = new MutationObserver(() => {
      const state = app.getAttribute("data-test-script-state");
      if (state === "running") started = true;
      else if (started && state === "notRunning") {
        observer.disconnect();
        clearTimeout(timer);
        const ran = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve([ran, performance.now()])));
      }
    });
    observer.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
  });
}"""

#: url path and query → (kind of control, its label): a slider moved with the arrow keys, a toggle clicked
MOVES = {
    "convolution?conv_tab=Animation": ("slider", "input n"),
    "architectures": ("toggle", "log scale"),
    "detection": ("slider", "Score threshold"),
}


def browser_times(repeats: int) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """(page, [(ms from the input to the end of the script run, to the settled page), per move]) for the
    main control of three pages."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_until_idle

    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path, (kind, label) in MOVES.items():
            page.goto(f"{url}/{path}")
            wait_until_idle(page)
            if kind == "slider":
                control = (
                    page.locator("[data-testid='stSlider']").filter(has_text=label).get_by_role("slider")
                )
                control.focus()
            else:
                control = page.get_by_text(label, exact=True)
            times = []
            for move in range(2 + repeats):  # two warm-up moves
                page.evaluate(WATCH_RUN)
                start = page.evaluate("performance.now()")
                if kind == "slider":
                    control.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
                else:
                    control.click()
                ends = page.evaluate("window.__settled")
                if move >= 2 and ends is not None:
                    times.append((ends[0] - start, ends[1] - start))
                wait_until_idle(page)
            yield path, times
        browser.close()


def print_browser_table(repeats: int) -> None:
    print(f"\nbrowser, input → settled page (Chromium; median of {repeats} after two warm-up moves)")
    print(f"  {'page':36s} {'run ends':>9s} {'settled':>8s} {'min':>6s} {'goal':>6s}")
    for path, times in browser_times(repeats):
        if not times:
            print(f"  {path:36s}  no run started after the input")
            continue
        ran = statistics.median(t[0] for t in times)
        settled = [t[1] for t in times]
        median = statistics.median(settled)
        flag = "" if median < BROWSER_MS else "  over"
        print(f"  {path:36s} {ran:9.0f} {median:8.0f} {min(settled):6.0f} {BROWSER_MS:6d}{flag}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", default=",".join(p[:-3] for p in PAGES), help="comma-separated page names")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--no-server", action="store_true", help="skip the AppTest part")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f}")
    if not args.no_server:
        print_server_table([f"{name}.py" for name in args.pages.split(",")], args.repeats)
    if not args.no_browser:
        print_browser_table(args.repeats)


if __name__ == "__main__":
    main()
