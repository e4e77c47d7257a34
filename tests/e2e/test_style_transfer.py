"""The style-transfer page in a real Chromium: short optimisation, Stop, downloads, bad uploads, fast tab."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from cnn_core.images import encode_png
from tests.e2e.conftest import assert_no_exception, wait_until_idle
from tests.e2e.viewport import PHONE, PROJECTOR, assert_fits, assert_on_first_screen, screen

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))
SLOW_MS = 240_000  # the first run builds EfficientNet and traces the step; CI machines are slow


def _download(page: Page, label: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_short_optimisation_stop_and_download(app_page):
    page = app_page("style-transfer?st_size=64&st_steps=1000")
    assert_no_exception(page)
    page.get_by_role("button", name="▶ Run").click()
    expect(page.get_by_text(re.compile(r"G after \d+ steps \(running\)"))).to_be_visible(timeout=SLOW_MS)
    page.get_by_role("button", name="■ Stop").click()
    expect(page.get_by_text(re.compile(r"G after \d+ steps \(stopped\)"))).to_be_visible(timeout=SLOW_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    expect(page.get_by_role("button", name="■ Stop")).to_be_disabled()
    page.screenshot(path=str(SCREENSHOTS / "style_transfer_stopped.png"), full_page=True)

    assert _download(page, "Download PNG")[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads(_download(page, "Download settings (JSON)"))
    assert saved["settings"]["size"] == 64 and saved["settings"]["steps"] == 1000
    assert 0 < saved["step"] < 1000 and set(saved["costs"]) == {"content", "style", "tv", "total"}


def test_tiny_and_non_image_uploads_are_explained(app_page, tmp_path):
    page = app_page("style-transfer")
    page.get_by_role("button", name="Content image C").click()  # the content picker's popover
    page.get_by_text("Upload", exact=True).first.click()
    page.wait_for_timeout(500)
    wait_until_idle(page)
    upload = page.locator("[data-testid='stFileUploaderDropzoneInput']").first
    tiny = tmp_path / "tiny.png"
    tiny.write_bytes(encode_png(np.zeros((10, 12, 3), np.uint8)))
    upload.set_input_files(str(tiny))
    expect(
        page.get_by_text("the content image is 12x10 pixels; style transfer needs at least 32x32")
    ).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="▶ Run")).to_be_disabled()
    notes = tmp_path / "notes.png"
    notes.write_text("not a picture")
    upload.set_input_files(str(notes))
    expect(page.get_by_text("not an image that can be read")).to_be_visible(timeout=60_000)
    assert_no_exception(page)


def test_fast_methods_paint_and_download(app_page):
    page = app_page("style-transfer?st_tab=Fast+methods&st_fast_size=256")
    expect(page.get_by_text(re.compile(r"26 learned styles, \d+ ms"))).to_be_visible(timeout=SLOW_MS)
    assert_no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "style_transfer_fast.png"), full_page=True)
    png = _download(page, "Download PNG")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == (451, 300)  # chelsea's own size, not the 256-px view


def test_projector_shows_pictures_controls_and_result_together(browser, app_url):
    """At 1280x720, after Run, G is on the first screen beside the controls, with C and S as thumbnails."""
    with screen(browser, app_url, "style-transfer", PROJECTOR) as page:
        page.get_by_role("button", name="⚡ Quick demo").click()
        wait_until_idle(page)
        expect(page.get_by_text(re.compile(r"Estimated time ≈ \d+ s"))).to_be_visible()
        page.get_by_role("button", name="▶ Run").click()
        result = page.locator("[data-testid='stImage']").filter(has_text=re.compile(r"G after \d+ steps"))
        expect(result).to_be_visible(timeout=SLOW_MS)
        assert_fits(page)
        assert_on_first_screen(page, result)
        for picture in ("C: content, 451x300 px", "S: style, 640x427 px"):
            assert_on_first_screen(page, page.get_by_text(picture))
        assert_on_first_screen(page, page.get_by_role("button", name="■ Stop"))
        page.screenshot(path=str(SCREENSHOTS / "style_transfer_projector.png"))


@pytest.mark.parametrize("tab", ["Optimisation+(Gatys)", "Fast+methods"])
def test_phone_never_scrolls_sideways(browser, app_url, tab):
    with screen(browser, app_url, f"style-transfer?st_tab={tab}&st_fast_size=256", PHONE) as page:
        expect(page.locator("[data-testid='stImage']").first).to_be_visible(timeout=SLOW_MS)
        wait_until_idle(page)
        assert_fits(page)
