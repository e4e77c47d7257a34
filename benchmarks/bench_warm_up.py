"""The first visitor of Object detection after a server start, in Debian's Chromium: opening the page the
moment the server answers (the models still loading) versus once the warm-up is done (``--after`` seconds
later, 20 by default, as the issue asks), each on a fresh server (``python serve.py``). Then, on another
fresh server once warm, the first and the second visit of every page by a visitor without a browser
(``streamlit_client``): the warm-up's own visit of every page (``rehearsal``) should leave the first as
fast as the second.

Run: ``.venv/bin/python -m benchmarks.bench_warm_up [--after 20]``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import time
from pathlib import Path

from app_support.shared.rehearsal import EVERY_PAGE, visit
from benchmarks.timing import peak_rss_mib

GOAL_MS = 1000


def _rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def first_visit_ms(wait_s: float | None) -> tuple[float, float, str, float]:
    """(ms from goto to the page showing its result, ms from goto to the end of the server's run of the
    page, the server's warm line, server RSS in MiB) for Detection opened on a fresh server at once
    (``wait_s`` None) or ``wait_s`` s after it answers."""
    from playwright.sync_api import expect, sync_playwright

    from benchmarks.classroom import run_finished
    from tests.e2e.conftest import (
        CHROMIUM,
        CHROMIUM_ARGS,
        SERVER_LOGS,
        SERVER_PIDS,
        streamlit_server,
        wait_until_idle,
        wait_warm,
    )

    with streamlit_server(warm=False) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/")  # the browser's own start-up is not the server's
        wait_until_idle(page)
        if wait_s is not None:
            time.sleep(wait_s)
        finished: list[float] = []  # when the server ended a run of the page, as its websocket saw it
        page.on(
            "websocket",
            lambda socket: socket.on(
                "framereceived", lambda frame: run_finished(frame) and finished.append(time.perf_counter())
            ),
        )
        start = time.perf_counter()
        page.goto(f"{url}/detection")
        expect(page.get_by_text("object(s) found").first).to_be_visible(timeout=120_000)  # the result
        ms = (time.perf_counter() - start) * 1000
        wait_until_idle(page)  # the run goes on below the result (the step-by-step part)
        server_ms = (finished[0] - start) * 1000
        line = wait_warm(SERVER_LOGS[url])
        rss = _rss_mib(SERVER_PIDS[url])
        browser.close()
    return ms, server_ms, line, rss


def _visit_ms(url: str, page: str) -> float:
    """ms from asking for ``page``'s first run in a fresh session to its end."""
    return asyncio.run(visit(url, page)).server_s * 1000


def every_page_twice_ms() -> dict[str, tuple[float, float]]:
    """{page: (first visit's run in ms, second visit's)} for every page of a fresh, warm server."""
    from tests.e2e.conftest import streamlit_server

    with streamlit_server() as url:
        first = {page: _visit_ms(url, page) for page in EVERY_PAGE}
        return {page: (first[page], _visit_ms(url, page)) for page in EVERY_PAGE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--after", type=float, default=20.0, help="seconds between the server start and the visit"
    )
    after = parser.parse_args().after
    print(f"machine: {os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f}")
    print(f"first open of Object detection on a fresh server (goal < {GOAL_MS} ms once warm):")
    columns = "{:<58} {:9.0f} ms {:7.0f} ms"
    print(f"  {'':<58} {'result shown':>12} {'run ended':>10}")
    cold, cold_server, _, _ = first_visit_ms(None)
    print("  " + columns.format("opened as soon as the server answers (models loading)", cold, cold_server))
    warm, warm_server, line, rss = first_visit_ms(after)
    print("  " + columns.format(f"opened {after:.0f} s after the server answers", warm, warm_server))
    print("  (run ended: when the page's websocket received the end of the server's run, which goes on")
    print("  below the result; the browser's own start-up, ~0.25 s before it connects, is in both columns)")
    print(f"  server log: {line}")
    print(f"  server RSS with every model warm: {rss:.0f} MiB (this script: {peak_rss_mib():.0f} MiB)")
    print("every page on a fresh server once warm, a visitor without a browser (server's run, ms):")
    print(f"  {'page':<16} {'first visit':>12} {'second':>8}")
    for page, (first, second) in every_page_twice_ms().items():
        print(f"  {page or 'home':<16} {first:12.0f} {second:8.0f}")


if __name__ == "__main__":
    main()
