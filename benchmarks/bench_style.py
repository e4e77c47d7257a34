"""Style-transfer figures: Gatys seconds per iteration (Adam, L-BFGS) at 256 and 512 px, the fast networks'
milliseconds per image at 384 px (our Keras rebuilds and, for reference, onnxruntime on the original
files), and the process's peak memory after each stage.

Run: ``.venv/bin/python -m benchmarks.bench_style [--steps 10] [--repeats 5]``. Prints figures; asserts
nothing. Gatys times exclude the first report of ``--steps`` steps (it traces the tf.function); fast
times are the median of ``--repeats`` calls after one warm-up call.
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks.timing import median_ms, peak_rss_mib


def gatys_seconds_per_step(backbone, content, style, size: int, optimizer: str, steps: int) -> float:
    """Seconds per step over the second of two reports of ``steps`` steps (the first one traces)."""
    from cnn_core.style.optimize import StyleProblem, run_gatys
    from cnn_core.style.settings import GatysSettings

    settings = GatysSettings(size=size, steps=2 * steps, report_every=steps, optimizer=optimizer)
    reports = list(run_gatys(StyleProblem(backbone, content, style, settings)))
    return (reports[-1].elapsed_s - reports[0].elapsed_s) / (reports[-1].step - reports[0].step)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    import numpy as np
    import onnxruntime as ort

    from cnn_core.images import sample_image
    from cnn_core.style.arbitrary import (
        build_style_predictor,
        build_style_transformer,
        style_vector,
        stylize_arbitrary,
    )
    from cnn_core.style.image_ops import center_square, fit_longer_side, pad_to_multiple, to_unit
    from cnn_core.style.mixing import NUM_STYLES, style_weights
    from cnn_core.style.multistyle import build_multistyle, stylize_every_style, stylize_multistyle
    from cnn_core.weights import weight_path
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    content, style = sample_image("chelsea"), sample_image("flower")
    print(f"CPU cores: {os.cpu_count()}; peak memory at start: {peak_rss_mib():.0f} MiB")

    start = time.perf_counter()
    backbone = build_efficientnet_lite0((None, None, 3))
    print(f"build EfficientNet-Lite0: {time.perf_counter() - start:.1f} s; peak {peak_rss_mib():.0f} MiB")
    for size in (256, 512):
        for optimizer in ("adam", "lbfgs"):
            seconds = gatys_seconds_per_step(backbone, content, style, size, optimizer, args.steps)
            print(
                f"Gatys {optimizer:5s} at {size} px: {seconds:.3f} s/iteration; peak {peak_rss_mib():.0f} MiB"
            )

    multistyle = build_multistyle()
    predictor, transformer = build_style_predictor(), build_style_transformer()
    photo = fit_longer_side(content, 384)
    weights = style_weights({19: 1.0})
    vector = style_vector(predictor, style)
    figures = {
        "multistyle (26 styles)": lambda: stylize_multistyle(multistyle, photo, weights),
        "arbitrary: predictor (256x256)": lambda: style_vector(predictor, style),
        "arbitrary: transformer": lambda: stylize_arbitrary(transformer, content, vector, 384),
    }
    for name, call in figures.items():
        print(f"{name} at 384 px (Keras): {median_ms(call, args.repeats):.0f} ms/image")
    tile = fit_longer_side(content, 112)  # the page's sheet of every style
    sheets = {
        "one by one": lambda: [
            stylize_multistyle(multistyle, tile, style_weights({k: 1.0})) for k in range(NUM_STYLES)
        ],
        "one batch": lambda: stylize_every_style(multistyle, tile),
    }
    for name, call in sheets.items():
        ms = median_ms(call, args.repeats)
        print(f"the sheet of all {NUM_STYLES} styles at 112 px, {name}: {ms:.0f} ms")

    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = lambda name: ort.InferenceSession(str(weight_path(name)), options)  # noqa: E731
    square = to_unit(center_square(content, 384))[None]
    multi, predict, transform = (
        session(f"{name}.onnx") for name in ("multistyle26", "arbitrary_predict", "arbitrary_transform")
    )
    padded = pad_to_multiple(to_unit(photo), 4)  # (H', W', 3), as stylize_multistyle feeds its network
    multi_input = {"image": padded.transpose(2, 0, 1)[None].copy(), "style_weights": weights}
    references = {
        "multistyle (26 styles)": lambda: multi.run(None, multi_input),
        "arbitrary: predictor (256x256)": lambda: predict.run(None, {"style_image": square[:, :256, :256]}),
        "arbitrary: transformer": lambda: transform.run(
            None, {"content_image": square, "mobilenet_conv/Conv/BiasAdd": vector.reshape(1, 1, 1, -1)}
        ),
    }
    for name, call in references.items():
        print(f"{name} at 384 px (onnxruntime, int8 file): {median_ms(call, args.repeats):.0f} ms/image")
    print(f"peak memory at the end: {peak_rss_mib():.0f} MiB (numpy {np.__version__})")


if __name__ == "__main__":
    main()
