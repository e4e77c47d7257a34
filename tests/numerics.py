"""Test tolerances that follow from float32 rounding, so that a bound holds on every CPU.

Summed in any order, with or without fused multiply-adds, in any blocking (what differs between AVX2,
AVX-512 and other kernels), a dot product of n float32 products misses the exact value by at most

    |fl(Σ a_i b_i) − Σ a_i b_i| ≤ γ_n · Σ |a_i b_i|,    γ_n = n·u / (1 − n·u),    u = 2⁻²⁴

(Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed. 2002, Lemma 3.1 and eq. 3.5). Two
float32 implementations of the same sum therefore agree to 2·γ_n · Σ |a_i b_i|.

A whole network is too deep for that worst-case bound to be useful. There, the reference is a float64
evaluation of the same weights (rounding ~1e-16, the same on every CPU): the float32 output's distance
to it is the network's float32 rounding noise on this CPU and this input, and another float32
implementation of the network (onnxruntime, OpenCV, TensorFlow.js) has noise of the same size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import keras

#: unit roundoff of float32: half the distance from 1 to the next float32 (np.finfo(np.float32).eps / 2)
U32 = 2.0**-24
#: unit roundoff of float64
U64 = 2.0**-53


def gamma(n: int, u: float = U32) -> float:
    """γ_n = n·u / (1 − n·u): the relative error bound of n successive roundings (Higham, Lemma 3.1).

    >>> round(gamma(100) / U32, 4)
    100.0006
    """
    return n * u / (1 - n * u)


@contextmanager
def float64_keras() -> Iterator[None]:
    """Keras models built inside this block compute in float64; the float32 defaults come back after."""
    import keras

    floatx, policy = keras.config.floatx(), keras.config.dtype_policy()
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(floatx)
        keras.config.set_dtype_policy(policy)


def float64_twin(build: Callable[[], keras.Model], source: keras.Model) -> keras.Model:
    """``build()`` in float64, with the weights of the float32 model ``source`` (the same architecture)."""
    with float64_keras():
        twin = build()
    twin.set_weights([np.asarray(w, np.float64) for w in source.get_weights()])
    return twin


#: Our noise is measured; another float32 implementation's is not, but both lie, with high
#: probability, under the same order-independent bound λ·√n·u·Σ|terms| for each sum (Higham & Mary,
#: SIAM J. Sci. Comput. 2019), λ of order 1: they differ by their summation orders only. The tolerance
#: allows the other implementation 9 times our noise (we saw 0.3 to 1.5 times it with onnxruntime,
#: OpenCV, TensorFlow.js and the mtcnn package, on AVX-512, AVX2 and plain TensorFlow kernels).
NOISE_FACTOR = 10


def cross_implementation_atol(ours: np.ndarray, exact: np.ndarray) -> float:
    """Tolerance between our float32 network output ``ours`` and another float32 implementation of it.

    ``exact``: the same network evaluated in float64 on the same input. The tolerance is NOISE_FACTOR
    times our measured rounding noise max|ours − exact|, and at least 4 float32 ulps of the largest
    output (a floor for outputs so short that the measured noise may happen to be ~0).

    >>> cross_implementation_atol(np.float32([1.0, 2.0]), np.array([1.0, 2.0625]))
    0.625
    """
    noise = float(np.max(np.abs(np.asarray(ours, np.float64) - exact)))
    return max(NOISE_FACTOR * noise, 8 * U32 * float(np.max(np.abs(exact))))


def assert_matches_reference(ours, exact, reference) -> None:
    """Our float32 network output equals another implementation's ``reference`` to within
    ``cross_implementation_atol(ours, exact)``; ``exact``: our network in float64 on the same input."""
    ours = np.asarray(ours)
    atol = cross_implementation_atol(ours, np.asarray(exact))
    np.testing.assert_allclose(ours, np.asarray(reference), rtol=0, atol=atol)


def assert_within(actual, expected, bound) -> None:
    """|actual − expected| ≤ bound, element by element; ``bound``: one error bound per element or one
    for all (np.testing.assert_allclose takes only a scalar atol)."""
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    error = np.abs(actual - expected)
    bound = np.broadcast_to(bound, error.shape)
    worst = np.unravel_index(np.argmax(error - bound), error.shape) if error.ndim else ()
    assert np.all(error <= bound), (
        f"|actual − expected| = {error[worst]:.3g} exceeds its bound {bound[worst]:.3g} at {worst}"
        f" (actual {actual[worst]!r}, expected {expected[worst]!r})"
    )
