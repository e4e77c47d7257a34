"""What a live lecture needs of a page, as browser checks: the result inside the first screen at a
projector's 1280x720, no sideways scrolling at a phone's 390x844, and a link that restores the view.

``screen(browser, app_url, path, PROJECTOR)`` opens a page in a fresh browser context of that size, as a
student who follows a link would; ``sideways_scroll(page)`` is how far the page scrolls sideways;
``assert_on_first_screen(page, locator)`` checks the top of a result is visible without scrolling.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Locator, Page

from tests.e2e.conftest import assert_no_exception, wait_until_idle

#: a classroom projector, and a student's phone (CSS pixels)
PROJECTOR = (1280, 720)
PHONE = (390, 844)

#: every element that can scroll the page sideways: the document and Streamlit's main scroll box
_SCROLLERS = "[document.documentElement, document.querySelector('[data-testid=\"stMain\"]')]"


@contextmanager
def screen(browser: Browser, app_url: str, path: str, size: tuple[int, int]) -> Iterator[Page]:
    """A page opened on ``{app_url}/{path}`` (path may carry ``?query``) in a fresh context of ``size``."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(f"{app_url}/{path}")
        wait_until_idle(page)
        yield page
    finally:
        context.close()


def sideways_scroll(page: Page) -> int:
    """How many CSS pixels the page can scroll sideways (0 when everything fits the width)."""
    return page.evaluate(
        f"() => Math.max(...{_SCROLLERS}.filter(Boolean).map(e => e.scrollWidth - e.clientWidth))"
    )


def assert_fits(page: Page) -> None:
    """No exception box and no sideways scrolling."""
    assert_no_exception(page)
    overflow = sideways_scroll(page)
    assert overflow <= 1, f"the page scrolls {overflow} px sideways at width {page.viewport_size}"


def assert_on_first_screen(page: Page, result: Locator) -> None:
    """The top of ``result`` is inside the first screen, the page scrolled to its top."""
    page.evaluate(f"() => {_SCROLLERS}.filter(Boolean).forEach(e => e.scrollTo(0, 0))")
    page.wait_for_timeout(200)
    box = result.bounding_box()
    assert box is not None, "the result is not shown"
    height = page.viewport_size["height"]
    assert 0 <= box["y"] < height - 40, f"the result starts at y={box['y']:.0f}, below the {height}-px screen"


def shared_link(page: Page) -> str:
    """The address a teacher would copy now: the path and query of the page's current URL."""
    url = page.url
    return url.split("/", 3)[3] if url.count("/") >= 3 else ""
