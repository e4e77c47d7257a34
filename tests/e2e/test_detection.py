"""The detection page in a real Chromium: upload, move the thresholds, step through NMS, download JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cnn_core.images import encode_png, sample_image
from tests.e2e.conftest import assert_no_exception, settle

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


def _slider(page: Page, label: str):
    return page.locator("[data-testid='stSlider']").filter(has_text=label).get_by_role("slider")


def _press(page: Page, label: str, key: str) -> None:
    thumb = _slider(page, label)
    thumb.focus()
    thumb.press(key)
    settle(page)


def _upload(page: Page, path: Path) -> None:
    page.get_by_text("Upload", exact=True).click()
    settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    settle(page)


def test_upload_thresholds_nms_and_json(app_page, tmp_path):
    page = app_page("detection")
    assert_no_exception(page)
    expect(page.get_by_text("1 object(s) found")).to_be_visible()  # the default sample: the motorbike

    photo = tmp_path / "coffee.png"
    photo.write_bytes(encode_png(sample_image("coffee")))
    _upload(page, photo)
    assert_no_exception(page)
    expect(page.get_by_text("object(s) found")).to_be_visible()

    _press(page, "Score threshold", "Home")  # the lowest threshold, 0.01: many more boxes survive
    assert_no_exception(page)
    found = int(page.get_by_text("object(s) found").inner_text().split()[0])
    assert found >= 2

    page.get_by_role("tab", name="6 · Non-max suppression").click()
    settle(page)
    expect(page.get_by_text("Round 1 of")).to_be_visible()
    _press(page, "NMS round", "ArrowRight")
    expect(page.get_by_text("Round 2 of")).to_be_visible()
    assert_no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "detection_nms.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download detections (JSON)").click()
    payload = json.loads(Path(download_info.value.path()).read_text())
    assert set(payload) == {"detections", "ms"}
    assert len(payload["detections"]) == found
    assert "cup" in {d["label"] for d in payload["detections"]}
    assert set(payload["detections"][0]) == {"label", "class_id", "score", "box"}


def test_bad_upload_and_empty_result_are_explained(app_page, tmp_path):
    page = app_page("detection?det_score=0.95")
    expect(page.get_by_text("no objects above the threshold")).to_be_visible()
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"certainly not a PNG")
    _upload(page, bad)
    expect(page.get_by_text("not an image that can be read")).to_be_visible()
    assert_no_exception(page)


def test_side_demos_render(app_page):
    page = app_page("detection")
    for tab in ("IoU playground", "Anchor boxes", "Sliding windows"):
        page.get_by_role("tab", name=tab).click()
        settle(page)
        assert_no_exception(page)
    expect(page.get_by_text("1,766,400")).to_be_visible()  # the course's 16x16 example, window by window
    page.screenshot(path=str(SCREENSHOTS / "detection_sliding_windows.png"), full_page=True)
