"""Activations page figures: classify one photo, every feature map of one photo, a top-patch search over
50 images, Grad-CAM, and the receptive-field table (analytic and gradient check) of ResNet-50.

Run: ``.venv/bin/python -m benchmarks.bench_activations [--repeats 5]``. Prints figures; asserts nothing.
Times are the median of ``--repeats`` calls after one warm-up call.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats

    from cnn_core.activations.classify import classifier_input, classify
    from cnn_core.activations.feature_maps import feature_model, grad_cam, map_layers, top_patches
    from cnn_core.activations.receptive_field import receptive_fields
    from cnn_core.activations.receptive_field_check import gradient_windows
    from cnn_core.images import SAMPLE_NAMES, sample_image
    from cnn_core.zoo import build_model
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    start = time.perf_counter()
    model = build_efficientnet_lite0()
    print(f"build EfficientNet-Lite0 + load weights: {(time.perf_counter() - start) * 1000:.0f} ms")
    photo = sample_image("chelsea")
    ms = median_ms(lambda: classify(model, photo), repeats)
    print(f"classify one photo (224x224, after warm-up): {ms:.1f} ms")
    x = classifier_input(photo)
    layers = map_layers(model)
    every_map = feature_model(model, layers)
    ms = median_ms(lambda: every_map(x[None], training=False), repeats)
    floats = sum(int(np.prod(model.get_layer(n).output.shape[1:])) for n in layers)
    print(f"all {len(layers)} feature maps of one photo ({floats / 1e6:.1f} M values): {ms:.1f} ms")

    layer = "block3a_expand_activation"
    inputs = np.stack(
        [
            classifier_input(sample_image(SAMPLE_NAMES[i % len(SAMPLE_NAMES)])[:, :: 1 + i // 10])
            for i in range(50)
        ]
    )  # 50 distinct inputs: the samples, squeezed 1-5x
    pictures = inputs.astype(np.uint8)
    rf = {t.name: t for t in receptive_fields(model)}[layer]
    extractor = feature_model(model, [layer])

    def search() -> None:
        maps = np.concatenate([np.asarray(extractor(inputs[i : i + 25])[layer]) for i in (0, 25)])[..., 5]
        top_patches(maps, pictures, rf)

    print(f"top-9 patch search over 50 images ({layer}, one channel): {median_ms(search, repeats):.0f} ms")
    ms = median_ms(lambda: grad_cam(model, x, "top_activation", 285), repeats)
    print(f"Grad-CAM (top_activation, class 285): {ms:.0f} ms")

    resnet = build_model("resnet50")
    table_ms = median_ms(lambda: receptive_fields(resnet), repeats)
    table = receptive_fields(resnet)
    print(f"receptive-field table of ResNet-50 ({len(table)} layers, analytic): {table_ms:.1f} ms")
    deepest = [t for t in table if t.spatial and t.window(t.rows.n // 2, t.cols.n // 2)[0] >= 0][-1]
    start = time.perf_counter()
    gradient_windows(resnet, [(deepest.name, deepest.rows.n // 2, deepest.cols.n // 2)])
    ms = (time.perf_counter() - start) * 1000
    print(f"gradient check of one ResNet-50 unit ({deepest.name}, copy + backprop): {ms:.0f} ms")


if __name__ == "__main__":
    main()
