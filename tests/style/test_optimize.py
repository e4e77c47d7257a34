"""Gatys optimisation on EfficientNet-Lite0 features: costs fall, a stop keeps the image, bad input fails."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.errors import ParameterError
from cnn_core.images import sample_image
from cnn_core.style.image_ops import fit_longer_side, to_unit
from cnn_core.style.optimize import StyleProblem, initial_image, run_gatys, style_targets
from cnn_core.style.settings import GatysSettings, estimate_seconds, step_seconds
from tests.numerics import gamma

SMALL = {"size": 48, "steps": 12, "report_every": 4}


@pytest.fixture(scope="module")
def photos():
    return sample_image("chelsea"), sample_image("coffee")


@pytest.mark.parametrize("optimizer", ["adam", "lbfgs"])
def test_total_cost_falls(backbone, photos, optimizer):
    settings = GatysSettings(**SMALL, optimizer=optimizer, init="blend", smoothing=5.0)
    problem = StyleProblem(backbone, *photos, settings)
    start = {k: float(v) for k, v in problem.costs(initial_image(problem.content, "blend")).items()}
    reports = list(run_gatys(problem))
    assert reports[-1].done and reports[-1].step <= settings.steps
    assert all(np.isfinite(list(r.costs.values())).all() for r in reports)
    assert reports[-1].costs["total"] < 0.7 * start["total"]
    assert reports[-1].costs["style"] < start["style"]


def test_content_start_has_zero_content_cost_and_costs_add_up(backbone, photos):
    settings = GatysSettings(size=48, alpha=2.0, beta=3.0, tv_weight=5.0)
    problem = StyleProblem(backbone, *photos, settings)
    costs = {k: float(v) for k, v in problem.costs(initial_image(problem.content, "content")).items()}
    assert costs["content"] == 0.0
    # α·0 = 0; β·J_style and w_TV·TV are rounded once each, their sum once more (all terms ≥ 0)
    assert costs["total"] == pytest.approx(2.0 * 0.0 + 3.0 * costs["style"] + 5.0 * costs["tv"], rel=gamma(2))


def test_stopping_early_keeps_the_last_image(backbone, photos):
    problem = StyleProblem(backbone, *photos, GatysSettings(**SMALL, init="noise"))
    runner = run_gatys(problem)
    first = next(runner)
    runner.close()  # what the page does when the user presses Stop
    assert first.step == 4 and not first.done
    assert first.image.shape == problem.content.shape and first.image.dtype == np.uint8
    assert first.remaining_s > 0 and first.elapsed_s > 0


def test_keep_colours_and_gram_heatmaps(backbone, photos):
    settings = GatysSettings(**SMALL, keep_colours=True)
    problem = StyleProblem(backbone, *photos, settings)
    report = next(run_gatys(problem))
    style_gram, generated_gram = problem.grams(report.image, "stem_activation")
    assert style_gram.shape == generated_gram.shape == (32, 32)
    # stem activations (ReLU6 or softmax-smoothed) are ≥ 0, so Σ|a a'| = G: G and Gᵀ are each within
    # γ_{n+1}·G of the exact mean Gram (n ≤ 24·24 products: the stem halves a ≤ 48x48 picture; the
    # division), +1 to measure against the rounded G
    np.testing.assert_allclose(style_gram, style_gram.T, rtol=2 * gamma(24 * 24 + 2))


def test_settings_validation_and_json():
    assert json.loads(json.dumps(GatysSettings().as_dict()))["optimizer"] == "adam"
    with pytest.raises(ParameterError, match="init must be one of content, noise, blend, got 'zeros'"):
        GatysSettings(init="zeros")
    with pytest.raises(ParameterError, match="optimizer must be one of adam, lbfgs, got 'sgd'"):
        GatysSettings(optimizer="sgd")
    with pytest.raises(ParameterError, match="steps must be between 1 and 2000, got 0"):
        GatysSettings(steps=0)
    with pytest.raises(ParameterError, match="beta must be ≥ 0, got -1"):
        GatysSettings(beta=-1)
    with pytest.raises(ParameterError, match="style layer weights"):
        GatysSettings(style_layers={"stem_activation": 0.0})
    with pytest.raises(ParameterError, match="size must be between"):
        GatysSettings(size=8)


def test_unknown_layer_is_a_parameter_error(backbone, photos):
    with pytest.raises(ParameterError, match="layer_names must be layers"):
        StyleProblem(backbone, *photos, GatysSettings(size=48, content_layer="conv4_2"))


def test_style_targets_kept_from_an_earlier_run_give_the_same_costs(backbone, photos):
    settings = GatysSettings(size=48, steps=5)
    layers = list(settings.style_layers)
    targets = style_targets(backbone, photos[1], settings.size, layers, settings.smoothing)
    fresh = StyleProblem(backbone, *photos, settings)
    reused = StyleProblem(backbone, *photos, settings, style_grams=targets)
    image = initial_image(fresh.content, "noise")
    assert {k: float(v) for k, v in fresh.costs(image).items()} == {
        k: float(v) for k, v in reused.costs(image).items()
    }
    # Ĝ = FᵀF / (n_H·n_W) against numpy in float64: the stem sees the 48x32 style picture at stride 2
    small = fit_longer_side(photos[1], 48)
    features = fresh.features(to_unit(small)[None])["stem_activation"].numpy()[0].astype(np.float64)
    flat = features.reshape(-1, features.shape[-1])  # (n_H·n_W, C)
    exact = flat.T @ flat / flat.shape[0]
    n = flat.shape[0]
    # every term is ≥ 0 (smoothed activations): float32 summation of n products, then one division
    np.testing.assert_allclose(targets["stem_activation"][0], exact, rtol=gamma(n + 2))


def test_estimated_time_is_compile_plus_steps_times_pace():
    # the measured points are exact at their own pixel counts; 128x85 px lies on the first
    assert step_seconds(128 * 85) == pytest.approx(0.035)
    # halfway in pixels between the two points: halfway in seconds, (0.035 + 0.08) / 2
    assert step_seconds((128 * 85 + 256 * 170) // 2) == pytest.approx(0.0575)
    # chelsea 451x300 at 128 px is 128x85: 6 s + 100 x 0.035 s
    assert estimate_seconds(GatysSettings(size=128, steps=100), 451, 300) == pytest.approx(9.5)
    # a pace measured in a run replaces the table: 6 s + 200 x 0.1 s
    assert estimate_seconds(GatysSettings(steps=200), 451, 300, per_step=0.1) == pytest.approx(26.0)
