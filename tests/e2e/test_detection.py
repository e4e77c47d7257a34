"""The detection page in a real Chromium: upload, move the thresholds, step through NMS, download JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from cnn_core.images import encode_png, load_image, sample_image
from tests.e2e.conftest import assert_no_exception, set_number, settle
from tests.e2e.viewport import PROJECTOR, assert_on_first_screen, screen, shared_link

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
    page.get_by_role("tab", name="The course's 14x14 example").click()
    settle(page)
    expect(page.get_by_text("1,766,400")).to_be_visible()  # the course's 16x16 example, window by window
    page.screenshot(path=str(SCREENSHOTS / "detection_sliding_windows.png"), full_page=True)


def test_localization_tab_own_box_and_loss(app_page):
    page = app_page("detection?det_tab=Localization")
    assert_no_exception(page)
    expect(page.get_by_text("y = [1,")).to_be_visible()  # the motorbike, class 3
    page.get_by_text("my own box", exact=True).click()
    settle(page)
    expect(page.get_by_text("y = [1, 0.4, 0.55, 0.6, 0.2, 1, 0, 0]")).to_be_visible()
    _press(page, "b_x (midpoint, from the left)", "ArrowRight")  # 0.41
    expect(page.get_by_text("y = [1, 0.41, 0.55, 0.6, 0.2, 1, 0, 0]")).to_be_visible()
    expect(page.get_by_text("p_c = 1: the squared error sums all 8 terms")).to_be_visible()
    assert "det_loc_bx=0.41" in page.url
    page.get_by_text("no object (p_c = 0)", exact=True).click()
    settle(page)
    expect(page.get_by_text("p_c = 0: only the first entry counts, (ŷ₁ − y₁)² = 0.0400")).to_be_visible()
    assert_no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "detection_localization.png"), full_page=True)


def test_encoding_tab_grid_and_anchors(app_page):
    page = app_page("detection?det_tab=The+notes%27+YOLO+encoding&det_enc_source=my+own+boxes")
    assert_no_exception(page)
    expect(page.get_by_text("Object 2 (car) shares cell (1, 1) with object 1")).to_be_visible()
    field = page.get_by_label("Grid S (S x S cells)", exact=True)
    field.fill("4")
    field.press("Enter")
    settle(page)
    expect(
        page.get_by_text("Every object has a cell of its own")
    ).to_be_visible()  # 4x4: cells (2, 1), (2, 2)
    page.get_by_role("tab", name="Two anchors per cell").click()
    settle(page)
    expect(page.get_by_text("4x4x16")).to_be_visible()
    page.get_by_role("tab", name="YOLOv3-tiny's outputs").click()
    settle(page)
    expect(page.get_by_text("= 85 numbers")).to_be_visible()  # the tables are drawn on a canvas
    expect(page.get_by_text("Which of the 2,535 (cell, anchor) slots")).to_be_visible()  # 13²·3 + 26²·3
    assert_no_exception(page)


def test_sliding_windows_on_the_photo(app_page):
    page = app_page("detection?det_tab=Sliding+windows")
    assert_no_exception(page)
    expect(page.get_by_text("5 x 8 = 40")).to_be_visible()  # 741 x 500: ⌊581/80⌋ + 1, ⌊340/80⌋ + 1
    set_number(page, "Stride (pixels)", 160)
    settle(page)  # 12 windows, one network pass each: seconds on a busy CPU
    expect(page.get_by_text("3 x 4 = 12")).to_be_visible()  # ⌊340/160⌋ + 1, ⌊581/160⌋ + 1
    assert "det_sw_stride=160" in page.url
    assert_no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "detection_windows_photo.png"), full_page=True)


def test_region_proposals_tab(app_page):
    page = app_page("detection?det_tab=Region+proposals+%28R-CNN%29&det_rp_n=5")
    assert_no_exception(page)
    expect(page.get_by_text("classifying 5 crops")).to_be_visible()
    set_number(page, "Proposals classified", 3)
    expect(page.get_by_text("classifying 3 crops")).to_be_visible()
    expect(page.get_by_text("Making it faster")).to_be_visible()
    assert "det_rp_n=3" in page.url
    assert_no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "detection_rcnn.png"), full_page=True)


def _view(page: Page) -> dict[str, str]:
    """What a student sees of the detection view: sample, score, class filter, open step, message."""
    main = page.locator("[data-testid='stMain']")
    return {
        "sample": main.get_by_role("combobox", name="Sample image").input_value(),
        "score": main.locator("[data-testid='stSlider']").filter(has_text="Score threshold").inner_text(),
        "classes": main.locator("[data-testid='stMultiSelect']").inner_text(),
        "step": main.get_by_role("tab", selected=True).last.inner_text(),
        "message": main.locator("[data-testid='stAlert']").first.inner_text(),
    }


def test_a_shared_link_restores_sample_thresholds_filter_and_step(browser, app_url):
    """Issue 13: astronaut, score 0.40, only "person", the NMS step: a fresh browser shows all of it."""
    with screen(browser, app_url, "detection", PROJECTOR) as page:
        page.locator("[data-testid='stSelectbox']").filter(has_text="Sample image").click()
        page.get_by_role("option", name="astronaut").click()
        settle(page)
        for _ in range(15):  # 0.25 → 0.40 in steps of 0.01
            _slider(page, "Score threshold").press("ArrowRight")
        settle(page)
        page.locator("[data-testid='stMultiSelect']").click()
        page.keyboard.type("person")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        settle(page)
        # the message names the filter: nothing at all scores 0.40 on this photo
        expect(page.get_by_text("no person scored above 0.40, and no box of another class")).to_be_visible(
            timeout=60_000
        )
        page.get_by_role("tab", name="6 · Non-max suppression").click()
        settle(page)
        expect(page.get_by_text("Nothing to suppress: no person scored above 0.40")).to_be_visible()
        teacher = _view(page)
        link = shared_link(page)
    assert teacher["sample"] == "astronaut" and "0.40" in teacher["score"] and "person" in teacher["classes"]
    with screen(browser, app_url, link, PROJECTOR) as student:
        assert_no_exception(student)
        assert _view(student) == teacher


def test_the_result_is_on_the_first_screen_and_downloads_are_in_the_photos_pixels(browser, app_url, tmp_path):
    """Issue 13: at 1280x720 after an upload, the annotated photo starts on the first screen, beside the
    controls; the photo is 1280x720 (zidane.jpg's size), and so is the PNG download."""
    photo = tmp_path / "wide.png"
    photo.write_bytes(
        encode_png(np.asarray(Image.fromarray(sample_image("stereo_motorcycle")).resize((1280, 720))))
    )
    with screen(browser, app_url, "detection", PROJECTOR) as page:
        _upload(page, photo)
        assert_no_exception(page)
        result = page.locator("[data-testid='stMain'] [data-testid='stImage']").first
        assert_on_first_screen(page, result)
        slider = page.locator("[data-testid='stSlider']").filter(has_text="Score threshold")
        assert result.bounding_box()["y"] < slider.bounding_box()["y"]  # beside the controls, not under them
        expect(page.get_by_text("photo's own 1280x720 pixels")).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download annotated PNG").click()
        assert load_image(download_info.value.path(), max_side=None).shape == (720, 1280, 3)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download detections (JSON)").click()
        boxes = [d["box"] for d in json.loads(Path(download_info.value.path()).read_text())["detections"]]
        assert boxes and max(box[2] for box in boxes) > 1024  # the motorbike, in 1280-px coordinates
        page.screenshot(path=str(SCREENSHOTS / "detection_upload_1280.png"))
