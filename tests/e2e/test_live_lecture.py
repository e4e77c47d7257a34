"""Every page and every tab, as a link opens it, on a classroom projector (1280x720) and on a student's
phone (390x844): no exception, no JavaScript error and no sideways scrolling (``viewport.assert_fits``),
and the link's tab is the one shown. (The pages' own browser tests check what is on the first screen.)

A page's tabs are read from its tab bar, so a new tab is swept without a change here; each tab
is opened by its URL parameter (``?conv_tab=Animation``), as a shared link would. One browser context per
size, one page reused across all tabs (the phone's views reuse what the projector's computed and cached,
and the sweep stays a few minutes long). With ``CNN_LAB_SHOTS=<folder>`` each view is saved there as
``<page>_<tab>_<width>.png`` (the first screen, as the class sees it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page

from app_support.shared.catalogue import CATALOGUE
from tests.e2e.conftest import _record, wait_until_idle
from tests.e2e.viewport import PHONE, PROJECTOR, assert_fits

pytestmark = pytest.mark.e2e

#: URL path of each page → the key of its tabs in the URL (``run_tabs(..., key=...)`` in app_pages/)
TAB_KEYS = {
    "convolution": "conv_tab",
    "architectures": "arch_tab",
    "activations": "act_tab",
    "detection": "det_tab",
    "faces": "faces_tab",
    "style-transfer": "st_tab",
    "training": "tr_tab",
}
#: the page's top-level tab bar (a tab may hold tabs of its own)
TAB_BAR = "[data-testid='stTabs'] >> nth=0 >> [role='tablist'] >> nth=0"
SHOTS = os.environ.get("CNN_LAB_SHOTS")


class Viewer:
    """One page in a fresh browser context of one size, and the JavaScript errors it has raised."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda error: _record(self.errors, error))

    def open(self, app_url: str, path: str, query: dict[str, str]) -> Page:
        self.errors.clear()
        self.page.goto(f"{app_url}/{path}" + (f"?{urlencode(query)}" if query else ""))
        wait_until_idle(self.page)
        return self.page


@pytest.fixture(scope="module", params=[PROJECTOR, PHONE], ids=lambda size: f"{size[0]}px")
def viewer(request, browser: Browser) -> Iterator[Viewer]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    yield Viewer(context.new_page())
    context.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


def _problems(viewer: Viewer, name: str) -> list[str]:
    """What is wrong with the view on screen now (empty when it fits), and its screenshot saved."""
    page = viewer.page
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}_{page.viewport_size['width']}.png")
    problems = [f"{name}: JavaScript error {error}" for error in viewer.errors]
    try:
        assert_fits(page)
    except AssertionError as failure:
        problems.append(f"{name}: {str(failure).splitlines()[0]}")
    return problems


def test_home_fits(viewer: Viewer, app_url: str):
    viewer.open(app_url, "", {})
    assert not _problems(viewer, "home")


@pytest.mark.parametrize("path", list(TAB_KEYS))
def test_every_tab_fits(viewer: Viewer, app_url: str, path: str):
    assert {entry.url_path for entry in CATALOGUE} == set(TAB_KEYS), "a page is missing"
    key = TAB_KEYS[path]
    titles = viewer.open(app_url, path, {}).locator(TAB_BAR).get_by_role("tab").all_inner_texts()
    assert titles, f"{path} shows no tabs"
    problems = []
    for title in titles:
        page = viewer.open(app_url, path, {key: title})
        shown = page.locator(TAB_BAR).get_by_role("tab", selected=True).inner_text()
        if shown != title:
            problems.append(f"{path}?{key}={title}: the link opened the tab {shown!r}")
        problems += _problems(viewer, f"{_slug(path)}_{_slug(title)}")
    assert not problems, "\n".join(problems)
