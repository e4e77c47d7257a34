"""Sizes are checked before anything is allocated: a window larger than its input, or an array past the
64 MiB cap, is refused with a message that states the cap, and the refusal itself allocates next to nothing
(numpy reports its allocations to tracemalloc)."""

import tracemalloc

import numpy as np
import pytest

from cnn_core.conv.memory import MAX_ARRAY_BYTES, require_fits
from cnn_core.conv.reference import cross_correlate2d, pad2d, pool2d
from cnn_core.conv.sliding import slide
from cnn_core.conv.volume import filter_breakdown
from cnn_core.errors import CNNLabError, ParameterError, ShapeError

POOL_EXAMPLE = np.arange(16.0).reshape(4, 4)
#: what a refusal may allocate: a few small objects, nothing of the refused size
REFUSAL_BYTES = 1_000_000


def _peak_bytes(call) -> int:
    """Peak bytes traced while ``call()`` runs and fails with a CNNLabError."""
    tracemalloc.start()
    try:
        with pytest.raises(CNNLabError):
            call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_cap_is_64_mib_and_counts_bytes_exactly():
    assert MAX_ARRAY_BYTES == 67_108_864
    assert require_fits("x", (2048, 4096)) == 2048 * 4096 * 8  # exactly 64 MiB of float64: allowed
    with pytest.raises(ParameterError, match=r"x would take 67,108,872 bytes \(1x8388609 x 8 bytes\)"):
        require_fits("x", (1, 8_388_609))
    with pytest.raises(ParameterError, match=r"the cap is 64 MiB \(67,108,864 bytes\) per array"):
        require_fits("x", (10**30, 10**30))  # Python integers: no overflow to a small number


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (1_000_000_000, "f must be ≤ 1,000,000, got 1,000,000,000"),
        (15_000, "the filter spans 15000 pixels but the padded input has only 4"),
        (-3, "f must be ≥ 1, got -3"),
        (0, "f must be ≥ 1, got 0"),
    ],
)
def test_a_pooling_window_is_checked_before_it_is_allocated(size, message):
    """The issue's links: pool_f=10⁹ asked numpy for 6.94 EiB, pool_f=15000 allocated 1.8 GB first."""
    with pytest.raises(CNNLabError, match=message):
        slide(POOL_EXAMPLE, size, stride=2, operation="max")
    assert _peak_bytes(lambda: slide(POOL_EXAMPLE, size, stride=2, operation="max")) < REFUSAL_BYTES


def test_a_slide_whose_steps_exceed_the_cap_is_refused_first():
    """3x3 on 400x400: 398² = 158,404 steps x (2·9·8 + 512 = 656) bytes = 103,913,024 > 64 MiB."""
    x = np.zeros((400, 400))
    with pytest.raises(ParameterError, match=r"the steps of this pass would take 103,913,024 bytes"):
        slide(x, np.ones((3, 3)))
    assert _peak_bytes(lambda: slide(x, np.ones((3, 3)))) < REFUSAL_BYTES


def test_slide_refuses_an_unknown_operation_and_a_non_square_kernel():
    with pytest.raises(
        ParameterError,
        match=r"operation must be one of cross-correlation, convolution, max, average, got 'median'",
    ):
        slide(POOL_EXAMPLE, 2, operation="median")
    with pytest.raises(ParameterError, match=r"the kernel must be square \(f, f\), got shape \(2, 3\)"):
        slide(POOL_EXAMPLE, np.ones((2, 3)))


def test_padding_beyond_the_cap_is_refused_before_padding():
    """p = 10,000 around 4x4: (4 + 20,000)² x 8 bytes = 400,160,016 x 8 = 3,201,280,128 bytes."""
    with pytest.raises(ParameterError, match=r"the padded input would take 3,201,280,128 bytes"):
        pool2d(POOL_EXAMPLE, 2, 2, padding=10_000)
    assert _peak_bytes(lambda: pad2d(POOL_EXAMPLE, ((10_000, 10_000), (10_000, 10_000)))) < REFUSAL_BYTES


def test_an_output_beyond_the_cap_is_refused_before_the_product():
    """A 1x1 kernel with 600 output channels on 200x200: 200·200·600·8 = 192,000,000 bytes."""
    x, w = np.zeros((200, 200, 1)), np.zeros((1, 1, 1, 600))
    with pytest.raises(ParameterError, match=r"the output would take 192,000,000 bytes"):
        cross_correlate2d(x, w)
    assert _peak_bytes(lambda: cross_correlate2d(x, w)) < 2 * x.nbytes + REFUSAL_BYTES


def test_filter_breakdown_checks_the_weights_shape():
    with pytest.raises(ShapeError, match=r"w must be \(f, f, 3, K\) for this input, got shape \(3, 3, 3\)"):
        filter_breakdown(np.ones((6, 6, 3)), np.ones((3, 3, 3)), np.zeros(1), 0)
