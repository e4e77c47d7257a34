"""The Training page in a real Chromium: train two sample classes, predict a photo, augment, ResNets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_exception, settle, wait_until_idle

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("CNN_LAB_SHOTS")  # a folder to keep screenshots in, for a human look
SLOW_MS = 300_000  # the first run loads EfficientNet-Lite0 and caches features; CI machines are slow


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_train_two_sample_classes_and_predict(app_page):
    page = app_page("training?tr_epochs=2&tr_samples=brick&tr_samples=grass")
    assert_no_exception(page)
    expect(page.get_by_text(re.compile(r"2,562.*trainable"))).to_be_visible()
    page.get_by_role("button", name="▶ Train").click()
    expect(page.get_by_text(re.compile(r"Kept epoch \d"))).to_be_visible(timeout=SLOW_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Photo to classify")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Grad-CAM of '(brick|grass)' at top_activation"))).to_be_visible()
    expect(page.get_by_role("button", name="Download model (.keras)")).to_be_visible()
    expect(page.get_by_role("button", name="■ Stop")).to_be_disabled()
    _shot(page, "training_transfer.png")


def test_augmentation_grid_changes_with_the_technique(app_page):
    page = app_page("training?tr_tab=Data+augmentation&tr_tech=shear&tr_n=4")
    assert_no_exception(page)
    expect(page.get_by_text("4 random draws of shear (seed 0)")).to_be_visible()
    page.get_by_label("Technique", exact=True).first.click()
    page.get_by_role("option", name="pca", exact=True).click()
    wait_until_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("4 random draws of pca (seed 0)")).to_be_visible()
    assert "tr_tech=pca" in page.url
    _shot(page, "training_augmentation.png")


def test_resnet_tab_shows_identity_and_gradients(app_page):
    page = app_page("training?tr_tab=Why+ResNets+work")
    wait_until_idle(page, timeout_ms=SLOW_MS)
    assert_no_exception(page)
    expect(page.get_by_text("residual: g(z + a[l])")).to_be_visible()
    expect(page.get_by_role("button", name="▶ Train all six")).to_be_enabled()
    _shot(page, "training_resnets.png")


def test_own_class_from_uploads_skips_a_bad_file_and_removes_a_photo(app_page):
    import numpy as np

    from cnn_core.images import encode_png

    page = app_page("training?tr_samples=brick")
    page.get_by_text("Your own classes: upload photos").click()
    page.get_by_label("Class name").fill("bright")
    page.get_by_label("Class name").press("Enter")
    wait_until_idle(page)
    files = [
        {
            "name": f"light{i}.png",
            "mimeType": "image/png",
            "buffer": encode_png(np.full((40, 60, 3), 200 + i, np.uint8)),
        }
        for i in range(3)
    ]
    files.append({"name": "broken.png", "mimeType": "image/png", "buffer": b"not a png"})
    page.locator(".st-key-tr_files [data-testid='stFileUploaderDropzoneInput']").set_input_files(files=files)
    expect(page.locator(".st-key-tr_files").get_by_text("broken.png")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("button", name="Add to class").click()
    settle(page)
    assert_no_exception(page)
    skipped = page.get_by_text(re.compile(r"Skipped broken\.png: the file is not an image"))
    expect(skipped).to_be_visible(timeout=30_000)
    page.get_by_text("The data: 2 classes").click()
    expect(page.get_by_text(re.compile(r"bright.*3 photos"))).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Remove", exact=True).click()
    wait_until_idle(page)
    settle(page)
    remaining = page.get_by_text(re.compile(r"bright.*2 photos"))
    expect(remaining).to_have_count(1, timeout=30_000)
    if not remaining.is_visible():  # the rerun may fold the expander again
        page.get_by_text("The data: 2 classes").click()
    expect(remaining).to_be_visible(timeout=30_000)
    assert_no_exception(page)
