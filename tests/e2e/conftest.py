"""Real-browser fixtures: one Streamlit server and one Debian Chromium per test session.

Tests get ``app_page(url_path)``: a Playwright page opened on that app page and waited until Streamlit
has finished running. ``assert_no_exception(page)`` fails a test when the page shows an exception box.
``app_server_pid`` is the process id of the shared server, for tests that read its memory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from app_support.shared.warmup import WARM_LINE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]


#: process id and log file of each running server, by its URL
SERVER_PIDS: dict[str, int] = {}
SERVER_LOGS: dict[str, Path] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


def wait_warm(log: Path, timeout_s: float = 300) -> str:
    """Wait for the server's "models warm" line in its ``log``; return that line."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith(WARM_LINE):
                return line
        time.sleep(0.3)
    raise TimeoutError(f"no '{WARM_LINE}' line in {log} after {timeout_s:.0f} s")


@contextmanager
def streamlit_server(warm: bool = True) -> Iterator[str]:
    """Run the app's server (``python serve.py``) on a free port, its output in a temporary log file
    (``SERVER_LOGS[url]``); yield its URL once it answers and, with ``warm``, once its models are loaded;
    stop it afterwards."""
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with tempfile.TemporaryDirectory(prefix="cnn-lab-server-") as folder:
        log = Path(folder) / "server.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "serve.py", "--server.port", str(port), "--server.headless", "true"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        SERVER_PIDS[url], SERVER_LOGS[url] = process.pid, log
        try:
            _wait_healthy(url, process)
            if warm:
                wait_warm(log)
            yield url
        finally:
            del SERVER_PIDS[url], SERVER_LOGS[url]
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """One app server for the whole test session."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def app_server_pid(app_url: str) -> int:
    """The process id of the app server (``app_url``)."""
    return SERVER_PIDS[app_url]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def wait_until_idle(page: Page, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has rendered the app and finished the current script run."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_timeout(300)  # let the last deltas paint
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)


def settle(page: Page) -> None:
    """Give Streamlit a moment to start the rerun a widget change triggers, then wait for it to finish."""
    page.wait_for_timeout(500)
    wait_until_idle(page)


def set_number(page: Page, label: str, value: int, index: int = 0) -> None:
    """Type ``value`` into the ``index``-th number input labelled ``label`` and wait for the rerun."""
    field = page.get_by_label(label, exact=True).nth(index)
    field.fill(str(value))
    field.press("Enter")
    wait_until_idle(page)


def upload_bytes(page: Page, name: str, data: bytes, mime_type: str = "image/png") -> None:
    """Drop a file made of ``data`` on the page's first file uploader and wait for the rerun."""
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": name, "mimeType": mime_type, "buffer": data}]
    )
    wait_until_idle(page)


def assert_no_exception(page: Page) -> None:
    """Fail when the page shows a Python exception box."""
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def _record(errors: list[str], error: Exception) -> None:
    # Plotly rejects the promise of an animation that a Pause button interrupts with a bare `undefined`;
    # that is how its pause works, not a fault.
    if str(error) != "undefined":
        errors.append(str(error))


@pytest.fixture
def app_page(browser: Browser, app_url: str) -> Iterator[Callable[[str], Page]]:
    """Open an app page (by its url path, "" for home) in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page_errors: list[str] = []

    def open_page(url_path: str) -> Page:
        page = context.new_page()
        page.on("pageerror", lambda error: _record(page_errors, error))
        page.goto(f"{app_url}/{url_path}")
        wait_until_idle(page)
        return page

    yield open_page
    context.close()
    assert not page_errors, f"JavaScript errors in the page: {page_errors}"
