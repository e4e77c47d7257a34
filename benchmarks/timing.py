"""Shared measuring helpers for the benchmark scripts (they print figures and assert nothing)."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def timings_ms(call: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Wall times of ``repeats`` calls in ms, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(call: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Median wall time in ms of ``repeats`` calls after ``warmup`` untimed calls."""
    return statistics.median(timings_ms(call, repeats, warmup))


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
