"""The Training page in a real Chromium: train two sample classes, predict a photo, augment, ResNets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_exception, set_number, settle, wait_until_idle
from tests.e2e.viewport import PROJECTOR, assert_on_first_screen, screen, shared_link

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("CNN_LAB_SHOTS")  # a folder to keep screenshots in, for a human look
SLOW_MS = 300_000  # the first run loads EfficientNet-Lite0 and caches features; CI machines are slow


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_train_two_sample_classes_and_predict(app_page):
    page = app_page("training?tr_epochs=2&tr_samples=brick&tr_samples=grass")
    page.set_viewport_size(dict(zip(("width", "height"), PROJECTOR, strict=True)))
    assert_no_exception(page)
    expect(page.get_by_text(re.compile(r"2,562.*trainable"))).to_be_visible()
    train = page.get_by_role("button", name="▶ Train")
    assert_on_first_screen(page, train)  # on a projector, Train and the curves it draws share the screen
    train.click()
    expect(page.get_by_text(re.compile(r"Kept epoch \d"))).to_be_visible(timeout=SLOW_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    assert_on_first_screen(page, page.locator(".st-key-tr_curves"))
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
    page.set_viewport_size(dict(zip(("width", "height"), PROJECTOR, strict=True)))
    wait_until_idle(page, timeout_ms=SLOW_MS)
    assert_no_exception(page)
    # the depth curves beside Train all six, both on a projector's first screen
    assert_on_first_screen(page, page.locator(".st-key-tr_depth_recorded"))
    assert_on_first_screen(page, page.get_by_role("button", name="▶ Train all six"))
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
    # the server may still be computing another visitor's gradient norms (Why ResNets work) on 2 cores
    expect(remaining).to_have_count(1, timeout=SLOW_MS)
    if not remaining.is_visible():  # the rerun may fold the expander again
        page.get_by_text("The data: 2 classes").click()
    expect(remaining).to_be_visible(timeout=30_000)
    assert_no_exception(page)


def test_a_link_made_on_the_augmentation_tab_restores_the_view(browser, app_url):
    """Coffee, pca, σ from the link, 4 draws, seed 3 on the augmentation tab: a fresh browser opening the
    link sees the same draws of the same photo, with the grid on the projector's first screen."""
    with screen(browser, app_url, "training?tr_tab=Data+augmentation&tr_sigma=2", PROJECTOR) as page:
        page.get_by_label("Sample image", exact=True).first.click()
        page.get_by_role("option", name="coffee", exact=True).click()
        wait_until_idle(page)
        page.get_by_label("Technique", exact=True).first.click()
        page.get_by_role("option", name="pca", exact=True).click()
        wait_until_idle(page)
        set_number(page, "Seed", 3)
        settle(page)
        said = "random draws of pca (seed 3) on a 256x171 copy"  # coffee is 400x600: 256 on its longer side
        expect(page.get_by_text(said)).to_be_visible(timeout=60_000)
        pictures = page.locator("[data-testid='stImage'] img")
        expect(pictures).to_have_count(1 + 9, timeout=60_000)  # the photo's thumbnail and the nine draws
        draws = pictures.evaluate_all("images => images.map(i => i.src)")
        link = shared_link(page)
    assert all(p in link for p in ("tr_tab=Data", "tr_aug_sample=coffee", "tr_tech=pca", "tr_aug_seed=3"))
    with screen(browser, app_url, link, PROJECTOR) as page:
        expect(page.get_by_text(said)).to_be_visible(timeout=60_000)
        expect(page.get_by_role("combobox", name="Sample image")).to_have_value("coffee")
        # the caption is drawn just before the draws: on a busy server the pictures may still be arriving
        expect(page.locator("[data-testid='stImage'] img")).to_have_count(len(draws), timeout=60_000)
        assert_on_first_screen(page, page.locator("[data-testid='stImage']").nth(1))  # the first draw
        assert_no_exception(page)
