"""Convolution page figures: app start-up to first paint, one page rerun, numpy vs TensorFlow conv.

Run: .venv/bin/python -m benchmarks.bench_convolution   (prints figures; asserts nothing)
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.timing import median_ms

ROOT = Path(__file__).resolve().parents[1]


def startup_to_first_paint() -> float:
    """Seconds from `streamlit run app.py` until Chromium shows the home page's title."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port

    port = _free_port()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                    break
                except Exception:
                    time.sleep(0.1)
            page.get_by_text("CNN Lab", exact=False).first.wait_for(timeout=60_000)
            page.locator("h1").first.wait_for(timeout=60_000)
            return time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=10)
            browser.close()


def page_rerun_ms() -> float:
    """Server time of one Convolution-page run (Animation tab open) after a slider change (AppTest)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app_pages/convolution.py"), default_timeout=60)
    app.query_params["conv_tab"] = "Animation"
    app.run()
    sizes = itertools.cycle(range(3, 11))

    def change_slider() -> None:
        app.slider(key="anim_n").set_value(next(sizes)).run()

    change_slider()  # warm-up
    return median_ms(change_slider, 10)


def conv_numpy_vs_tf() -> tuple[float, float]:
    import tensorflow as tf

    from cnn_core.conv.reference import cross_correlate2d

    rng = np.random.default_rng(0)
    image = rng.random((224, 224, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 64)).astype(np.float32)
    batch, weights = tf.constant(image[None]), tf.constant(kernel)
    tf.nn.conv2d(batch, weights, 1, "SAME")  # warm-up
    numpy_ms = median_ms(lambda: cross_correlate2d(image, kernel, padding="same"), 5)
    tf_ms = median_ms(lambda: tf.nn.conv2d(batch, weights, 1, "SAME").numpy(), 20)
    return numpy_ms, tf_ms


if __name__ == "__main__":
    print(f"streamlit start → home page painted in Chromium: {startup_to_first_paint():.2f} s")
    print(f"Convolution page rerun after a slider change (median of 10): {page_rerun_ms():.0f} ms")
    numpy_ms, tf_ms = conv_numpy_vs_tf()
    print(
        f"224x224x3 * 64 filters 3x3 'same': numpy reference {numpy_ms:.1f} ms, tf.nn.conv2d {tf_ms:.1f} ms "
        f"({numpy_ms / tf_ms:.1f}x)"
    )
