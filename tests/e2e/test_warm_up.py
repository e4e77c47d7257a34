"""Models warm before the first student: a fresh server loads every page's networks by itself, so the
first visitor of Object detection finds YOLOv3-tiny ready (no loading spinner, no warming notice), and
its warm-up ends with a visit of every page that shows no exception."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_support.shared.warmup import WARM_UPS
from tests.e2e.conftest import SERVER_LOGS, assert_no_exception, streamlit_server, wait_until_idle, wait_warm

pytestmark = pytest.mark.e2e

#: every text a page shows while a model is still loading: the loader's spinner and the warm-up notice
LOADING = ("Loading YOLOv3-tiny", "still warming up")

#: records, from the first paint on, every loading text that ever appears in the page (even for 50 ms)
WATCH_LOADING = """
window.__loadingSeen = [];
new MutationObserver(() => {
  const text = document.body ? document.body.innerText : "";
  for (const needle of %s) {
    if (text.includes(needle) && !window.__loadingSeen.includes(needle)) window.__loadingSeen.push(needle);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_a_fresh_server_warms_up_without_a_visitor_and_detection_answers_warm(browser):
    with streamlit_server(warm=False) as url:
        line = wait_warm(SERVER_LOGS[url])  # no student yet; the warm-up has visited every page itself
        assert all(warm_up.name in line for warm_up in WARM_UPS), line
        assert "failed" not in line, line
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.add_init_script(WATCH_LOADING % list(LOADING))
        page = context.new_page()
        page.goto(f"{url}/detection")
        wait_until_idle(page)
        expect(page.get_by_text("object(s) found").first).to_be_visible()
        assert_no_exception(page)
        assert page.evaluate("window.__loadingSeen") == []
        context.close()
