"""Gatys neural style transfer: gradient descent on the pixels of the generated image G.

Start from the content photo, noise, or a blend of both, and repeatedly lower

    J(G) = α · J_content(C, G) + β · Σ_l λ⁽ˡ⁾ J_style⁽ˡ⁾(S, G) + w_TV · TV(G)

(Gatys, Ecker & Bethge, CVPR 2016) with Adam (Kingma & Ba, 2015) or L-BFGS-B (Byrd et al., 1995, via
SciPy), keeping pixels in [0, 1]. The features are a pretrained network's activations; one step (cost and
its gradient) runs in a ``tf.function``. ``run_gatys`` is a generator: it yields a ``Progress`` every few
steps, and the caller stops it simply by not asking for more — the last image is already in hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import tensorflow as tf

from cnn_core.style.gram import mean_gram, softmax_smoothing
from cnn_core.style.image_ops import check_style_image, fit_longer_side, keep_colours, to_uint8, to_unit
from cnn_core.style.losses import content_cost, style_cost, total_variation
from cnn_core.style.settings import GatysSettings

if TYPE_CHECKING:
    import keras

_ADAM_BETAS = (0.9, 0.999)
_ADAM_EPSILON = 1e-8
_LBFGS_MEMORY = 10


@dataclass(frozen=True)
class Progress:
    """One report: the image after ``step`` steps (H, W, 3) uint8, its costs, and the time so far/left."""

    step: int
    image: np.ndarray
    costs: dict[str, float]
    elapsed_s: float
    remaining_s: float
    done: bool


class StyleProblem:
    """The cost J(G) for one content/style pair: targets computed once, J and ∂J/∂G in a tf.function.

    ``backbone`` maps RGB 0..255 (N, H, W, 3) to ImageNet outputs and must contain the named layers;
    ``content`` and ``style`` are (H, W, 3) uint8 and are scaled to ``settings.size`` on the longer side.
    ``style_grams`` are the style targets when already at hand (``style_targets`` of the same style,
    backbone and settings): a second run with an unchanged style then skips that forward pass.
    """

    def __init__(
        self,
        backbone: keras.Model,
        content: np.ndarray,
        style: np.ndarray,
        settings: GatysSettings,
        style_grams: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.settings = settings
        self.layers = list(dict.fromkeys([settings.content_layer, *settings.style_layers]))
        self.extractor = _extractor(backbone, self.layers)
        self.content = fit_longer_side(check_style_image(content, "content"), settings.size)
        self.content_target = self.features(to_unit(self.content)[None])[settings.content_layer]
        if style_grams is None:
            layers = list(settings.style_layers)
            style_grams = style_targets(backbone, style, settings.size, layers, settings.smoothing)
        self.style_grams = {name: tf.constant(gram) for name, gram in style_grams.items()}
        self.value_and_grad = tf.function(self._value_and_grad)
        self.evaluate = tf.function(self.costs)  # the costs alone, compiled (reports call it)

    def features(self, images: tf.Tensor) -> dict[str, tf.Tensor]:
        """Activations (1, h, w, C) per layer of images (1, H, W, 3) in [0, 1], smoothed if asked."""
        return _features(self.extractor, images, self.settings.smoothing)

    def costs(self, image: tf.Tensor) -> dict[str, tf.Tensor]:
        """The three costs and the weighted total J of a generated image (1, H, W, 3) in [0, 1]."""
        s = self.settings
        generated = self.features(image)
        j_content = content_cost(self.content_target, generated[s.content_layer])
        j_style = style_cost(self.style_grams, generated, s.style_layers)
        j_tv = total_variation(image)
        total = s.alpha * j_content + s.beta * j_style + s.tv_weight * j_tv
        return {"content": j_content, "style": j_style, "tv": j_tv, "total": total}

    def _value_and_grad(self, image: tf.Tensor) -> tuple[dict[str, tf.Tensor], tf.Tensor]:
        with tf.GradientTape() as tape:
            tape.watch(image)
            costs = self.costs(image)
        return costs, tape.gradient(costs["total"], image)

    def grams(self, image: np.ndarray, layer: str) -> tuple[np.ndarray, np.ndarray]:
        """Per-position Gram matrices (C, C) at ``layer`` of the style image and of ``image`` (uint8)."""
        generated = self.features(to_unit(image)[None])[layer]
        return self.style_grams[layer].numpy()[0], mean_gram(generated).numpy()[0]


def _extractor(backbone: keras.Model, layers: list[str]) -> keras.Model:
    """The backbone cut at ``layers``: RGB 0..255 (N, H, W, 3) → {layer: activations (N, h, w, C)}."""
    from cnn_core.zoo.efficientnet_lite import feature_extractor

    return feature_extractor(layers, backbone)


def _features(extractor: keras.Model, images: tf.Tensor, smoothing: float | None) -> dict[str, tf.Tensor]:
    """Activations per layer of images (1, H, W, 3) in [0, 1], softmax-smoothed at temperature T if given."""
    out = extractor(tf.convert_to_tensor(images) * 255.0, training=False)
    if smoothing is None:
        return out
    return {name: softmax_smoothing(value, smoothing) for name, value in out.items()}


def style_targets(
    backbone: keras.Model, style: np.ndarray, size: int, layers: list[str], smoothing: float | None
) -> dict[str, np.ndarray]:
    """The style targets Ĝ⁽ˡ⁾(S) = FᵀF / (n_H·n_W), each (1, C, C), at each of ``layers``, of the style
    picture (H, W, 3) uint8 scaled to ``size`` on its longer side, activations smoothed at temperature
    ``smoothing`` (None: off). Nothing else of a run's settings changes them, so they can be kept."""
    small = fit_longer_side(check_style_image(style, "style image"), size)
    features = _features(_extractor(backbone, layers), to_unit(small)[None], smoothing)
    return {name: mean_gram(features[name]).numpy() for name in layers}


def initial_image(content: np.ndarray, init: str, seed: int = 0) -> np.ndarray:
    """The starting G (1, H, W, 3) in [0, 1]: the content (H, W, 3) uint8, uniform noise, or their mean.

    >>> initial_image(np.full((2, 2, 3), 255, np.uint8), "content").max()
    np.float32(1.0)
    """
    image = to_unit(content)[None]
    noise = np.random.default_rng(seed).random(image.shape, dtype=np.float32)
    return {"content": image, "noise": noise, "blend": 0.5 * (image + noise)}[init]


def _adam(problem: StyleProblem, rate: float) -> Callable[[tf.Variable], dict[str, tf.Tensor]]:
    """One Adam step in a tf.function: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − η m̂ / (√v̂ + ε)."""
    beta1, beta2 = _ADAM_BETAS
    state: dict[str, tf.Variable] = {}

    @tf.function
    def step(x: tf.Variable) -> dict[str, tf.Tensor]:
        if not state:  # created on the first trace, reused after
            state.update(m=tf.Variable(tf.zeros_like(x)), v=tf.Variable(tf.zeros_like(x)), t=tf.Variable(0.0))
        costs, grad = problem.value_and_grad(tf.convert_to_tensor(x))
        state["t"].assign_add(1.0)
        state["m"].assign(beta1 * state["m"] + (1 - beta1) * grad)
        state["v"].assign(beta2 * state["v"] + (1 - beta2) * tf.square(grad))
        m_hat = state["m"] / (1 - beta1 ** state["t"])
        v_hat = state["v"] / (1 - beta2 ** state["t"])
        x.assign(tf.clip_by_value(x - rate * m_hat / (tf.sqrt(v_hat) + _ADAM_EPSILON), 0.0, 1.0))
        return costs

    return step


def _lbfgs_chunk(problem: StyleProblem, x: np.ndarray, iterations: int) -> tuple[np.ndarray, int]:
    """Run up to ``iterations`` L-BFGS-B iterations from ``x`` (1, H, W, 3) with pixels bounded to [0, 1]."""
    from scipy.optimize import Bounds, minimize

    shape = x.shape

    def value_and_grad(flat: np.ndarray) -> tuple[float, np.ndarray]:
        costs, grad = problem.value_and_grad(tf.constant(flat.reshape(shape), tf.float32))
        return float(costs["total"]), grad.numpy().ravel().astype(np.float64)

    result = minimize(
        value_and_grad,
        x.ravel().astype(np.float64),
        jac=True,
        method="L-BFGS-B",
        bounds=Bounds(0.0, 1.0),
        options={"maxiter": iterations, "maxcor": _LBFGS_MEMORY},
    )
    return result.x.reshape(shape).astype(np.float32), int(result.nit)


def run_gatys(problem: StyleProblem) -> Iterator[Progress]:
    """Optimise G and yield a Progress every ``report_every`` steps and at the end.

    With L-BFGS, each report restarts the method from the current image and so forgets its (short)
    memory of curvature: the price of live reports. A run that converges early ends with done=True.
    """
    s = problem.settings
    start = time.perf_counter()
    x = initial_image(problem.content, s.init, s.seed)
    variable = tf.Variable(x) if s.optimizer == "adam" else None
    adam_step = _adam(problem, s.learning_rate)  # traced on its first call only
    step, previous = 0, start
    while step < s.steps:
        chunk = min(s.report_every, s.steps - step)
        if variable is not None:
            for _ in range(chunk):
                adam_step(variable)
            x = variable.numpy()
            done_now = chunk
        else:
            x, done_now = _lbfgs_chunk(problem, x, chunk)
        step += done_now
        costs = {name: float(value) for name, value in problem.evaluate(tf.constant(x)).items()}
        now = time.perf_counter()
        finished = step >= s.steps or done_now == 0
        image = to_uint8(x[0])
        if s.keep_colours:
            image = keep_colours(image, problem.content)
        per_step = (now - previous) / max(done_now, 1)  # the latest chunk's pace (the first one traces)
        remaining = 0.0 if finished else per_step * (s.steps - step)
        previous = now
        yield Progress(step, image, costs, now - start, remaining, finished)
        if finished:
            return
