"""The Architectures page in a real Chromium: pick every course model, change the builder, upload."""

from __future__ import annotations

import keras
import pytest
from keras import layers
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import assert_no_exception, set_number, upload_bytes, wait_until_idle

#: the explorer's models (issue 3), by the zoo names the picker offers, and their parameter totals
TOTALS = {
    "lenet5": "62,006",
    "lenet5-1998": "60,840",
    "alexnet": "61,100,840",
    "alexnet-2012": "60,965,224",
    "vgg16": "138,357,544",
    "vgg19": "143,667,240",
    "resnet50": "25,636,712",
    "plain50": "22,848,616",
    "inception-v1-paper": "6,998,552",
    "inception-v1": "6,639,464",
}


def _metric(page: Page, label: str):
    return (
        page.locator("[data-testid='stMetric']")
        .filter(has_text=label)
        .first.locator("[data-testid='stMetricValue']")
    )


def _pick(page: Page, label: str, option: str) -> None:
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page)


def _open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_until_idle(page)


def _keras_bytes(model: keras.Model, folder) -> bytes:
    path = folder / f"{model.name}.keras"
    model.save(path)
    return path.read_bytes()


def test_architectures_page_in_a_real_browser(app_page, tmp_path):
    page = app_page("architectures")
    expect(_metric(page, "parameters")).to_have_text("62,006")

    for name, total in TOTALS.items():
        _pick(page, "model", name)
        expect(_metric(page, "parameters")).to_have_text(total, timeout=60_000)
        assert_no_exception(page)
    assert "model=inception-v1" in page.url
    expect(page.get_by_text("the inception_*_5x5 layers are 3x3 here")).to_be_visible()
    page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)

    _open_tab(page, "Residual & Inception blocks")
    expect(page.locator("svg text").filter(has_text="res3a_branch1").first).to_be_visible()
    assert "tab=Residual" in page.url

    _open_tab(page, "Build your own")
    expect(_metric(page, "parameters")).to_have_text("62,006")
    set_number(page, "f", 15, index=2)  # layer 3: a 15x15 filter on the 14x14x6 volume
    expect(
        page.get_by_text("layer 3 (conv 15x15, s=1, p=0, 16 filters) gets a 14x14x6 input")
    ).to_be_visible()
    set_number(page, "f", 3, index=2)  # 14 → 12 → pool → 6: FC3 now sees 6·6·16 inputs
    expected = 456 + (3 * 3 * 6 * 16 + 16) + (6 * 6 * 16 * 120 + 120) + 10_164 + 850
    expect(_metric(page, "parameters")).to_have_text(f"{expected:,}")
    assert_no_exception(page)

    _open_tab(page, "Open your own model")
    inputs = keras.Input((28, 28, 1))
    small = keras.Model(
        inputs, layers.Dense(10, name="fc")(layers.Flatten()(layers.Conv2D(4, 3)(inputs))), name="small"
    )
    upload_bytes(page, "small.keras", _keras_bytes(small, tmp_path), "application/octet-stream")
    expect(_metric(page, "parameters")).to_have_text(f"{(9 * 4 + 4) + (26 * 26 * 4 * 10 + 10):,}")
    lam = keras.Sequential([keras.Input((3,)), layers.Lambda(lambda t: t * 2)], name="lam")
    upload_bytes(page, "lam.keras", _keras_bytes(lam, tmp_path), "application/octet-stream")
    expect(page.get_by_text("Lambda layer, i.e. Python code; it is refused")).to_be_visible()
    page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)
    assert_no_exception(page)


def test_a_link_made_before_the_url_convention_still_opens_its_view(app_page):
    page = app_page("architectures?tab=Compare&a=lenet5&b=lenet5-1998")
    table = page.locator("[data-testid='stTable']")
    expect(table.get_by_text("62,006").first).to_be_visible()
    expect(table.get_by_text("60,840").first).to_be_visible()
    assert "arch_tab=Compare" in page.url and "arch_cmp_b=lenet5-1998" in page.url
    assert_no_exception(page)


def test_builder_presets_load_the_notes_examples(app_page):
    page = app_page("architectures?arch_tab=Build+your+own")
    expect(_metric(page, "parameters")).to_have_text("62,006")
    _pick(page, "start from the notes' example", "CNN Example (table)")
    expect(_metric(page, "parameters")).to_have_text("62,958")
    expect(page.get_by_text("The notes' CNN Example table has 5 wrong rows")).to_be_visible()
    assert "arch_preset=CNN" in page.url
    _pick(page, "start from the notes' example", "Simple ConvNet (39x39x3)")
    expect(page.get_by_text("39x39x3 → 37x37x10 → 17x17x20 → 7x7x40 → 1")).to_be_visible()
    expect(_metric(page, "parameters")).to_have_text("27,301")
    assert_no_exception(page)


def _boxes(chart: Locator, selector: str) -> list[dict]:
    return [box for box in (item.bounding_box() for item in chart.locator(selector).all()) if box]


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("model", ["lenet5", "resnet50"])
def test_the_shape_flow_chart_reads_cleanly(app_page, model):
    """Issue 13: the "H·W shrinks while C grows" chart had its legend on its x labels and C ticks such as
    4, 55, 106 (or 6.65, 15.9): the legend now never touches a layer name, and every C tick is a round
    number (at most two significant digits)."""
    page = app_page(f"architectures?arch_model={model}")
    chart = page.locator(".js-plotly-plot").nth(1)
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".legend")).to_be_visible()
    legend = chart.locator(".legend").bounding_box()
    labels = _boxes(chart, ".xtick text")
    assert labels and legend and not any(_overlap(legend, label) for label in labels)
    ticks = [
        text.replace(",", "").replace("k", "000")
        for text in chart.locator(".y2tick text").all_text_contents()
    ]
    assert len(ticks) >= 3
    assert all(tick.isdigit() and len(tick.rstrip("0")) <= 2 for tick in ticks), ticks
    assert_no_exception(page)
