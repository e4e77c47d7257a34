"""``style``: neural style transfer of one content photo in the style of another picture, saved as PNG.

``--method gatys`` optimises the pixels (the course's algorithm, EfficientNet-Lite0 features);
``arbitrary`` runs Magenta's predictor + transformer; ``multistyle:N`` paints in learned style N (0-25).
``final_costs`` is the course's J of the saved image for every method (for the fast ones it is evaluated
after the fact), so methods can be compared; ``ms`` times the stylisation, not the model loading.
"""

from __future__ import annotations

import argparse
import time

from cnn_core.commands.output import format_fields, png_path
from cnn_core.errors import ParameterError
from cnn_core.style.settings import GatysSettings

SUMMARY = "paint a photo in the style of a picture (Gatys or a fast network)"
HELP = (
    "Neural style transfer: minimise J(G) = α·J_content(C,G) + β·Σλ·J_style(S,G) over the pixels of G "
    "(gatys), or paint with a feed-forward network (arbitrary, multistyle:N for N in 0..25)."
)
METHODS = ("gatys", "arbitrary", "multistyle:N")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("content", help="path of the content photo (PNG, JPEG, …)")
    parser.add_argument("style", help="path of the style picture")
    parser.add_argument("-o", "--out", required=True, help="where to write the result (PNG)")
    parser.add_argument("--method", default="gatys", help="gatys (default), arbitrary or multistyle:N")
    parser.add_argument(
        "--size",
        type=int,
        default=GatysSettings.size,
        help=f"longer side of the result in pixels (default {GatysSettings.size})",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=GatysSettings.steps,
        help=f"optimisation steps for gatys (default {GatysSettings.steps})",
    )


def parse_method(text: str) -> tuple[str, int | None]:
    """``"gatys"`` → ("gatys", None); ``"multistyle:7"`` → ("multistyle", 7).

    >>> parse_method("multistyle:7")
    ('multistyle', 7)
    """
    from cnn_core.style.mixing import NUM_STYLES

    name, _, index = text.partition(":")
    if name in {"gatys", "arbitrary"} and not index:
        return name, None
    if name == "multistyle" and index.isdigit() and int(index) < NUM_STYLES:
        return name, int(index)
    raise ParameterError(
        f"--method must be one of {', '.join(METHODS)} (N from 0 to {NUM_STYLES - 1}), got '{text}'"
    )


def _paint(method: str, index: int | None, content, style, settings, backbone) -> tuple:
    """The result (H, W, 3) uint8, its costs (None for the fast methods) and the milliseconds it took."""
    from cnn_core.style import arbitrary, multistyle
    from cnn_core.style.image_ops import fit_longer_side
    from cnn_core.style.mixing import style_weights
    from cnn_core.style.optimize import StyleProblem, run_gatys

    if method == "gatys":
        start = time.perf_counter()
        *_, last = run_gatys(StyleProblem(backbone, content, style, settings))
        return last.image, last.costs, (time.perf_counter() - start) * 1000.0
    if method == "arbitrary":
        predictor, transformer = arbitrary.build_style_predictor(), arbitrary.build_style_transformer()
        start = time.perf_counter()
        vector = arbitrary.style_vector(predictor, style)
        image = arbitrary.stylize_arbitrary(transformer, content, vector, settings.size)
        return image, None, (time.perf_counter() - start) * 1000.0
    assert index is not None  # parse_method gives multistyle its style number
    model = multistyle.build_multistyle()
    start = time.perf_counter()
    image = multistyle.stylize_multistyle(
        model, fit_longer_side(content, settings.size), style_weights({index: 1})
    )
    return image, None, (time.perf_counter() - start) * 1000.0


def run(args: argparse.Namespace) -> dict:
    from cnn_core.images import encode_png, load_image
    from cnn_core.style.image_ops import check_style_image, to_unit

    method, index = parse_method(args.method)
    settings = GatysSettings(size=args.size, steps=args.steps)
    out = png_path(args.out)
    # bad files fail before TF loads, and before any resizing, so that messages quote the files' sizes
    content = check_style_image(load_image(args.content), "content")
    style = check_style_image(load_image(args.style), "style image")

    from cnn_core.style.optimize import StyleProblem
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    backbone = build_efficientnet_lite0((None, None, 3))
    image, costs, ms = _paint(method, index, content, style, settings, backbone)
    if costs is None:  # the course's J of the painted image, for comparison with gatys
        evaluated = StyleProblem(backbone, content, style, settings).costs(to_unit(image)[None])
        costs = {name: float(value) for name, value in evaluated.items()}
    out.write_bytes(encode_png(image))
    return {
        "out": str(out),
        "ms": round(ms, 1),
        "final_costs": {name: costs[name] for name in ("content", "style", "total")},
    }


def render(result: dict) -> str:
    """What was written, how long it took, and the course's costs J of the result."""
    costs = result["final_costs"]
    return format_fields(
        [
            ("wrote", result["out"]),
            ("time", f"{result['ms']:.1f} ms"),
            *((f"J {name}", f"{costs[name]:.4g}") for name in ("content", "style", "total")),
        ]
    )
