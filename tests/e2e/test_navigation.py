"""Deep links work from the first request: a fresh server must route every URL through app.py; the
sidebar's "Link to this view" restores the view in a fresh browser; a home card is a link as a whole."""

import re

from playwright.sync_api import Browser, Page, expect

from app_support.shared.catalogue import CATALOGUE
from tests.e2e.conftest import assert_no_exception, settle, streamlit_server, wait_until_idle
from tests.e2e.viewport import PROJECTOR, screen


def test_first_visit_to_a_deep_link_gets_the_app_navigation(browser: Browser):
    with streamlit_server(warm=False) as url:  # a new server: no session has run app.py yet
        page = browser.new_page()
        page.goto(f"{url}/style-transfer")
        wait_until_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_text("Object detection")).to_be_visible()  # titles from app.py's navigation
        expect(sidebar.get_by_text("CNN Lab · convolutional networks, hands on")).to_be_visible()
        expect(page.get_by_role("dialog")).to_have_count(0)  # no "Page not found"
        expect(page.locator("h1").first).to_have_text("Neural style transfer")
        assert_no_exception(page)
        page.close()


def _thumb(page: Page, label: str):
    return page.locator("[data-testid='stSlider']").filter(has_text=label).get_by_role("slider")


def test_the_link_to_this_view_opens_the_same_tab_and_slider_in_a_fresh_browser(browser: Browser, app_url):
    with screen(browser, app_url, "convolution", PROJECTOR) as page:
        page.get_by_role("tab", name="Animation").click()
        settle(page)
        thumb = _thumb(page, "input n")
        moved = int(thumb.input_value()) + 2
        thumb.focus()
        for _ in range(2):
            thumb.press("ArrowRight")
        settle(page)
        page.get_by_role("button", name="Link to this view").click()
        settle(page)
        popover = page.locator("[data-testid='stPopoverBody']")
        expect(popover.get_by_text("Uploaded photos and files are not part of a link.")).to_be_visible()
        link = popover.locator("code").inner_text().strip()
    assert link.startswith(f"{app_url}/convolution?"), link
    with screen(browser, app_url, link.removeprefix(f"{app_url}/"), PROJECTOR) as shared:
        expect(shared.get_by_role("tab", selected=True)).to_have_text("Animation")
        expect(_thumb(shared, "input n")).to_have_value(str(moved))
        assert_no_exception(shared)


def test_a_click_on_a_cards_blurb_opens_its_page(app_page):
    page = app_page("")
    blurb = page.get_by_text(next(e.blurb for e in CATALOGUE if e.url_path == "detection")[1:40].strip())
    blurb.scroll_into_view_if_needed()
    box = blurb.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # where a user clicks
    expect(page).to_have_url(re.compile(r"/detection$"))
    wait_until_idle(page)
    expect(page.locator("h1").first).to_have_text("Object detection (YOLO)")
