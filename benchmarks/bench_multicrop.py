"""10-crop and ensemble costs: EfficientNet-Lite0 on one crop vs ten (one batch, or ten calls), and one
LeNet-5 vs the two-network ensemble on the 1,000 held-out MNIST digits.

Run: ``.venv/bin/python -m benchmarks.bench_multicrop [--repeats 5]``. Prints figures; asserts nothing.
Times are the median of ``--repeats`` calls after one warm-up call.
"""

from __future__ import annotations

import argparse
import os

from benchmarks.timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats

    from cnn_core.activations.classify import classify
    from cnn_core.activations.ensemble import ensemble_members, member_probabilities
    from cnn_core.activations.multicrop import ten_crop_classify, ten_crop_input, ten_crops
    from cnn_core.architectures.summary import summarize
    from cnn_core.images import sample_image
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0
    from cnn_core.zoo.lenet5_mnist import mnist_split

    print(f"CPU cores visible: {os.cpu_count()}; median of {repeats} after one warm-up call")
    model = build_efficientnet_lite0()
    macs = summarize(model).macs
    photo = sample_image("chelsea")
    views = ten_crops(ten_crop_input(photo))  # (10, 224, 224, 3)
    single = median_ms(lambda: model(views[:1], training=False), repeats)
    batch = median_ms(lambda: model(views, training=False), repeats)
    separate = median_ms(lambda: [model(views[k : k + 1], training=False) for k in range(10)], repeats)
    print(f"EfficientNet-Lite0, {macs / 1e6:,.0f} M multiply-adds per 224x224 crop")
    print(f"  single crop (centre), 1 forward pass:      {single:8.1f} ms")
    print(f"  10 crops, one batch of 10:                 {batch:8.1f} ms  ({batch / single:.1f}x)")
    print(f"  10 crops, ten calls of 1:                  {separate:8.1f} ms  ({separate / single:.1f}x)")
    whole = median_ms(lambda: classify(model, photo), repeats)
    ten = median_ms(lambda: ten_crop_classify(model, photo), repeats)
    print(f"  whole photo resized + classify (page):     {whole:8.1f} ms")
    print(f"  10-crop classify (resize, crop, batch):    {ten:8.1f} ms  ({ten / whole:.1f}x)")

    members = ensemble_members()
    x_test = mnist_split()[1]
    one = median_ms(lambda: member_probabilities(members[:1], x_test), repeats)
    two = median_ms(lambda: member_probabilities(members, x_test), repeats)
    print(
        f"LeNet-5, {summarize(members[0]).macs / 1e6:.2f} M multiply-adds per digit; {len(x_test):,} digits"
    )
    print(f"  one network:                               {one:8.1f} ms")
    print(f"  ensemble of two:                           {two:8.1f} ms  ({two / one:.1f}x)")


if __name__ == "__main__":
    main()
