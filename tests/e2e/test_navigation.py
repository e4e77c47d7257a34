"""Deep links work from the first request: a fresh server must route every URL through app.py."""

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import assert_no_exception, streamlit_server, wait_until_idle


def test_first_visit_to_a_deep_link_gets_the_app_navigation(browser: Browser):
    with streamlit_server() as url:  # a new server: no session has run app.py yet
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
