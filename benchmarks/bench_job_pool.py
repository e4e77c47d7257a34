"""K visitors press Run on the style page at once (the quick-demo preset): each one's wait in line, time to
first progress (the first image) and time to the end, with the server's line of heavy jobs (``JobPool`` with
``default_slots()``, or the slots given) and without a bound (every job at once, as before the line).

Run: ``.venv/bin/python -m benchmarks.bench_job_pool [--jobs 4] [--steps 40] [--slots 1 2]``. Prints
figures; asserts nothing. The network and the style targets are ready before the clock starts (the page
caches both), so the figures are those of a warm server.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

from benchmarks.timing import peak_rss_mib


def visit(pool, jobs) -> list[tuple[float, float, float]]:
    """Submit ``jobs`` at once and poll them as their pages would: (wait, first progress, end) seconds
    from submission, per job."""
    start = time.perf_counter()
    for job in jobs:
        pool.submit(job)
    seen: dict[int, list[float]] = {k: [] for k in range(len(jobs))}
    while any(job.running for job in jobs):
        now = time.perf_counter() - start
        for k, job in enumerate(jobs):
            job.touch()
            marks = seen[k]
            if not marks and job.started_at is not None:
                marks.append(now)
            if len(marks) == 1 and job.latest is not None:
                marks.append(now)
            if len(marks) == 2 and not job.running:
                marks.append(now)
        time.sleep(0.05)
    end = time.perf_counter() - start
    return [tuple((marks + [end] * 3)[:3]) for marks in seen.values()]  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=4, help="visitors pressing Run at once")
    parser.add_argument("--steps", type=int, default=40, help="steps of each run (the preset has 100)")
    parser.add_argument("--slots", type=int, nargs="*", help="lines to compare (default: default_slots())")
    args = parser.parse_args()

    from app_support.shared.job_pool import JobPool, default_slots
    from app_support.style_transfer.job import GatysJob
    from cnn_core.images import sample_image
    from cnn_core.style.optimize import style_targets
    from cnn_core.style.settings import QUICK_DEMO
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    settings = dataclasses.replace(QUICK_DEMO, steps=args.steps, report_every=5)
    backbone = build_efficientnet_lite0((None, None, 3))
    content, style = sample_image("chelsea"), sample_image("flower")
    grams = style_targets(backbone, style, settings.size, list(settings.style_layers), settings.smoothing)
    lines = [(f"{n} slot{'s' if n > 1 else ''}", n) for n in args.slots or [default_slots()]]
    print(
        f"{args.jobs} visitors press Run at once: quick demo, {settings.size} px, {settings.steps} steps; "
        f"default_slots() = {default_slots()}"
    )
    for label, size in (*lines, ("no bound", args.jobs)):
        jobs = [GatysJob(backbone, content, style, settings, grams) for _ in range(args.jobs)]
        marks = visit(JobPool(size), jobs)
        for k, (wait, first, end) in enumerate(marks, 1):
            print(
                f"  {label:8} visitor {k}: waits {wait:5.1f} s, first image {first:5.1f} s, done {end:5.1f} s"
            )
        firsts = [first for _, first, _ in marks]
        print(
            f"{label}: first image median {statistics.median(firsts):.1f} s, max {max(firsts):.1f} s; "
            f"all done after {max(end for *_, end in marks):.1f} s; peak {peak_rss_mib():.0f} MiB"
        )


if __name__ == "__main__":
    main()
