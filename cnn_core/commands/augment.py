"""``augment``: N random draws of one data-augmentation technique applied to a photo, saved as PNGs.

The files are ``DIR/<photo name>_<technique>_<i>.png`` (i = 1..N). The result also holds the photo's
colour PCA (eigenvalues λ and unit eigenvectors p of its RGB covariance, pixels in [0, 1]), which PCA
colour augmentation shifts along.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cnn_core.commands.inputs import checked
from cnn_core.commands.output import format_fields, format_table
from cnn_core.errors import ParameterError
from cnn_core.training.augment import MAX_DRAWS, TECHNIQUES
from cnn_core.training.pca_colour import PCA_SIGMA

SUMMARY = "random draws of a data augmentation (mirror, crop, … PCA colour) as PNGs"
HELP = (
    "Apply one augmentation N times to a photo and save each draw: "
    + ", ".join(f"{name} = {text}" for name, text in TECHNIQUES.items())
    + "."
)


def _technique(name: str) -> None:
    if name not in TECHNIQUES:
        raise ParameterError(f"--technique must be one of {', '.join(TECHNIQUES)}, got '{name}'")


def _draws(n: int) -> None:
    if not 1 <= n <= MAX_DRAWS:
        raise ParameterError(f"-n must be in 1..{MAX_DRAWS}, got {n}")


def _sigma(value: float) -> None:
    if not 0 <= value <= 100:
        raise ParameterError(f"--pca-sigma must be in [0, 100], got {value}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", metavar="IMAGE", help="path of the photo (PNG, JPEG, …)")
    parser.add_argument(
        "--technique", required=True, type=checked(str, _technique), help="one of: " + ", ".join(TECHNIQUES)
    )
    parser.add_argument("-n", type=checked(int, _draws), default=9, help="number of random draws (default 9)")
    parser.add_argument("-o", "--out", required=True, help="folder for the PNG files (made if missing)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--pca-sigma",
        type=checked(float, _sigma),
        default=PCA_SIGMA,
        help=f"σ of the PCA colour α's (default {PCA_SIGMA}, AlexNet's)",
    )


def run(args: argparse.Namespace) -> dict:
    from cnn_core.images import encode_png, load_image

    out = Path(args.out)
    if not out.parent.is_dir() or (out.exists() and not out.is_dir()):
        raise ParameterError(f"--out must name a folder whose parent exists, got '{args.out}'")
    image = load_image(args.image)  # a bad file fails before TensorFlow loads

    from cnn_core.training.augment import augment_grid
    from cnn_core.training.pca_colour import colour_pca

    start = time.perf_counter()
    draws = augment_grid(image, args.technique, args.n, args.seed, args.pca_sigma)
    ms = (time.perf_counter() - start) * 1000.0
    out.mkdir(exist_ok=True)
    files = []
    for i, draw in enumerate(draws, start=1):
        path = out / f"{Path(args.image).stem}_{args.technique}_{i}.png"
        path.write_bytes(encode_png(draw))
        files.append(str(path))
    pca = colour_pca(image)
    return {
        "technique": args.technique,
        "layers": TECHNIQUES[args.technique],
        "files": files,
        "ms": round(ms, 1),
        "pca_eigenvalues": [round(float(v), 6) for v in pca.eigenvalues],
        "pca_eigenvectors": [[round(float(v), 4) for v in pca.eigenvectors[:, i]] for i in range(3)],
    }


def render(result: dict) -> str:
    """The technique, the files written, the time, and the photo's colour PCA."""
    pca = format_table(
        ["i", "λ", "p (R, G, B)"],
        [
            [i + 1, f"{value:.6f}", ", ".join(f"{v:+.4f}" for v in vector)]
            for i, (value, vector) in enumerate(
                zip(result["pca_eigenvalues"], result["pca_eigenvectors"], strict=True)
            )
        ],
    )
    fields = format_fields(
        [
            ("technique", f"{result['technique']}: {result['layers']}"),
            ("wrote", f"{len(result['files'])} files, {result['files'][0]} …"),
            ("time", f"{result['ms']:.1f} ms"),
        ]
    )
    return f"{fields}\n\ncolour PCA of the photo:\n{pca}"
