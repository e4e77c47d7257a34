"""CPU time of each network: Keras through TensorFlow, our onnxruntime translation, an independent reference.

Run: ``.venv/bin/python -m benchmarks.bench_networks [--repeats 15] [--isa both|native|avx2] [--only yolo]
[--threads N]``; ``--threads`` sets TensorFlow's intra-op threads (tf.config.threading), onnxruntime's and
OpenCV's (0: each library's default, one per core).
Prints figures; asserts nothing. Each ISA runs in a child process: "native" uses every instruction this
CPU has; "avx2" caps oneDNN (TensorFlow's convolutions, ``ONEDNN_MAX_CPU_ISA=AVX2``) and OpenCV
(``OPENCV_CPU_DISABLE``, checked with ``cv2.checkHardwareSupport``) at AVX2, the kernels an AVX2-only
CPU runs. onnxruntime has no run-time ISA cap (MLAS picks its kernels by CPUID; only a build option
removes AVX-512), so its "avx2" figures still use AVX-512. Variants of one network are timed in turns
(one call of each per round), so load from other processes falls on all of them alike; each figure is the
median of ``--repeats`` rounds after two warm-up rounds (min in brackets).

What the app runs (cnn_core.fast_inference.predict): onnxruntime for YOLOv3-tiny, MTCNN, the face ResNet
and the landmark net; one tf.function for the style networks, where TensorFlow's kernels win.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

AVX2_ENV = {
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "OPENCV_CPU_DISABLE": "AVX512F,AVX512-SKX,AVX512-COMMON,AVX512-ICL,AVX512-CLX,AVX512-CNL",
}
CV_CPU_AVX512_SKX = 256  # OpenCV's CpuFeatures enum (cv2 does not export the names)


def interleaved_ms(calls: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[float, float]]:
    """(median, min) ms of each call, timed in rounds of one call each after two untimed rounds."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for round_ in range(repeats + 2):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            if round_ >= 2:
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: (statistics.median(t), min(t)) for name, t in times.items()}


def keras_variants(model, *inputs, threads: int = 0) -> dict[str, Callable[[], object]]:
    """Keras through predict_on_batch, one tf.function, one XLA-compiled tf.function; and our ORT graph."""
    import tensorflow as tf

    from cnn_core.fast_inference.keras_onnx import keras_to_onnx
    from cnn_core.fast_inference.onnx_runner import OnnxRunner

    graph = tf.function(lambda *x: model(list(x) if len(x) > 1 else x[0], training=False))
    xla = tf.function(lambda *x: model(list(x) if len(x) > 1 else x[0], training=False), jit_compile=True)
    runner = OnnxRunner(keras_to_onnx(model), threads)
    return {
        "Keras predict_on_batch": lambda: model.predict_on_batch(
            list(inputs) if len(inputs) > 1 else inputs[0]
        ),
        "Keras tf.function": lambda: [t.numpy() for t in tf.nest.flatten(graph(*inputs))],
        "Keras tf.function + XLA": lambda: [t.numpy() for t in tf.nest.flatten(xla(*inputs))],
        "ours: ONNX of the Keras model, onnxruntime": lambda: runner(*inputs),
    }


def onnx_file_variant(file: str, *inputs, threads: int = 0) -> Callable[[], object]:
    """onnxruntime on a published ONNX file, with ``inputs`` in the file's own layout."""
    import onnx

    from cnn_core.fast_inference.onnx_runner import OnnxRunner
    from cnn_core.weights import weight_path

    runner = OnnxRunner(onnx.load(str(weight_path(file))), threads)
    return lambda: runner(*inputs)


def opencv_yolo(blob: np.ndarray) -> Callable[[], object]:
    """OpenCV DNN's YOLOv3-tiny from darknet's own files, called on one letterboxed (S, S, 3) ``blob``."""
    import cv2

    from cnn_core.weights import weight_path

    net = cv2.dnn.readNetFromDarknet(
        str(weight_path("yolov3-tiny.cfg")), str(weight_path("yolov3-tiny.weights"))
    )
    nchw = blob.transpose(2, 0, 1)[None].copy()

    def forward() -> object:
        net.setInput(nchw)
        return net.forward(net.getUnconnectedOutLayersNames())

    return forward


def yolo(size: int, threads: int) -> dict[str, Callable[[], object]]:
    from cnn_core.detection.yolo import letterbox
    from cnn_core.detection.yolov3_tiny import load_yolov3_tiny
    from cnn_core.images import sample_image

    detector = load_yolov3_tiny()
    blob, _ = letterbox(sample_image("stereo_motorcycle"), size)
    opencv = opencv_yolo(blob)
    variants = keras_variants(detector.model, blob[None], threads=threads)
    del variants["Keras predict_on_batch"]  # forward() has always used the tf.function
    return variants | {"reference: OpenCV DNN, darknet files": opencv}


def multistyle(side: int, threads: int) -> dict[str, Callable[[], object]]:
    import numpy as np

    from cnn_core.style.mixing import style_weights
    from cnn_core.style.multistyle import WEIGHTS_FILE, build_multistyle

    x = np.random.default_rng(0).random((1, side, side, 3), np.float32)
    w = style_weights({3: 1.0})[None].astype(np.float32)
    variants = keras_variants(build_multistyle(), x, w, threads=threads)
    published = onnx_file_variant(
        WEIGHTS_FILE, x.transpose(0, 3, 1, 2).copy(), w[0], threads=threads
    )  # NCHW, (26,)
    return variants | {"reference: onnxruntime, published ONNX": published}


def efficientnet(threads: int) -> dict[str, Callable[[], object]]:
    import numpy as np

    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    x = np.random.default_rng(0).uniform(0, 255, (1, 224, 224, 3)).astype(np.float32)
    return keras_variants(build_efficientnet_lite0(), x, threads=threads)


def face_nets(threads: int) -> dict[str, dict[str, Callable[[], object]]]:
    import numpy as np

    from cnn_core.faces.embed import load_embedder
    from cnn_core.faces.landmarks import load_landmark_net
    from cnn_core.faces.mtcnn_nets import load_mtcnn_nets

    rng = np.random.default_rng(0)
    mtcnn = load_mtcnn_nets()
    nets = {
        "MTCNN P-Net 1x240x320": (mtcnn.pnet, (1, 240, 320, 3)),
        "MTCNN R-Net 20x24x24": (mtcnn.rnet, (20, 24, 24, 3)),
        "MTCNN O-Net 5x48x48": (mtcnn.onet, (5, 48, 48, 3)),
        "face ResNet (embedding) 150x150": (load_embedder(), (1, 150, 150, 3)),
        "face landmark net 112x112": (load_landmark_net(), (1, 112, 112, 3)),
    }
    return {
        name: keras_variants(model, rng.uniform(0, 255, shape).astype(np.float32), threads=threads)
        for name, (model, shape) in nets.items()
    }


def yolo_layer_profile(size: int, repeats: int) -> None:
    """Each layer of the Keras YOLOv3-tiny alone in its own tf.function, summed by layer type."""
    import tensorflow as tf

    from cnn_core.detection.yolo import letterbox
    from cnn_core.detection.yolov3_tiny import load_yolov3_tiny
    from cnn_core.images import sample_image

    model = load_yolov3_tiny().model
    values = {id(model.inputs[0]): tf.constant(letterbox(sample_image("stereo_motorcycle"), size)[0][None])}
    per_layer, per_type = {}, {}
    for layer in model.layers[1:]:
        args = (
            [values[id(t)] for t in layer.input] if isinstance(layer.input, list) else values[id(layer.input)]
        )
        function = tf.function(lambda a, layer=layer: layer(a, training=False))
        values[id(layer.output)] = function(args)
        ms = interleaved_ms({"l": lambda f=function, a=args: f(a).numpy()}, repeats)["l"][0]
        per_layer[layer.name] = ms
        per_type[type(layer).__name__] = per_type.get(type(layer).__name__, 0.0) + ms
    print(f"\nYOLOv3-tiny {size}: each Keras layer alone (median ms; sum {sum(per_layer.values()):.1f} ms)")
    print(
        "  by type: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(per_type.items(), key=lambda kv: -kv[1]))
    )
    top = sorted(per_layer.items(), key=lambda kv: -kv[1])[:8]
    print("  slowest: " + ", ".join(f"{k} {v:.1f}" for k, v in top))


def child(isa: str, repeats: int, only: str | None, threads: int) -> None:
    """Time every network in this process (its ISA environment already set by the parent)."""
    from cnn_core.runtime import quiet_tensorflow

    quiet_tensorflow()
    import cv2
    import onnxruntime as ort
    import tensorflow as tf

    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        cv2.setNumThreads(threads)
    skx = cv2.checkHardwareSupport(CV_CPU_AVX512_SKX)
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA", "none")
    print(
        f"\n=== {isa}: {os.cpu_count()} cores; TF {tf.__version__} (oneDNN ISA cap {cap}), OpenCV"
        f" {cv2.__version__} (AVX-512 {'on' if skx else 'off'}), onnxruntime {ort.__version__} (no cap);"
        f" threads {threads or 'default'}"
    )
    tables: dict[str, dict[str, Callable[[], object]]] = {}
    if only in (None, "yolo"):
        tables["YOLOv3-tiny 416x416"] = yolo(416, threads)
    if only in (None, "style"):
        tables["multistyle26 384x384"] = multistyle(384, threads)
    if only in (None, "efficientnet"):
        tables["EfficientNet-Lite0 224x224"] = efficientnet(threads)
    if only in (None, "faces"):
        tables |= face_nets(threads)
    for network, calls in tables.items():
        print(f"{network}:")
        results = interleaved_ms(calls, repeats)
        base = next((k for k in results if k.startswith("reference")), "Keras tf.function")
        for name, (median, least) in results.items():
            ratios = f"×{median / results[base][0]:.2f} (×{least / results[base][1]:.2f})"
            print(f"  {name:44s} {median:7.1f} ms ({least:5.1f})  {ratios} of {base.split(':')[0]}")
    if only in (None, "yolo"):
        yolo_layer_profile(416, max(3, repeats // 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--isa", choices=["both", "native", "avx2"], default="both")
    parser.add_argument("--only", choices=["yolo", "style", "efficientnet", "faces"])
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--child", choices=["native", "avx2"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeats, args.only, args.threads)
        return
    for isa in ("native", "avx2") if args.isa == "both" else (args.isa,):
        env = os.environ | (AVX2_ENV if isa == "avx2" else {})
        command = [
            sys.executable,
            "-m",
            "benchmarks.bench_networks",
            "--child",
            isa,
            "--repeats",
            str(args.repeats),
        ]
        command += ["--threads", str(args.threads)] + (["--only", args.only] if args.only else [])
        subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
