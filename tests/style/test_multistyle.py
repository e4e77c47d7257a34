"""The Keras rebuild of the 26-style network against onnxruntime running the original ONNX file."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ImageError, ParameterError
from cnn_core.style.image_ops import to_uint8, to_unit
from cnn_core.style.mixing import NUM_STYLES, style_weights
from cnn_core.style.multistyle import stylize_every_style, stylize_multistyle
from cnn_core.weights import weight_path
from tests.numerics import assert_matches_reference
from tests.style.conftest import ort_session


def _onnx_reference(image: np.ndarray, weights: np.ndarray) -> np.ndarray:
    session = ort_session(str(weight_path("multistyle26.onnx")))
    out = session.run(None, {"image": image.transpose(0, 3, 1, 2), "style_weights": weights})[0]
    return out.transpose(0, 2, 3, 1)  # NCHW → NHWC


def test_parameter_count_matches_the_published_figure(multistyle_model):
    assert multistyle_model.count_params() == 166_104  # docs/weights.md: the ONNX file's initializers


def _assert_matches_onnxruntime(model, exact_model, image: np.ndarray, weights: np.ndarray) -> None:
    ours = model([image, weights[None]], training=False)
    exact = exact_model([image.astype(np.float64), weights[None].astype(np.float64)])
    assert_matches_reference(ours, exact, _onnx_reference(image, weights))


@pytest.mark.parametrize("shape", [(1, 64, 96, 3), (1, 124, 40, 3)])
def test_matches_onnxruntime_on_random_images(multistyle_model, multistyle_exact, rng, shape):
    image = rng.random(shape, dtype=np.float32)
    weights = rng.random(NUM_STYLES).astype(np.float32)
    weights /= weights.sum()  # a mix of all 26 styles exercises every γ/β table row
    _assert_matches_onnxruntime(multistyle_model, multistyle_exact, image, weights)


def test_one_hot_weights_pick_one_style(multistyle_model, multistyle_exact, rng):
    image = rng.random((1, 32, 32, 3), dtype=np.float32)
    _assert_matches_onnxruntime(multistyle_model, multistyle_exact, image, style_weights({19: 1.0}))


def test_stylize_keeps_odd_sizes_and_strength_zero_is_the_photo(multistyle_model, rng):
    photo = rng.integers(0, 256, (45, 67, 3), dtype=np.uint8)
    painted = stylize_multistyle(multistyle_model, photo, style_weights({3: 1}))
    assert painted.shape == photo.shape and painted.dtype == np.uint8
    assert not np.array_equal(painted, photo)
    np.testing.assert_array_equal(
        stylize_multistyle(multistyle_model, photo, style_weights({3: 1}), 0.0), photo
    )


def test_every_style_in_one_batch_is_each_style_alone_in_the_original_network(multistyle_model, rng):
    """Each of the 26 pictures against onnxruntime on the original file, one image and one style at a
    time. Both compute in float32 and ours rounds to uint8, so a value within float rounding of a half
    level may land one level apart: at most 1, and rarely."""
    photo = rng.integers(0, 256, (36, 44, 3), dtype=np.uint8)
    painted = stylize_every_style(multistyle_model, photo)
    assert len(painted) == NUM_STYLES
    for k, picture in enumerate(painted):
        expected = to_uint8(_onnx_reference(to_unit(photo)[None], style_weights({k: 1.0}))[0])
        difference = np.abs(picture.astype(int) - expected.astype(int))
        assert difference.max() <= 1 and (difference > 0).mean() < 1e-3, f"style {k}"


def test_bad_inputs_raise_clear_errors(multistyle_model):
    with pytest.raises(ImageError, match=r"content must be \(H, W, 3\) uint8 RGB, got shape \(40, 40\)"):
        stylize_multistyle(multistyle_model, np.zeros((40, 40), np.uint8), style_weights({0: 1}))
    with pytest.raises(ImageError, match="the content is 40x10 pixels; style transfer needs at least 32x32"):
        stylize_multistyle(multistyle_model, np.zeros((10, 40, 3), np.uint8), style_weights({0: 1}))
    with pytest.raises(ParameterError, match=r"strength must be between 0 and 1, got 1\.5"):
        stylize_multistyle(multistyle_model, np.zeros((40, 40, 3), np.uint8), style_weights({0: 1}), 1.5)
