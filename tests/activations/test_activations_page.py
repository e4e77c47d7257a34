"""AppTest of the activations page: a photo through EfficientNet-Lite0, a digit through LeNet-5, the
receptive-field table of a zoo model, and bad input shown as a message."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import PAGES, run_page

PAGE = str(PAGES / "activations.py")
TIMEOUT = 240


def _page(**query: str) -> AppTest:
    return run_page("activations.py", TIMEOUT, **query)


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def _image_captions(at: AppTest) -> list[str]:
    return [image.proto.imgs[0].caption for image in at.get("image")]


def test_photo_prediction_and_the_chosen_unit_from_the_url():
    at = _page(act_layer="block4a_expand_activation", act_channel="7", act_row="3", act_col="20")
    assert not at.exception
    assert any("Prediction: **Egyptian cat** (p = 0.79)" in m.value for m in at.markdown)
    assert at.dataframe[0].value["class"].tolist()[:3] == ["Egyptian cat", "tiger cat", "tabby"]
    assert [t.label for t in at.tabs] == [
        "Feature maps", "Top patches", "Grad-CAM", "Layer-1 filters", "Receptive-field table", "10-crop",
        "Ensemble",
    ]  # fmt: skip
    assert "block4a_expand_activation: 28×28×240; each unit sees r = 67 input pixels" in _captions(at)
    values = {n.label: n.value for n in at.number_input}
    assert (values["Channel"], values["Unit row"], values["Unit column"]) == (7, 3, 20)
    assert any(c.startswith("Receptive field of unit (3, 20) of channel 7") for c in _image_captions(at))


def test_other_tabs_render():
    for tab in ("Top patches", "Grad-CAM", "Layer-1 filters"):
        at = _page(act_tab=tab)
        assert not at.exception, tab
    at = _page(act_tab="Receptive-field table", act_rf_model="resnet50")
    assert not at.exception
    table = at.dataframe[-1].value
    assert table["layer"].iloc[-1] == "fc1000" and len(table) == 177
    at.button(key="act_rf_check").click().run()
    assert at.success and "non-zero input gradients in" in at.success[0].value
    assert not any("Note:" in caption.value for caption in at.caption)  # ResNet-50 is the paper's
    at = _page(act_tab="Receptive-field table", act_rf_model="inception-v1")
    assert any("are 3x3 here" in caption.value for caption in at.caption)


def test_lenet_with_an_mnist_digit():
    at = _page(act_model="lenet5-mnist", act_digit_source="MNIST test digit", act_digit="3")
    assert not at.exception
    assert any(m.value.startswith("Prediction: **") for m in at.markdown)
    assert "conv1: 28×28×6; each unit sees r = 5" in _captions(at)


def test_any_photo_gives_lenet_a_digit_to_read():
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params["act_model"] = "lenet5-mnist"
    at.query_params["act_digit_source"] = "Photo or upload"
    at.run()
    at.selectbox(key="act_photo_sample").set_value("coins").run()
    assert not at.exception
    assert any(m.value.startswith("Prediction: **") for m in at.markdown)


def test_a_link_to_top_patches_opens_on_its_unit():
    at = _page(act_tab="Top patches", act_layer="block4a_expand_activation", act_channel="7")
    assert not at.exception
    assert any(m.value.startswith("**block4a_expand_activation, channel 7**") for m in at.markdown)
    assert sum(" · (" in caption for caption in _image_captions(at)) == 9  # the course's nine patches


def _table_column(at: AppTest, index: int, column: str) -> list:
    return at.dataframe[index].value[column].tolist()


def test_ten_crops_of_chelsea():
    """chelsea is 300x451: resized to 256x385, centre crop at (⌊32/2⌋, ⌊161/2⌋) = (16, 80); the centre
    crop alone says tiger cat, the average of the ten Egyptian cat (ImageNet 285)."""
    at = _page(act_tab="10-crop")
    assert not at.exception
    caption = _captions(at)
    assert "Your 300×451 picture resized (bilinear) to 256×385, shorter side 256" in caption
    assert "centre (16, 80) and the corners (0, 0), (0, 161), (32, 0), (32, 161)" in caption
    tables = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "**Centre crop alone** (1 forward pass)" in tables and "**Average of the 10 crops**" in tables
    assert (
        _table_column(at, 1, "class")[0] == "tiger cat" and _table_column(at, 2, "class")[0] == "Egyptian cat"
    )
    # 392 M: EfficientNet-B0's 0.39 B multiply-adds (Tan & Le 2019, Table 2); Lite0 only drops squeeze-excite
    changed = "Top-1 changed by averaging: tiger cat → Egyptian cat. Cost: 10 forward passes, 10 × 392 M"
    assert any(m.value.startswith(changed) for m in at.markdown)
    crops = [i.caption for image in at.get("image") for i in image.proto.imgs if ": " in i.caption]
    assert (
        len(crops) == 10 and crops[0].startswith("centre: ") and crops[9].startswith("bottom right, mirrored")
    )
    assert at.select_slider(key="act_crop_side").value == 256


def test_ten_crops_follow_the_side_in_the_link():
    at = _page(act_tab="10-crop", act_crop_side="224")
    assert not at.exception
    assert "resized (bilinear) to 224×337, shorter side 224" in _captions(at)  # 451 · 224 / 300 = 336.75
    assert "centre (0, 56)" in _captions(at)
    at = _page(act_tab="10-crop", act_model="lenet5-mnist")
    assert not at.exception and "choose it as the Network" in at.info[0].value


def test_ensemble_of_two_lenets():
    """The held-out figures checked in tests/activations/test_multicrop.py, and both networks on the
    chosen MNIST test digit 3, whose label its caption names ("test digit 3 (y)")."""
    at = _page(act_tab="Ensemble")
    assert not at.exception
    assert _table_column(at, 1, "correct") == ["974/1000", "980/1000", "980/1000"]
    assert "no VGG or ResNet weights" in " ".join(m.value for m in at.markdown)
    assert "Choose LeNet-5 (handwritten digits) as the Network" in at.info[0].value
    at = _page(
        act_tab="Ensemble", act_model="lenet5-mnist", act_digit_source="MNIST test digit", act_digit="3"
    )
    assert not at.exception
    label = next(c.value for c in at.caption if c.value.startswith("test digit 3 ("))[-2]
    assert any(m.value == f"**Your digit**: the ensemble reads **{label}**." for m in at.markdown)
    table = at.dataframe[-1].value
    assert table["network"].tolist() == ["LeNet-5, seed 0", "LeNet-5, seed 1", "average"]
    assert table["reads"].tolist() == [label] * 3


def test_captions_follow_what_is_shown():
    """The enlarged map names its colour scale; LeNet's 1-channel filters are not called RGB; the 10-crop
    note names where the whole-photo prediction is (no longer above the tabs)."""
    at = _page(act_shared="false", act_channel="7")
    assert any(m.value.startswith("**Channel 7** (its own scale)") for m in at.markdown)
    at = _page(act_tab="Layer-1 filters", act_model="lenet5-mnist", act_digit_source="MNIST test digit")
    assert not at.exception
    filters = next(m.value for m in at.markdown if "first-layer filters" in m.value)
    assert "6 first-layer filters" in filters and "5×5×1" in filters and "1 input channel)" in filters
    assert "RGB" not in filters
    at = _page(act_tab="10-crop")
    cost = next(m.value for m in at.markdown if m.value.startswith("Top-1 "))
    assert "The prediction under the picker squeezes" in cost and "above the tabs" not in cost
