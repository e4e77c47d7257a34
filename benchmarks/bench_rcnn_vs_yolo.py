"""R-CNN (proposals + N crops) vs YOLOv3-tiny's single pass vs sliding windows vs the convolutional map.

Run: ``.venv/bin/python -m benchmarks.bench_rcnn_vs_yolo [--repeats 3] [--regions 20]``. Prints figures;
asserts nothing. Each figure is the median of ``--repeats`` calls after one untimed call, on scikit-image's
``astronaut`` (512x512) and ``coffee`` (600x400), with the page's defaults: felzenszwalb scale 200, the
first 20 proposals, 160-pixel windows at stride 80, YOLO at 416.
"""

from __future__ import annotations

import argparse

from benchmarks.timing import median_ms

IMAGES = ("astronaut", "coffee")
WINDOW, STRIDE = 160, 80


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--regions", type=int, default=20)
    args = parser.parse_args()

    from cnn_core.detection.conv_windows import any_size_trunk, conv_class_map
    from cnn_core.detection.pipeline import run_network
    from cnn_core.detection.proposals import propose_regions
    from cnn_core.detection.rcnn import classify_regions
    from cnn_core.detection.sliding_windows import window_boxes
    from cnn_core.detection.yolov3_tiny import load_yolov3_tiny
    from cnn_core.images import sample_image
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    classifier = build_efficientnet_lite0()
    trunk = any_size_trunk(classifier)
    kernel, bias = classifier.get_layer("logits").get_weights()
    yolo = load_yolov3_tiny()
    print(f"{'image':<10} {'method':<38} {'median ms':>10} {'per item':>12}")
    for name in IMAGES:
        image = sample_image(name)
        height, width = image.shape[:2]
        boxes = propose_regions(image)[: args.regions]
        windows = window_boxes(height, width, WINDOW, STRIDE)
        proposals = median_ms(lambda image=image: propose_regions(image), args.repeats)
        crops = median_ms(lambda i=image, b=boxes: classify_regions(classifier, i, b), args.repeats)
        sliding = median_ms(lambda i=image, w=windows: classify_regions(classifier, i, w), args.repeats)
        conv = median_ms(lambda i=image: conv_class_map(trunk, kernel, bias, i, WINDOW), args.repeats)
        single = median_ms(lambda i=image: run_network(yolo, i, 416), args.repeats)
        positions = conv_class_map(trunk, kernel, bias, image, WINDOW).boxes.shape[0]
        rows = (
            ("R-CNN: selective search", proposals, ""),
            (f"R-CNN: classify {len(boxes)} crops", crops, f"{crops / len(boxes):.1f} ms/crop"),
            ("R-CNN: total", proposals + crops, ""),
            ("YOLOv3-tiny: one pass at 416", single, ""),
            (f"sliding windows: {len(windows)} crops", sliding, f"{sliding / len(windows):.1f} ms/win"),
            (f"convolutional map: {positions} windows", conv, f"{conv / positions:.1f} ms/win"),
        )
        for method, ms, per in rows:
            print(f"{name:<10} {method:<38} {ms:>10.1f} {per:>12}")
        print(
            f"{name:<10} R-CNN / YOLO = {(proposals + crops) / single:.0f}x, "
            f"sliding / map = {sliding / conv:.1f}x"
        )


if __name__ == "__main__":
    main()
