"""Training figures: caching EfficientNet-Lite0 features for N photos, a head epoch on cached features,
partial and full fine-tuning epochs at 224 px, the plain-vs-residual comparison's total time, peak RSS.

Run: ``.venv/bin/python -m benchmarks.bench_training [--photos 48] [--epochs 2]``. Prints figures;
asserts nothing. Epoch times are the last of ``--epochs`` epochs (the first one traces the step).
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks.timing import peak_rss_mib


def epoch_seconds(
    data, regime_text: str, epochs: int, pretrained, augment: bool = False
) -> tuple[float, object]:
    """Seconds of the last epoch of a run (batch 16), and the run."""
    from cnn_core.training.regimes import parse_regime
    from cnn_core.training.trainer import TrainSettings
    from cnn_core.training.transfer import TransferTraining

    settings = TrainSettings(epochs=epochs, batch_size=16, validation_fraction=0.25, augment=augment)
    run = TransferTraining(data, parse_regime(regime_text), settings, pretrained)
    records = list(run.epochs())
    return records[-1].seconds, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=48, help="photos in the data set (multiple of 3)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--skip-compare", action="store_true", help="leave out the plain-vs-residual run")
    args = parser.parse_args()

    import numpy as np

    from cnn_core.training.dataset import ImageSet, sample_set
    from cnn_core.training.depth_compare import CompareSettings, compare_depths
    from cnn_core.training.regimes import Regime, build_base
    from cnn_core.training.trainer import base_features
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    print(f"CPU cores: {os.cpu_count()}; peak memory at start: {peak_rss_mib():.0f} MiB")
    textures = sample_set()
    reps = -(-args.photos // len(textures.labels))
    data = ImageSet(
        np.tile(textures.images, (reps, 1, 1, 1))[: args.photos],
        np.tile(textures.labels, reps)[: args.photos],
        textures.class_names,
    )
    start = time.perf_counter()
    lite0 = build_efficientnet_lite0()
    print(f"build EfficientNet-Lite0: {time.perf_counter() - start:.1f} s; peak {peak_rss_mib():.0f} MiB")

    base = build_base(lite0, Regime("head"), 224)
    base_features(base, data.images[:4])  # warm-up: the first call traces
    start = time.perf_counter()
    base_features(base, data.images)
    cached = time.perf_counter() - start
    print(f"feature caching for {len(data.labels)} photos at 224 px: {cached:.2f} s "
          f"({1000 * cached / len(data.labels):.0f} ms/photo); peak {peak_rss_mib():.0f} MiB")  # fmt: skip

    for regime in ("head", "partial:12", "partial:6", "full"):
        seconds, run = epoch_seconds(data, regime, args.epochs, lite0)
        counts = run.counts
        print(
            f"{regime:10s} epoch over {len(run.train_idx)} photos: {seconds:.2f} s "
            f"({counts.trainable:,} trainable); peak {peak_rss_mib():.0f} MiB"
        )
    seconds, _ = epoch_seconds(data, "head", args.epochs, lite0, augment=True)
    print(
        f"head + augmentation (4 copies, featurised once) epoch: {seconds:.2f} s; "
        f"peak {peak_rss_mib():.0f} MiB"
    )

    if not args.skip_compare:
        start = time.perf_counter()
        points = list(compare_depths(CompareSettings()))
        total = time.perf_counter() - start
        last = {(p.kind, p.depth): p.train_error for p in points}
        errors = ", ".join(f"{kind} {depth}: {error:.3f}" for (kind, depth), error in sorted(last.items()))
        print(f"plain-vs-residual comparison (page settings): {total:.0f} s; final training errors {errors}")
    print(f"peak memory at the end: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
