"""Style mixing and strength: convex combinations, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.style.mixing import mix_vectors, normalise_weights, style_weights, with_strength
from tests.numerics import gamma


def test_weights_are_normalised_and_validated():
    np.testing.assert_allclose(normalise_weights([2, 2, 4]), [0.25, 0.25, 0.5])
    with pytest.raises(ParameterError, match=r"must be ≥ 0 and not all 0, got \[1.0, -1.0\]"):
        normalise_weights([1, -1])
    with pytest.raises(ParameterError):
        normalise_weights([np.nan, 1])
    with pytest.raises(ShapeError):
        normalise_weights([])


def test_style_weights_sum_repeated_indices_and_reject_unknown_ones():
    w = style_weights({0: 1.0, 25: 1.0})
    assert w.shape == (26,) and w[0] == w[25] == 0.5
    with pytest.raises(ParameterError, match="style index must be 0 to 25, got 26"):
        style_weights({26: 1.0})


def test_interpolation_between_two_vectors_is_linear():
    a, b = np.array([0.0, 10.0]), np.array([4.0, 2.0])
    for t in (0.0, 0.3, 1.0):
        # float32 weights, two products and a sum of terms ≥ 0: three roundings (+1 for the float64 ÷)
        np.testing.assert_allclose(mix_vectors([a, b], [1 - t, t]), (1 - t) * a + t * b, rtol=gamma(4))
    with pytest.raises(ShapeError, match="got 2 style vectors but 3 weights"):
        mix_vectors([a, b], [1, 1, 1])


def test_strength_blends_with_the_contents_own_vector():
    style, own = np.array([1.0, 3.0]), np.array([-1.0, 1.0])
    np.testing.assert_allclose(with_strength(style, own, 1.0), style)
    np.testing.assert_allclose(with_strength(style, own, 0.0), own)
    np.testing.assert_allclose(with_strength(style, own, 0.5), [0.0, 2.0])
    with pytest.raises(ParameterError, match=r"strength must be between 0 and 1, got -0\.1"):
        with_strength(style, own, -0.1)
