"""``train``: transfer learning on a folder of class folders, with the course's regimes or from scratch.

``DATA_DIR`` holds one sub-folder per class. Unreadable photos are named on stderr and left out; the
run goes on. The result holds the per-epoch curves, the validation accuracy of the kept (best) epoch,
per-class accuracy and the confusion matrix (rows: true class, columns: predicted), the trainable and
frozen parameter counts, and the seconds taken (``feature_seconds``: caching the base's features, in
the head regime).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import asdict

from cnn_core.commands.inputs import checked
from cnn_core.commands.output import format_fields, format_table, print_error
from cnn_core.training.model_path import model_path
from cnn_core.training.regimes import parse_regime
from cnn_core.training.trainer import TrainSettings

SUMMARY = "transfer learning on class folders (head, partial:K, full or scratch)"
HELP = (
    "Train a classifier on DATA_DIR/<class>/<photo> from EfficientNet-Lite0 (ImageNet): head = frozen "
    "base, only a new softmax learns (features cached once); partial:K = the first K of 16 blocks "
    "frozen; full = everything fine-tuned; scratch = random start. Adam on the mean cross-entropy."
)
DEFAULTS = TrainSettings()


def _check_of(field: str) -> Callable[[object], None]:
    """A check of one TrainSettings field, for ``checked``: TrainSettings validates it."""

    def check(value: object) -> None:
        TrainSettings(**{field: value})  # type: ignore[arg-type]

    return check


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data_dir", metavar="DATA_DIR", help="a folder with one sub-folder of photos per class"
    )
    parser.add_argument(
        "--regime",
        type=checked(str, parse_regime),
        default="head",
        help="head (default), partial:K, full, scratch",
    )
    options: list[tuple[str, Callable[[str], object], str, object]] = [
        ("--epochs", int, "epochs", DEFAULTS.epochs),
        ("--batch-size", int, "batch_size", DEFAULTS.batch_size),
        ("--lr", float, "learning_rate", DEFAULTS.learning_rate),
        ("--val", float, "validation_fraction", DEFAULTS.validation_fraction),
        ("--seed", int, "seed", DEFAULTS.seed),
    ]
    for flag, kind, field, default in options:
        parser.add_argument(
            flag,
            dest=field,
            type=checked(kind, _check_of(field)),
            metavar=flag.lstrip("-").upper().replace("-", "_"),
            default=default,
            help=f"{field.replace('_', ' ')} (default {default})",
        )
    parser.add_argument(
        "--augment", action="store_true", help="augment the training photos (combined pipeline)"
    )
    parser.add_argument("-o", "--out", help="write the trained classifier to this .keras file")


def run(args: argparse.Namespace) -> dict:
    from cnn_core.training.dataset import read_folder

    settings = TrainSettings(
        args.epochs, args.batch_size, args.learning_rate, args.validation_fraction, args.seed, args.augment
    )
    regime = parse_regime(args.regime)
    out = model_path(args.out) if args.out else None  # a bad path fails before any training
    data = read_folder(args.data_dir)  # bad layouts fail before TensorFlow loads
    for message in data.skipped:
        print_error(f"skipped {message}")

    from cnn_core.training.transfer import TransferTraining, save_classifier

    start = time.perf_counter()
    run = TransferTraining(data, regime, settings)
    records = [asdict(record) for record in run.epochs()]
    result = run.validation()
    if out is not None:
        save_classifier(run.classifier(), out)
    counts = run.counts
    return {
        "classes": list(data.class_names),
        "photos": data.counts,
        "skipped": list(data.skipped),
        "regime": str(regime),
        "trainable": counts.trainable,
        "frozen": counts.frozen,
        "epochs": records,
        "best_epoch": run.trainer.best_epoch,
        "message": run.trainer.message,
        "val_accuracy": result.accuracy,
        "per_class": dict(zip(data.class_names, result.per_class, strict=True)),
        "confusion": result.matrix.tolist(),
        "feature_seconds": None if run.feature_seconds is None else round(run.feature_seconds, 2),
        "seconds": round(time.perf_counter() - start, 2),
        "out": None if out is None else str(out),
    }


def _percent(value: float | None) -> str:
    return "?" if value is None else f"{100 * value:.1f}%"


def render(result: dict) -> str:
    """The curves as a table, then the kept epoch's validation scores and the confusion matrix."""
    curves = format_table(
        ["epoch", "loss", "accuracy", "val loss", "val accuracy", "s"],
        [
            [
                r["epoch"],
                f"{r['loss']:.4f}",
                _percent(r["accuracy"]),
                "?" if r["val_loss"] is None else f"{r['val_loss']:.4f}",
                _percent(r["val_accuracy"]),
                f"{r['seconds']:.1f}",
            ]
            for r in result["epochs"]
        ],
    )
    names = result["classes"]
    confusion = format_table(
        ["true \\ predicted", *names],
        [[name, *row] for name, row in zip(names, result["confusion"], strict=True)],
    )
    fields = [
        ("regime", result["regime"]),
        ("parameters", f"{result['trainable']:,} trainable, {result['frozen']:,} frozen"),
        ("best epoch", result["best_epoch"]),
        ("val accuracy", _percent(result["val_accuracy"])),
        *((f"  {name}", _percent(value)) for name, value in result["per_class"].items()),
        ("seconds", result["seconds"]),
    ]
    if result["feature_seconds"] is not None:
        fields.append(("caching features", f"{result['feature_seconds']} s (once)"))
    if result["out"]:
        fields.append(("wrote", result["out"]))
    text = f"{curves}\n\n{format_fields(fields)}\n\n{confusion}"
    return f"{text}\n\n{result['message']}" if result["message"] else text
