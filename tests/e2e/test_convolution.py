"""The Convolution page in a real Chromium: change the layer, play the animation, upload images."""

import io

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_exception, set_number, upload_bytes, wait_until_idle


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
