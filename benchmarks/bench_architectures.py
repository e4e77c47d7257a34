"""Architecture explorer figures: build + table time per model (first and cached), drawing, page rerun.

Run: .venv/bin/python -m benchmarks.bench_architectures   (prints figures; asserts nothing)
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" warnings of cache use outside the app

MODELS = ("lenet5", "lenet5-1998", "alexnet", "vgg16", "vgg19", "resnet50", "plain50", "inception-v1")


def _seconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    start = time.perf_counter()
    import keras  # noqa: F401

    print(f"import keras: {time.perf_counter() - start:.2f} s\n")
    from app_support.architectures.cache import block_dot, zoo_summary
    from cnn_core.architectures.summary import summarize
    from cnn_core.zoo import build_model

    print(f"{'model':<14}{'params':>14}{'MACs':>16}{'build s':>9}{'table s':>9}{'cached ms':>11}")
    for name in MODELS:
        build, model = _seconds(lambda name=name: build_model(name))
        table, summary = _seconds(lambda model=model: summarize(model))
        del model
        zoo_summary(name)  # the page's cached loader: first call builds again, then it is cached
        cached, _ = _seconds(lambda name=name: zoo_summary(name))
        print(
            f"{name:<14}{summary.total_params:>14,}{summary.macs:>16,}{build:>9.2f}{table:>9.3f}"
            f"{cached * 1000:>11.3f}"
        )

    for title in ("convolutional block (ResNet-50, 3a, s = 2)", "Inception module 3a (paper, 5x5)"):
        first, _ = _seconds(lambda title=title: block_dot(title))
        again, _ = _seconds(lambda title=title: block_dot(title))
        print(f"\ndrawing '{title}': first {first:.2f} s, cached {again * 1000:.3f} ms")

    from streamlit.testing.v1 import AppTest

    for label, params in (("lenet5 (default)", {}), ("vgg16", {"model": "vgg16"})):
        at = AppTest.from_file(str(ROOT / "app_pages" / "architectures.py"), default_timeout=300)
        at.query_params.update(params)
        first, _ = _seconds(at.run)
        again, _ = _seconds(at.run)
        print(f"page run, {label}: first {first:.2f} s (imports + build), rerun {again:.2f} s")


if __name__ == "__main__":
    main()
