"""The faces page in a real Chromium: two uploads → verdict, a no-face photo, enrol two people → identify."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from cnn_core.images import encode_png, sample_image
from tests.e2e.conftest import assert_no_exception, settle
from tests.e2e.viewport import PHONE, PROJECTOR, assert_fits, assert_on_first_screen, screen, shared_link

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


def _upload(page: Page, side: str, path: Path) -> None:
    page.locator(f".st-key-faces_{side}_source").get_by_text("Upload", exact=True).click()
    settle(page)
    uploader = page.locator(f".st-key-faces_{side}_upload")
    uploader.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    expect(uploader.locator("[data-testid='stFileChipName']")).to_have_text(path.name, timeout=60_000)
    settle(page)


def _enrol(page: Page, name: str) -> None:
    field = page.locator(".st-key-faces_enrol_name input")
    field.fill(name)
    field.press("Enter")
    settle(page)
    page.locator(".st-key-faces_enrol button").click()
    settle(page)
    expect(field).to_have_value("", timeout=60_000)  # cleared for the next person


@pytest.fixture
def photos(tmp_path) -> dict[str, Path]:
    astronaut = sample_image("astronaut")
    images = {
        "astronaut": astronaut,
        "flipped": np.ascontiguousarray(astronaut[:, ::-1]),
        "hopper": sample_image("grace_hopper"),
        "coffee": sample_image("coffee"),
    }
    paths = {}
    for name, image in images.items():
        paths[name] = tmp_path / f"{name}.png"
        paths[name].write_bytes(encode_png(image))
    return paths


def test_two_uploads_give_a_verdict_and_no_face_is_explained(app_page, photos):
    page = app_page("faces")
    assert_no_exception(page)
    expect(
        page.get_by_text("Different people", exact=True)
    ).to_be_visible()  # default samples: astronaut vs cameraman

    _upload(page, "a", photos["astronaut"])
    _upload(page, "b", photos["flipped"])
    assert_no_exception(page)
    expect(page.get_by_text("Same person", exact=True)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "faces_same_person.png"), full_page=True)

    _upload(page, "b", photos["coffee"])
    assert_no_exception(page)
    expect(page.get_by_text("no face found (the detector's best face score was")).to_be_visible()
    expect(page.get_by_text("The verdict needs one usable face in each photo.")).to_be_visible()


def test_enrol_two_people_then_identify(app_page, photos):
    page = app_page("faces")
    _upload(page, "g", photos["hopper"])  # the gallery's own photo
    _enrol(page, "Grace")
    _upload(page, "g", photos["astronaut"])
    _enrol(page, "Eileen")
    assert_no_exception(page)
    expect(page.get_by_text("2. Eileen")).to_be_visible()

    _upload(page, "b", photos["flipped"])
    page.locator(".st-key-faces_identify").get_by_text("Photo B", exact=True).click()
    settle(page)
    assert_no_exception(page)
    expect(
        page.locator("[data-testid='stAlertContentSuccess']", has_text="Photo B is Eileen")
    ).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "faces_gallery.png"), full_page=True)

    page.get_by_role("tab", name="Triplet loss").click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("loss L", exact=True)).to_be_visible()


def test_siamese_and_binary_classification_tabs(app_page):
    page = app_page("faces")
    page.get_by_role("tab", name="Siamese network").click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("so the page says different people")).to_be_visible(timeout=60_000)
    expect(page.locator(".st-key-faces_siamese_png button")).to_be_visible()

    page.get_by_role("tab", name="Binary classification").click()
    settle(page)
    page.locator(".st-key-faces_bin_feature").get_by_text("chi-square", exact=True).click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Now: w and b fit with chi-square")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("different people (learned)")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "faces_binary.png"), full_page=True)


def test_landmarks_tab(app_page):
    page = app_page("faces")
    page.get_by_role("tab", name="Landmarks").click()
    settle(page)
    assert_no_exception(page)
    expect(
        page.get_by_text("Photo A, face #1 of 2 (89 px): its 68 points in red, numbered 1–68")
    ).to_be_visible(timeout=60_000)
    page.locator(".st-key-faces_lm_numbers").get_by_text("Number the points").click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Photo A, face #1 of 2 (89 px): its 68 points in red and MTCNN's")).to_be_visible(
        timeout=60_000
    )
    assert "faces_lm_numbers=false" in page.url
    page.locator(".st-key-faces_lm_photo").get_by_text("Photo B", exact=True).click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Photo B, face #1 of 1")).to_be_visible(timeout=60_000)
    expect(page.locator(".st-key-faces_lm_csv button")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "faces_landmarks.png"), full_page=True)


def test_the_verdict_is_on_the_first_screen_of_a_projector(browser, app_url):
    with screen(browser, app_url, "faces", PROJECTOR) as page:
        assert_fits(page)
        verdict = page.locator("[data-testid='stAlertContainer']", has_text="Different people")
        assert_on_first_screen(page, verdict)
        photos = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=\"stImage\"]')]"
            ".filter(e => e.innerText.startsWith('MTCNN:'))"
            ".map(e => Math.round(e.querySelector('img').getBoundingClientRect().height))"
        )
        assert photos[:2] == [150, 150]  # photos A and B (then the gallery's) as thumbnails


def _formulas_fit(page: Page) -> None:
    """Every display formula shown is whole: no part of it hidden behind its box's scroll bar (KaTeX's
    struts of a two-line formula may stick out by a pixel or two, which hides nothing)."""
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.katex-display')].map(e => [e.scrollWidth, e.clientWidth])"
    )
    assert widths and all(scroll <= client + 3 for scroll, client in widths), widths


def test_a_phone_shows_whole_formulas_and_never_scrolls_sideways(browser, app_url):
    with screen(browser, app_url, "faces", PHONE) as page:
        assert_fits(page)
        _formulas_fit(page)
        for tab in ("Triplet loss", "Binary classification"):
            page.get_by_role("tab", name=tab).click()
            settle(page)
            assert_fits(page)
            _formulas_fit(page)


def test_a_landmarks_link_restores_the_chosen_face(app_page, browser, app_url):
    page = app_page("faces")
    page.get_by_role("tab", name="Landmarks").click()
    settle(page)
    page.locator(".st-key-faces_lm_face").get_by_text("#2", exact=False).click()
    settle(page)
    page.locator(".st-key-faces_lm_mtcnn").get_by_text("MTCNN's 5 points").click()
    settle(page)
    shown = "Photo A, face #2 of 2 (28 px): its 68 points in red, numbered 1–68; enlarged"
    expect(page.get_by_text(shown)).to_be_visible(timeout=60_000)
    with screen(browser, app_url, shared_link(page), PROJECTOR) as fresh:
        assert_no_exception(fresh)
        expect(fresh.get_by_role("tab", name="Landmarks", selected=True)).to_be_visible()
        expect(fresh.get_by_text(shown)).to_be_visible(timeout=60_000)
