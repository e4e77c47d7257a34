"""Record a longer plain-versus-residual run and save its curves as assets/training/resnet_curves.json.

    .venv/bin/python scripts/record_resnet_curves.py [--epochs 6] [--depths 8 20 44 56]

The Training page draws these curves (dotted, "recorded") beside the live ones. Same networks, digits,
optimiser and seed as the page's live comparison (``CompareSettings``), with more digits, epochs and
depths. Prints each network's final training and test error and the seconds it took.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, replace

from cnn_core.training.depth_compare import CompareSettings, compare_depths
from cnn_core.weights import ASSETS_DIR

OUTPUT = ASSETS_DIR / "training" / "resnet_curves.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--depths", type=int, nargs="+", default=[8, 20, 44, 56])
    parser.add_argument("--train", type=int, default=4000)
    args = parser.parse_args()
    settings = replace(
        CompareSettings(),
        depths=tuple(args.depths),
        epochs=args.epochs,
        train_count=args.train,
        test_count=1000,
    )
    start = time.perf_counter()
    points = list(compare_depths(settings))
    seconds = time.perf_counter() - start
    last = {(p.kind, p.depth): p for p in points}
    for (kind, depth), point in sorted(last.items()):
        print(
            f"{kind:8s} {depth:3d} layers: training error {point.train_error:.3f}, "
            f"test error {point.test_error:.3f}, {point.seconds:.0f} s"
        )
    note = (
        f"{settings.epochs} epochs on {settings.train_count:,} digits, depths "
        f"{', '.join(map(str, settings.depths))}, recorded by scripts/record_resnet_curves.py "
        f"in {seconds:.0f} s"
    )
    payload = {
        "note": note,
        "settings": {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(settings).items()},
        "points": [
            {**asdict(p), "train_error": round(p.train_error, 4), "test_error": round(p.test_error, 4),
             "seconds": round(p.seconds, 1), "epoch": round(p.epoch, 4)}
            for p in points
        ],
    }  # fmt: skip
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} B) in {seconds:.0f} s")


if __name__ == "__main__":
    main()
