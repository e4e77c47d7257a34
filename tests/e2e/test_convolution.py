"""The Convolution page in a real Chromium: change the layer, play the animation, upload images."""

import io

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_exception, set_number, settle, upload_bytes, wait_until_idle
from tests.e2e.viewport import PHONE, PROJECTOR, assert_fits, assert_on_first_screen, screen, shared_link


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 255).save(buffer, "PNG")
    return buffer.getvalue()


def test_convolution_page_in_a_real_browser(app_page, tmp_path):
    page = app_page("convolution")
    expect(page.get_by_text("4 x 4").first).to_be_visible()

    set_number(page, "input height n_H", 32)
    set_number(page, "input width n_W", 32)
    set_number(page, "filter f", 5)
    expect(page.get_by_text("28 x 28").first).to_be_visible()
    set_number(page, "stride s", 0)
    expect(page.get_by_text("stride must be ≥ 1, got 0")).to_be_visible()
    set_number(page, "stride s", 2)
    expect(page.get_by_text("14 x 14").first).to_be_visible()
    assert "conv_s=2" in page.url
    assert_no_exception(page)

    page.get_by_role("tab", name="Animation").click()
    page.locator(".updatemenu-button").filter(has_text="Play").first.click()
    page.wait_for_timeout(2500)
    caption = page.locator(".gtitle").first.text_content()
    assert caption and "output[" in caption and not caption.startswith("output[0, 0]")
    page.locator(".updatemenu-button").filter(has_text="Pause").first.click()
    page.screenshot(path=str(tmp_path / "animation.png"))
    page.screenshot(path="/tmp/shots/animation.png")
    assert_no_exception(page)

    page.get_by_role("tab", name="Edge detection").click()
    page.get_by_text("Upload", exact=True).first.click()
    wait_until_idle(page)
    upload_bytes(page, "empty.png", b"")
    expect(page.get_by_text("the file is empty")).to_be_visible()
    upload_bytes(page, "notes.png", b"not an image at all")
    expect(page.get_by_text("not an image that can be read")).to_be_visible()
    upload_bytes(page, "huge.png", _png((20000, 20000), "1"))
    expect(page.get_by_text("400 megapixels")).to_be_visible()
    upload_bytes(page, "photo.png", _png((300, 200)))
    expect(page.get_by_text("filter response")).to_be_visible()
    assert_no_exception(page)

    # the server keeps serving after all of that
    again = app_page("convolution")
    expect(again.get_by_text("Calculator").first).to_be_visible()


def test_one_by_one_tab_in_a_real_browser(app_page):
    """The 1x1 tab opens on the course's numbers; changing the sizes and the pixel updates them."""
    page = app_page("convolution?conv_tab=1x1+convolution")
    expect(page.get_by_text("6,176").first).to_be_visible()
    expect(page.get_by_text("4,816,896").first).to_be_visible()
    set_number(page, "1x1 filters n_C'", 16)
    expect(page.get_by_text("3,088").first).to_be_visible()  # 192·16 + 16
    assert "one_shrink_filters=16" in page.url
    set_number(page, "pixel row i", 6)
    expect(page.get_by_text("The ringed cell is pixel (6, 4)")).to_be_visible()
    expect(page.get_by_text("the same number as the dot product")).to_be_visible()
    assert_no_exception(page)


def test_edge_caption_follows_the_filter_in_a_real_browser(app_page):
    page = app_page("convolution?conv_tab=Edge+detection")
    expect(page.get_by_text("Columns 2 and 3 of the 4x4 result are nonzero")).to_be_visible()
    page.get_by_label("filter", exact=True).first.click()
    page.get_by_role("option", name="horizontal", exact=True).click()
    wait_until_idle(page)
    expect(page.get_by_text("Every cell of the 4x4 result is 0")).to_be_visible()
    assert_no_exception(page)


def test_a_link_made_on_the_animation_tab_restores_its_view(app_page, browser, app_url):
    """Issue 13: a link made on the Animation tab opened on the Calculator tab, and the step shown (a Plotly
    frame) was in no link. Every control, the step included, now comes back in a fresh browser."""
    page = app_page("convolution")
    page.get_by_role("tab", name="Animation").click()
    settle(page)
    page.get_by_text("same (course)", exact=True).click()
    settle(page)
    step = page.get_by_role("slider", name="step")
    for _ in range(5):
        step.press("ArrowRight")
    settle(page)
    page.get_by_text("large cells", exact=True).click()
    settle(page)
    formula = page.locator(".gtitle").first.text_content()
    assert formula and formula.startswith("output[0, 5] =")  # step 6 of the 6x6 "same" output
    with screen(browser, app_url, shared_link(page), PROJECTOR) as fresh:
        expect(fresh.get_by_role("tab", name="Animation", selected=True)).to_be_visible()
        assert fresh.locator(".gtitle").first.text_content() == formula
        expect(fresh.get_by_role("switch", name="large cells")).to_be_checked()
        expect(fresh.locator(".modebar-container .modebar")).to_have_count(0)  # no toolbar over the formula
        assert_on_first_screen(fresh, fresh.locator(".js-plotly-plot").first)
        assert_fits(fresh)


def test_the_animation_formula_fits_a_phone(browser, app_url):
    """Issue 13: at 390 px the formula line above the grids was cut off; it now wraps inside the figure."""
    with screen(browser, app_url, "convolution?conv_tab=Animation&anim_p=1", PHONE) as page:
        chart = page.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        title, box = page.locator(".gtitle").first.bounding_box(), chart.bounding_box()
        assert title and box
        assert box["x"] <= title["x"] and title["x"] + title["width"] <= box["x"] + box["width"]
        assert_fits(page)
