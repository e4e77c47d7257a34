"""YOLOv3-tiny speed and memory: our model vs OpenCV DNN on the same weights, end to end, and the page.

Run: ``.venv/bin/python -m benchmarks.bench_detection [--repeats 15]``. Prints figures; asserts nothing.
Network times are the median of ``--repeats`` calls after two warm-up calls, on the same 416x416 blob.
``forward`` runs onnxruntime on the Keras model's ONNX translation; the Keras model itself is timed too.
``benchmarks/bench_networks.py`` compares the runtimes in turns, also with AVX2-only kernels.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_networks import opencv_yolo
from benchmarks.timing import peak_rss_mib, timings_ms

ROOT = Path(__file__).resolve().parents[1]


def median_and_min_ms(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, min) wall time of ``call`` in ms after two untimed calls."""
    times = timings_ms(call, repeats, warmup=2)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats

    import cv2
    import tensorflow as tf

    from cnn_core.detection.pipeline import detect
    from cnn_core.detection.yolo import letterbox
    from cnn_core.detection.yolov3_tiny import load_yolov3_tiny
    from cnn_core.images import sample_image

    devices = [d.device_type for d in tf.config.list_physical_devices()]
    print(f"machine: {os.cpu_count()} CPU cores; TF {tf.__version__} on {devices}; OpenCV {cv2.__version__}")
    print(f"peak RSS after importing TensorFlow: {peak_rss_mib():.0f} MiB")

    start = time.perf_counter()
    detector = load_yolov3_tiny()
    print(f"load YOLOv3-tiny (cfg + weights, sha256 checked): {(time.perf_counter() - start) * 1000:.0f} ms")
    image = sample_image("stereo_motorcycle")
    blob, _ = letterbox(image, 416)
    start = time.perf_counter()
    detector.forward(blob)
    print(
        f"first call (translates to ONNX, opens onnxruntime): {(time.perf_counter() - start) * 1000:.0f} ms"
    )

    opencv_forward = opencv_yolo(blob)
    print(f"\nnetwork only, 416x416, median of {repeats} after warm-up (min in brackets):")
    graph = tf.function(lambda x: detector.model(x, training=False))
    forward_ms = median_and_min_ms(lambda: detector.forward(blob), repeats)
    keras_ms = median_and_min_ms(lambda: [t.numpy() for t in graph(blob[None])], repeats)
    opencv_ms = median_and_min_ms(opencv_forward, repeats)
    eager_ms = median_and_min_ms(lambda: detector.model(blob[None], training=False), repeats)
    print(f"  ours, forward (onnxruntime)     {forward_ms[0]:7.1f} ms  ({forward_ms[1]:.1f})")
    print(f"  ours, Keras via tf.function     {keras_ms[0]:7.1f} ms  ({keras_ms[1]:.1f})")
    print(f"  ours, Keras eager model(x)      {eager_ms[0]:7.1f} ms  ({eager_ms[1]:.1f})")
    print(f"  OpenCV DNN, same weights        {opencv_ms[0]:7.1f} ms  ({opencv_ms[1]:.1f})")

    print(f"\nend to end (letterbox + network + decode + threshold + NMS), median of {repeats}:")
    for name in ("stereo_motorcycle", "coffee", "astronaut"):
        picture = sample_image(name)
        total, _ = median_and_min_ms(lambda picture=picture: detect(detector, picture), repeats)
        stages = detect(detector, picture).ms
        parts = ", ".join(f"{k} {v:.1f}" for k, v in stages.items() if k != "total")
        print(f"  {name:18s} {picture.shape[1]}x{picture.shape[0]}: {total:6.1f} ms  ({parts})")
    for size in (320, 608):
        total, _ = median_and_min_ms(lambda size=size: detect(detector, image, size=size), repeats)
        print(f"  stereo_motorcycle at size {size}: {total:6.1f} ms")
    print(f"peak RSS after the model runs: {peak_rss_mib():.0f} MiB")

    page_times()
    print(f"peak RSS at the end (model + page): {peak_rss_mib():.0f} MiB")


def page_times() -> None:
    """The detection page's script run in AppTest: first open, another image, a threshold change."""
    from streamlit.testing.v1 import AppTest

    page = str(ROOT / "app_pages" / "detection.py")
    print("\npage (AppTest, whole script run incl. drawing the step-by-step tab):")
    start = time.perf_counter()
    at = AppTest.from_file(page, default_timeout=300).run()
    print(
        f"  first open (loads the model, stereo_motorcycle): {(time.perf_counter() - start) * 1000:7.0f} ms"
    )
    start = time.perf_counter()
    at.selectbox(key="det_sample").set_value("coffee").run()
    print(
        f"  another sample image (network runs):             {(time.perf_counter() - start) * 1000:7.0f} ms"
    )
    start = time.perf_counter()
    at.slider(key="det_score").set_value(0.1).run()
    print(
        f"  move the score threshold (network output cached): {(time.perf_counter() - start) * 1000:7.0f} ms"
    )
    if at.exception:
        print(f"  page raised: {at.exception}")


if __name__ == "__main__":
    main()
