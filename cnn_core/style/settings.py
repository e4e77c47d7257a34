"""The knobs of a Gatys style-transfer run, validated in one place and saved as JSON with the result.

Features come from EfficientNet-Lite0 (no VGG weights can be had offline). Its ReLU6 outputs play the
role of VGG's ``conv1_1 … conv5_1``: the default style layers are the first activation of stages 1-5
(strides 2, 2, 4, 8, 16), and the content layer sits in the middle (stride 16).

Defaults were chosen by looking at results (cat photo, painted and stroke styles, 256 px, 150-200 Adam
steps): without smoothing EfficientNet gives colour-noise and checkerboard texture; SWAG softmax
smoothing at temperature 5 plus total variation gives clean brush strokes. Only the ratios α : β : w_TV
matter to the optimisers, and they shift with the temperature (smoothed activations vary by ~1/T).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from cnn_core.errors import ParameterError
from cnn_core.images import scaled_size
from cnn_core.style.image_ops import check_size

OPTIMIZERS = ("adam", "lbfgs")
INITS = ("content", "noise", "blend")
DEFAULT_CONTENT_LAYER = "block5a_expand_activation"
DEFAULT_STYLE_LAYERS: dict[str, float] = {
    "stem_activation": 0.2,
    "block2a_expand_activation": 0.2,
    "block3a_expand_activation": 0.2,
    "block4a_expand_activation": 0.2,
    "block6a_expand_activation": 0.2,
}
#: the most optimisation steps of one run: time, not memory (0.05 s a step at 256 px, 0.6 s at 1024 px)
MAX_STEPS = 2000
#: EfficientNet-Lite0 activations offered as content/style layers → their stride (input pixels per feature).
LAYER_STRIDES: dict[str, int] = {
    "stem_activation": 2,
    "block1a_activation": 2,
    "block2a_expand_activation": 2,
    "block2b_expand_activation": 4,
    "block3a_expand_activation": 4,
    "block3b_expand_activation": 8,
    "block4a_expand_activation": 8,
    "block4c_expand_activation": 16,
    "block5a_expand_activation": 16,
    "block5c_expand_activation": 16,
    "block6a_expand_activation": 16,
    "block6d_expand_activation": 32,
    "block7a_expand_activation": 32,
    "top_activation": 32,
}


@dataclass(frozen=True)
class GatysSettings:
    """Everything that shapes a Gatys run (α, β and the λ are the course's weights)."""

    content_layer: str = DEFAULT_CONTENT_LAYER
    style_layers: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_STYLE_LAYERS))
    alpha: float = 1.0
    beta: float = 3e5
    tv_weight: float = 1000.0
    size: int = 256
    steps: int = 200
    init: str = "content"
    optimizer: str = "adam"
    learning_rate: float = 0.02
    keep_colours: bool = False
    smoothing: float | None = 5.0
    report_every: int = 10
    seed: int = 0

    def __post_init__(self) -> None:
        check_size(self.size)
        if not self.style_layers:
            raise ParameterError("style_layers must name at least one layer, got none")
        if any(weight < 0 for weight in self.style_layers.values()) or sum(self.style_layers.values()) <= 0:
            raise ParameterError(f"style layer weights λ must be ≥ 0 and not all 0, got {self.style_layers}")
        for name in ("alpha", "beta", "tv_weight"):
            if getattr(self, name) < 0:
                raise ParameterError(f"{name} must be ≥ 0, got {getattr(self, name)}")
        if not 1 <= self.steps <= MAX_STEPS:
            raise ParameterError(
                f"steps must be between 1 and {MAX_STEPS}, got {self.steps} (at 1024 px that is 20 minutes)"
            )
        if self.init not in INITS:
            raise ParameterError(f"init must be one of {', '.join(INITS)}, got '{self.init}'")
        if self.optimizer not in OPTIMIZERS:
            raise ParameterError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got '{self.optimizer}'")
        if self.learning_rate <= 0:
            raise ParameterError(f"learning_rate must be > 0, got {self.learning_rate}")
        if self.smoothing is not None and self.smoothing <= 0:
            raise ParameterError(f"smoothing temperature must be > 0 (or None for off), got {self.smoothing}")
        if self.report_every < 1:
            raise ParameterError(f"report_every must be ≥ 1, got {self.report_every}")

    def as_dict(self) -> dict:
        """A JSON-ready copy of the settings (what the page offers for download)."""
        return asdict(self)


#: A run that shows life within seconds on a 2-core CPU, for a demo in class: a small image, few steps, and
#: a larger style weight β (log₁₀(α/β) = −6.5 instead of −5.5) and learning rate, so that every report
#: visibly moves the picture (benchmarks/bench_style_quick.py measures it).
QUICK_DEMO = replace(GatysSettings(), size=128, steps=100, beta=10**6.5, learning_rate=0.05, report_every=5)

#: Seconds per optimisation step on two CPU cores at two image sizes (pixels of G → seconds), from
#: benchmarks/bench_style.py (cat photo, default layers); a step costs a forward and a backward pass.
STEP_SECONDS: dict[str, tuple[tuple[int, float], tuple[int, float]]] = {
    "adam": ((128 * 85, 0.035), (256 * 170, 0.08)),
    "lbfgs": ((128 * 85, 0.045), (256 * 170, 0.10)),
}
#: Seconds before the first step on two CPU cores: building the step's graph (tracing J and ∂J/∂G).
PREPARE_SECONDS = 6.0


def step_seconds(pixels: int, optimizer: str = "adam") -> float:
    """Seconds one step takes on an image of ``pixels`` pixels: the straight line t = t₁ + (t₂ − t₁) ·
    (p − p₁) / (p₂ − p₁) through the two measured points ``STEP_SECONDS[optimizer]``, at least t₁ / 2.

    >>> round(step_seconds(128 * 85), 3), round(step_seconds(256 * 170), 3)
    (0.035, 0.08)
    """
    (p1, t1), (p2, t2) = STEP_SECONDS[optimizer]
    return max(t1 / 2, t1 + (t2 - t1) * (pixels - p1) / (p2 - p1))


def estimate_seconds(
    settings: GatysSettings, width: int, height: int, per_step: float | None = None
) -> float:
    """Estimated wall time of a run on a ``width`` x ``height`` content photo: PREPARE_SECONDS + steps ·
    (seconds per step at the working size); ``per_step`` overrides the measured table (e.g. a pace just
    measured on this machine).

    >>> estimate_seconds(GatysSettings(size=256, steps=100), 512, 340, per_step=0.1)
    16.0
    """
    w, h = scaled_size(width, height, settings.size)
    pace = step_seconds(w * h, settings.optimizer) if per_step is None else per_step
    return PREPARE_SECONDS + settings.steps * pace
