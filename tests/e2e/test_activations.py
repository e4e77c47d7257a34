"""The Activations page in a real Chromium: upload a photo, pick a layer, click a unit, see its field."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from skimage import data

from cnn_core.images import SAMPLE_NAMES
from tests.e2e.conftest import assert_no_exception, set_number, settle, upload_bytes, wait_until_idle
from tests.e2e.viewport import PROJECTOR, assert_on_first_screen, screen, shared_link

SHOTS = os.environ.get("CNN_LAB_SHOTS")  # a folder to keep screenshots in, for a human look
#: the page's first run on a fresh server builds EfficientNet-Lite0 and its feature model: minutes on a
#: busy 2-core machine
FIRST_RUN_MS = 600_000


@pytest.fixture(scope="module", autouse=True)
def built_networks(browser, app_url):
    """Open the page once before the tests, with time for the server to build its networks."""
    with screen(browser, app_url, "", PROJECTOR) as page:
        page.goto(f"{app_url}/activations")
        wait_until_idle(page, FIRST_RUN_MS)


def _png(array) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG")
    return buffer.getvalue()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name))


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).first.click()
    page.keyboard.type(option)  # the list is long and virtual: filter it, then take the match
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page)


def _click_in_chart(page: Page, key: str, layer: str, fx: float, fy: float) -> None:
    """Click at a fraction (fx, fy) of the picture (``layer``: CSS of its SVG element) in a plotly chart."""
    area = page.locator(f".st-key-{key} {layer}").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    settle(page)


def test_upload_pick_a_layer_click_a_unit_and_see_its_receptive_field(app_page):
    page = app_page("activations")
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.get_by_text("Upload", exact=True).first.click()
    wait_until_idle(page)
    upload_bytes(page, "tiny.png", _png(np.zeros((1, 1, 3), np.uint8)))
    expect(
        page.get_by_text("the image is 1x1 pixels; the ImageNet classifier needs at least 16x16")
    ).to_be_visible(timeout=60_000)
    upload_bytes(page, "notes.png", b"not an image at all")
    expect(page.get_by_text("the file is not an image that can be read").first).to_be_visible(timeout=60_000)
    assert_no_exception(page)
    upload_bytes(page, "coffee.png", _png(data.coffee()[:, ::-1]))
    expect(page.get_by_text("Prediction: espresso").first).to_be_visible(timeout=60_000)

    _choose(page, "Layer", "block3a_expand_activation")
    expect(page.get_by_text("block3a_expand_activation: 56×56×144").first).to_be_visible()
    assert "act_layer=block3a_expand_activation" in page.url

    _click_in_chart(page, "act_grid", ".layer-above, .imagelayer image", 0.3, 0.1)  # a map of the first row
    channel = int(page.get_by_label("Channel", exact=True).input_value())
    assert 0 < channel < 10
    _click_in_chart(page, "act_map", "g.hm image", 0.25, 0.75)  # a unit in the lower left quarter
    row = int(page.get_by_label("Unit row", exact=True).input_value())
    col = int(page.get_by_label("Unit column", exact=True).input_value())
    assert (row, col) != (28, 28) and row > 28 > col
    caption = page.get_by_text(f"Receptive field of unit ({row}, {col}) of channel {channel}").first
    expect(caption).to_be_visible()
    field = page.locator("[data-testid='stImage']").filter(has_text="Receptive field of unit").first
    expect(field.locator("img")).to_be_visible()
    assert (
        f"act_row={row}" in page.url and f"act_col={col}" in page.url and f"act_channel={channel}" in page.url
    )
    _shot(page, "activations_unit.png")
    assert_no_exception(page)

    page.get_by_role("tab", name="Top patches").click()
    wait_until_idle(page)
    across = f"the 9 strongest units across {len(SAMPLE_NAMES) + 1} images"  # the samples and the upload
    expect(page.get_by_text(across).first).to_be_visible()
    _shot(page, "activations_patches.png")
    page.get_by_role("tab", name="Grad-CAM").click()
    wait_until_idle(page)
    expect(page.get_by_text("Grad-CAM of 'espresso").first).to_be_visible()
    _shot(page, "activations_gradcam.png")
    assert_no_exception(page)


def test_draw_a_digit_for_lenet(app_page):
    page = app_page("activations?act_model=lenet5-mnist")
    canvas = page.locator(".st-key-act_canvas canvas").last
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + 40)
    page.mouse.down()
    for step in range(21):  # one vertical stroke: a "1"
        page.mouse.move(x, box["y"] + 40 + step * 10)
    page.mouse.up()
    wait_until_idle(page)
    expect(page.get_by_text("Prediction: 1").first).to_be_visible(timeout=60_000)  # the canvas reruns late
    expect(page.get_by_text("conv1: 28×28×6").first).to_be_visible()
    _shot(page, "activations_lenet_drawn.png")
    assert_no_exception(page)


def test_ten_crops_and_the_ensemble(app_page):
    """The 10-crop tab on the default photo (chelsea): move the shorter side S from 256 to 288 with the
    keyboard, see the caption and the link follow; then the Ensemble tab's held-out figures."""
    page = app_page("activations?act_tab=10-crop")
    expect(page.get_by_text("Average of the 10 crops").first).to_be_visible()
    expect(page.get_by_text("resized (bilinear) to 256×385, shorter side 256").first).to_be_visible()
    thumb = page.locator("[data-testid='stSlider']").filter(has_text="Shorter side S").get_by_role("slider")
    thumb.focus()
    thumb.press("ArrowRight")
    settle(page)
    expect(page.get_by_text("resized (bilinear) to 288×433, shorter side 288").first).to_be_visible()
    assert "act_crop_side=288" in page.url
    expect(page.get_by_text("centre: ", exact=False).first).to_be_visible()
    _shot(page, "activations_ten_crop.png")
    assert_no_exception(page)

    page.get_by_role("tab", name="Ensemble").click()
    settle(page)
    expect(page.get_by_text("The average gets 980/1000 right").first).to_be_visible(timeout=120_000)
    assert "act_tab=Ensemble" in page.url
    assert_no_exception(page)


def _caption_texts(page: Page) -> list[str]:
    return page.locator("[data-testid='stImageCaption']").all_inner_texts()


def test_projector_an_upload_shows_its_results_beside_the_picker(browser, app_url):
    """At 1280x720, after an upload the feature maps, and on their tabs the Grad-CAM map and the 10-crop
    tables, start inside the first screen (they used to start below the picker and the full-size photo)."""
    with screen(browser, app_url, "activations", PROJECTOR) as page:
        page.get_by_text("Upload", exact=True).first.click()
        wait_until_idle(page)
        upload_bytes(page, "coffee.png", _png(data.coffee()))
        expect(page.get_by_text("Prediction: espresso").first).to_be_visible(timeout=60_000)
        assert_on_first_screen(page, page.locator(".st-key-act_grid"))
        page.get_by_role("tab", name="Grad-CAM").click()
        settle(page)
        assert_on_first_screen(page, page.locator("[data-testid='stImage']").filter(has_text="Grad-CAM of"))
        page.get_by_role("tab", name="10-crop").click()
        settle(page)
        assert_on_first_screen(page, page.get_by_text("Average of the 10 crops"))
        _shot(page, "activations_ten_crop_1280.png")


def test_a_link_made_on_top_patches_and_grad_cam_restores_the_view(browser, app_url):
    """Choose coffee, a layer and a channel on Top patches, then a class on Grad-CAM; each link opened in a
    fresh browser shows the same patches, the same class and the same sample."""
    with screen(browser, app_url, "activations?act_tab=Top+patches", PROJECTOR) as page:
        _choose(page, "Sample image", "coffee")
        _choose(page, "Layer", "block3a_expand_activation")
        set_number(page, "Channel", 5)
        settle(page)
        heading = page.get_by_text("block3a_expand_activation, channel 5:").first
        expect(heading).to_be_visible(timeout=60_000)
        patches, said = _caption_texts(page), heading.inner_text()
        link = shared_link(page)
        page.get_by_role("tab", name="Grad-CAM").click()
        settle(page)
        page.get_by_label("Class", exact=True).first.click()
        page.get_by_role("option").nth(1).click()  # the second most likely class
        wait_until_idle(page)
        cam = [c for c in _caption_texts(page) if c.startswith("Grad-CAM of")]
        cam_link = shared_link(page)
    assert all(p in link for p in ("act_tab=Top", "act_sample=coffee", "act_layer=", "act_channel=5"))
    with screen(browser, app_url, link, PROJECTOR) as page:
        expect(page.get_by_text("block3a_expand_activation, channel 5:").first).to_have_text(said)
        expect(page.locator("[data-testid='stImageCaption']")).to_have_text(patches, timeout=60_000)
        expect(page.get_by_role("combobox", name="Sample image")).to_have_value("coffee")
    assert "act_cam_class=" in cam_link
    with screen(browser, app_url, cam_link, PROJECTOR) as page:
        shown = page.locator("[data-testid='stImageCaption']").filter(has_text="Grad-CAM of")
        expect(shown).to_have_text(cam, timeout=60_000)
        assert_no_exception(page)
