"""A class of N students at once against one server: latency per interaction, errors, leaks, server memory.

Run: .venv/bin/python -m benchmarks.bench_classroom --n 10     (or --n 30; prints figures)
     .venv/bin/python -m benchmarks.bench_classroom --n 30 --websockets
     .venv/bin/python -m benchmarks.bench_classroom --n 30 --url http://host:8501 --pid 1234

Students are browser contexts of one Debian Chromium (``classroom``), or with --websockets visitors that
speak Streamlit's protocol without rendering (``classroom_websockets``): the browsers share this machine's
cores with the server, the websocket visitors almost do not, so their figures are the server's, what a
class on laptops of its own meets.

Without --url it starts its own server as `make run` does (serve.py, the classroom settings) and
drops a closed tab's session after --session-ttl seconds (Streamlit's default keeps it 120 s, so memory
read 30 s after a class would still hold every session). One student goes first, untimed, so the class
meets warm models; the server's resident memory --idle seconds after it left is the baseline. After the
class every context is closed, the server idles as long, and its memory is read again: it should be near
the baseline.
Memory is read from /proc/<pid>/status (VmRSS now, VmHWM the peak since the server started); with --url
it is reported only when --pid names the server's process. The browsers run on this machine too, so on
a small machine they take CPU from the server: the quiet-machine figures are the ones to quote.
Exit status 1 when any session saw an error or another student's photo or name.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path

from benchmarks.classroom import ClassReport, run_class


def memory_mib(pid: int, field: str) -> float:
    """A memory figure of process ``pid`` in MiB from /proc/<pid>/status (VmRSS, VmHWM; the kernel
    writes kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise KeyError(f"{field} is not in /proc/{pid}/status")


class PeakSampler:
    """The highest VmRSS of a process while the ``with`` block runs, read every ``interval_s`` seconds."""

    def __init__(self, pid: int, interval_s: float = 0.5):
        self.pid, self.interval_s, self.peak = pid, interval_s, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, memory_mib(self.pid, "VmRSS"))
            self._stop.wait(self.interval_s)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()


def _print_report(report: ClassReport) -> None:
    print(f"\n{report.n} students at once, {report.wall_s:.0f} s in all\n")
    print(report.table())
    print(f"\nerrors: {len(report.errors)}")
    for error in report.errors:
        print(f"  {error}")
    print(f"leaks (another student's photo or name on screen): {len(report.leaks)}")
    for leak in report.leaks:
        print(f"  {leak}")


def _own_server(session_ttl: int):
    """Start the app as `make run` does, closed tabs' sessions kept ``session_ttl`` s; yields its URL."""
    from tests.e2e.conftest import streamlit_server

    os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(session_ttl)
    return streamlit_server()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10, help="students at once (10, 30)")
    parser.add_argument("--url", help="a running app (default: start one)")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, to read its memory")
    parser.add_argument("--timeout", type=float, default=120, help="seconds one interaction may take")
    parser.add_argument("--idle", type=float, default=30, help="seconds to idle after the class")
    parser.add_argument(
        "--session-ttl", type=int, default=15, help="own server: seconds a closed tab's session is kept"
    )
    parser.add_argument("--no-warmup", action="store_true", help="no untimed first student")
    parser.add_argument("--websockets", action="store_true", help="students without browsers")
    args = parser.parse_args()

    from tests.e2e.conftest import SERVER_PIDS

    with nullcontext(args.url) if args.url else _own_server(args.session_ttl) as url:
        pid = args.pid if args.url else SERVER_PIDS[url]
        rss = (lambda: memory_mib(pid, "VmRSS")) if pid else (lambda: float("nan"))
        print(f"server {url}, pid {pid}; RSS at start {rss():.0f} MiB")
        if not args.no_warmup:
            warm = run_class(url, 1, args.timeout, browsers=not args.websockets)
            print(f"warm-up student: {warm.wall_s:.0f} s, errors {len(warm.errors)} {warm.errors[:1]}")
            time.sleep(args.idle)  # as long as after the class: its session is gone too (--session-ttl)
        baseline = rss()
        print(
            f"RSS baseline (warm models, {args.idle:.0f} s after the warm-up student left) {baseline:.0f} MiB"
        )
        with PeakSampler(pid) if pid else nullcontext() as sampler:
            report = run_class(url, args.n, args.timeout, browsers=not args.websockets)
        _print_report(report)
        if pid:
            print(
                f"\nserver RSS: baseline {baseline:.0f} MiB, peak during the class {sampler.peak:.0f} MiB, "
                f"peak since start (VmHWM) {memory_mib(pid, 'VmHWM'):.0f} MiB"
            )
            time.sleep(args.idle)
            after = rss()
            print(
                f"RSS {args.idle:.0f} s after the last session closed: {after:.0f} MiB "
                f"({after - baseline:+.0f} MiB against the baseline)"
            )
    return 1 if report.errors or report.leaks else 0


if __name__ == "__main__":
    sys.exit(main())
