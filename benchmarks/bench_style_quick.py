"""The page's "quick demo" preset of the Gatys optimisation, timed as a visitor lives it: from pressing Run
(TensorFlow and EfficientNet-Lite0 not yet loaded) to the first report whose image differs visibly from
the photo, and to the end; then the same run again with the network and the style targets cached.

Run: ``.venv/bin/python -m benchmarks.bench_style_quick [--visible 6]``. Prints figures; asserts nothing.
"Visibly changed" is a mean absolute difference from the content photo of at least ``--visible`` grey
levels (of 255). The seconds per step it prints are the figures ``cnn_core.style.settings.STEP_SECONDS``
holds (the mean over the run after its first report, which traces the step).
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks.timing import peak_rss_mib


def timed_run(backbone, content, style, settings, grams, visible: float) -> dict[str, float]:
    """Seconds to the first visibly changed report and to the end, and seconds per step after the first
    report (grams: the style targets, or None to compute them inside the run)."""
    import numpy as np

    from cnn_core.style.optimize import StyleProblem, run_gatys

    start = time.perf_counter()
    problem = StyleProblem(backbone, content, style, settings, style_grams=grams)
    photo = problem.content.astype(np.float32)
    first_change, reports = None, []
    for report in run_gatys(problem):
        reports.append((report.step, time.perf_counter() - start))
        change = float(np.abs(report.image.astype(np.float32) - photo).mean())
        if first_change is None and change >= visible:
            first_change = (report.step, reports[-1][1], change)
    (step1, t1), (step_n, t_n) = reports[0], reports[-1]
    return {
        "first_report_s": t1,
        "first_change_step": first_change[0] if first_change else float("nan"),
        "first_change_s": first_change[1] if first_change else float("nan"),
        "total_s": t_n,
        "per_step_s": (t_n - t1) / max(1, step_n - step1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visible", type=float, default=6.0, help="grey levels that count as visible")
    args = parser.parse_args()

    start = time.perf_counter()
    from cnn_core.images import sample_image
    from cnn_core.style.optimize import style_targets
    from cnn_core.style.settings import QUICK_DEMO, GatysSettings
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    backbone = build_efficientnet_lite0((None, None, 3))
    load_s = time.perf_counter() - start
    content, style = sample_image("chelsea"), sample_image("flower")
    print(f"CPU cores: {os.cpu_count()}; load TensorFlow + EfficientNet-Lite0: {load_s:.1f} s")

    for name, settings in (("quick demo", QUICK_DEMO), ("default", GatysSettings())):
        begin = time.perf_counter()
        grams = style_targets(backbone, style, settings.size, list(settings.style_layers), settings.smoothing)
        targets_s = time.perf_counter() - begin
        cold = timed_run(backbone, content, style, settings, None, args.visible)
        warm = timed_run(backbone, content, style, settings, grams, args.visible)
        print(
            f"{name} ({settings.size} px, {settings.steps} steps, η={settings.learning_rate}): "
            f"style targets {targets_s:.2f} s; first run: first report {cold['first_report_s']:.1f} s, "
            f"visible change at step {cold['first_change_step']} after {cold['first_change_s']:.1f} s "
            f"(+{load_s:.0f} s loading on a fresh server), total {cold['total_s']:.1f} s; "
            f"second run (targets cached): visible after {warm['first_change_s']:.1f} s, "
            f"total {warm['total_s']:.1f} s; {warm['per_step_s']:.3f} s/step; peak {peak_rss_mib():.0f} MiB"
        )


if __name__ == "__main__":
    main()
