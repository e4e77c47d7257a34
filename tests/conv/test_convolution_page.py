"""AppTest of every section of the Convolution page, including bad input. Only the open tab runs, so each
test opens its tab through the URL (``?conv_tab=...``), as a shared link would."""

import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.apptest import PAGES

PAGE = str(PAGES / "convolution.py")


def _open(tab: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if tab:
        at.query_params["conv_tab"] = tab
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return _open()


@pytest.fixture
def edge() -> AppTest:
    return _open("Edge detection")


def _number(at: AppTest, key: str):
    return at.number_input(key=key)


def test_calculator_defaults_to_the_course_example(app):
    assert app.metric[0].value == "4 x 4"
    assert any("n_{out}" in latex.value and "= 4" in latex.value for latex in app.latex)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("conv_s", 0, "stride must be ≥ 1, got 0"),
        ("conv_pad_p", -1, "padding must be ≥ 0, got -1"),
        ("conv_f", 9, "the filter spans 9 pixels but the padded input has only 6"),
        ("conv_n_h", 10**9, "n must be ≤ 1,000,000"),
        ("conv_d", 0, "dilation must be ≥ 1, got 0"),
    ],
)
def test_calculator_bad_input_shows_a_clear_message(app, key, value, message):
    _number(app, key).set_value(value).run()
    assert not app.exception
    assert any(message in error.value for error in app.error)


def test_calculator_same_padding_and_stride(app):
    _number(app, "conv_n_h").set_value(8).run()
    _number(app, "conv_n_w").set_value(8).run()
    _number(app, "conv_s").set_value(2).run()
    assert app.metric[0].value == "3 x 3"
    assert any("skips the last 1 rows" in warning.value for warning in app.warning)
    app.radio(key="conv_pad").set_value("same (TensorFlow)").run()
    assert app.metric[0].value == "4 x 4"  # ⌈8/2⌉
    app.radio(key="conv_pad").set_value("same (course)").run()
    assert app.metric[0].value == "8 x 8"  # p = ⌈(8 − 2 + 3)/2⌉ = 5: ⌊(8 + 10 − 3)/2⌋ + 1 = 8


def test_calculator_names_both_same_paddings_at_stride_two():
    """n = 6, f = 3, s = 2: the course's same is p = ⌈3.5⌉ = 4 each side (6x6); TensorFlow's gives 3x3 with
    0 rows before and 1 after. No text may call the 3x3 result "output = input"."""
    app = _open(conv_s="2", conv_pad="same (course)")
    assert app.metric[0].value == "6 x 6"
    text = " ".join(md.value for md in app.markdown)
    assert "= **3.5** → p = ⌈3.5⌉ = **4** each side → ⌊(6 + 8 − 3)/2⌋ + 1 = 6" in text
    assert "floor drops" in text
    assert "⌈6/2⌉ = **3**" in text and "**0 before, 1 after**" in text
    assert "not a whole number, so no symmetric padding" not in text
    app.radio(key="conv_pad").set_value("same (TensorFlow)").run()
    assert app.metric[0].value == "3 x 3"


def test_calculator_course_same_at_stride_one_with_an_even_filter():
    """n = 6, f = 4, s = 1: p = 1.5; 1 before and 2 after gives 6, and both meanings agree."""
    app = _open(conv_f="4", conv_pad="same (course)")
    assert app.metric[0].value == "6 x 6"
    text = " ".join(md.value for md in app.markdown)
    assert "pad **1 before and 2 after**" in text and "the two meanings agree" in text


def test_an_old_same_padding_link_keeps_its_numbers():
    """Before both meanings were offered, ?conv_pad=same was TensorFlow's (6, 3, s = 2 → 3x3)."""
    app = _open(conv_pad="same", conv_s="2")
    assert app.radio(key="conv_pad").value == "same (TensorFlow)"
    assert app.metric[0].value == "3 x 3"


def test_url_parameters_set_the_calculator():
    link = {"conv_n_h": "32", "conv_n_w": "32", "conv_f": "5", "anim_op": "max"}
    assert _open(**link).metric[0].value == "28 x 28"
    assert _open("Animation", **link).selectbox(key="anim_op").value == "max"


def test_animation():
    app = _open("Animation")
    for op in ("convolution", "max", "average", "cross-correlation"):
        app.selectbox(key="anim_op").set_value(op).run()
        assert not app.exception
    app.slider(key="anim_s").set_value(2).run()
    app.slider(key="anim_p").set_value(1).run()
    assert not app.exception and not app.error
    app.slider(key="anim_f").set_value(5)
    app.slider(key="anim_p").set_value(0)
    app.slider(key="anim_n").set_value(3).run()
    assert not app.exception  # 5x5 on 3x3 without padding does not fit: a message, not a crash
    assert any("filter spans 5 pixels" in error.value for error in app.error)


def test_pooling():
    app = _open("Pooling")
    app.radio(key="pool_mode").set_value("average").run()
    app.number_input(key="pool_f").set_value(5).run()
    assert any("filter spans 5 pixels" in error.value for error in app.error)


def test_volume_and_why_convolutions():
    app = _open("Over volumes")
    app.slider(key="vol_filters").set_value(4).run()
    assert any(metric.value == "28x28x6" for metric in app.metric)
    assert any("14,455,392" in md.value for md in app.markdown)


def test_an_old_why_convolutions_link_keeps_its_numbers():
    """?why_n=20&why_c=1&why_k=4 (before the section was shared): 20x20x1 → 5x5 conv, 4 filters → 16x16x4;
    5·5·1·4 + 4 = 104 conv parameters, 400·1024 + 1024 = 410,624 fully connected."""
    app = _open("Over volumes", why_n="20", why_c="1", why_k="4")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["output"] == "16x16x4"
    assert metrics["conv 20x20x1 → 16x16x4"] == "104"
    assert metrics["fully connected, same shapes"] == "410,624"


def test_other_dimensions():
    app = _open("1-D & 3-D")
    assert any("**14 x 1** → **10 x 16** → **6 x 32**" in md.value for md in app.markdown)
    app.radio(key="nd_dims").set_value("3-D (CT volume)").run()
    assert any("**6 x 6 x 6 x 32**" in md.value for md in app.markdown)


def _png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.png", b"", "the file is empty"),
        ("notes.png", b"just some text", "not an image"),
        ("huge.png", None, "400 megapixels"),
    ],
)
def test_edge_detection_upload_errors(edge, name, data, message):
    if data is None:
        buffer = io.BytesIO()
        Image.new("1", (20000, 20000)).save(buffer, "PNG")
        data = buffer.getvalue()
    edge.radio(key="edge_photo_source").set_value("Upload").run()
    edge.file_uploader(key="edge_photo_upload").set_value((name, data, "image/png")).run()
    assert not edge.exception
    assert any(message in error.value for error in edge.error)


def test_edge_detection_on_an_upload_and_custom_filter(edge):
    edge.radio(key="edge_photo_source").set_value("Upload").run()
    edge.file_uploader(key="edge_photo_upload").set_value(("red.png", _png(), "image/png")).run()
    assert not edge.exception and not edge.error
    edge.selectbox(key="edge_filter").set_value("custom").run()
    assert not edge.exception


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("vertical", "Columns 2 and 3 of the 4x4 result are nonzero (all 30, positive)"),
        ("horizontal", "Every cell of the 4x4 result is 0"),
        ("Sobel horizontal", "Every cell of the 4x4 result is 0"),
    ],
)
def test_edge_caption_says_what_the_grid_shows(name, start):
    """The horizontal filter gives all zeros on the course's image (every row is the same): its caption
    must not speak of a bright band or a vertical edge, as the old fixed sentence did."""
    app = _open("Edge detection", edge_filter=name)
    captions = [caption.value for caption in app.caption]
    assert any(caption.startswith(start) for caption in captions)
    if name != "vertical":
        assert not any("band" in caption or "vertical edge" in caption for caption in captions)


def _image_captions(at: AppTest) -> list[str]:
    return [caption for image in at.get("image") for caption in image.captions]


def test_edge_photo_caption_follows_the_signed_toggle(edge):
    """The camera sample is 512x512, under the 640-pixel cap: the caption gives the size filtered."""
    captions = _image_captions(edge)
    assert "sample image, filtered in grey at 512x512 (≤ 640 px a side)" in captions
    assert "filter response |r|, scaled so that max|r| is white" in captions
    edge.toggle(key="edge_signed").set_value(True).run()
    assert "filter response r, signed: 0 is grey, +max|r| white, −max|r| black" in _image_captions(edge)


def test_flip_caption_follows_the_kernel():
    app = _open("Correlation vs convolution")
    assert any("sign changed" in caption.value for caption in app.caption)
    app.selectbox(key="flip_kernel").set_value("horizontal").run()
    assert any(caption.value.startswith("Both maps are all 0 here") for caption in app.caption)


def test_one_by_one_tab_defaults_to_the_course_numbers():
    app = _open("1x1 convolution")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {"parameters": "6,176", "multiplies": "4,816,896"}
    assert any(r"192\cdot32 + 32 = 6{,}176" in latex.value for latex in app.latex)
    assert any(r"28\cdot28\cdot32\cdot192 = 4{,}816{,}896" in latex.value for latex in app.latex)
    assert any("6x6x32 * 1 filter of 1x1x32 → 6x6x1" in caption.value for caption in app.caption)
    assert any("the same number as the dot product" in ok.value for ok in app.success)
    assert any("/architectures?arch_tab=1x1+bottleneck" in caption.value for caption in app.caption)


def test_one_by_one_tab_controls():
    app = _open("1x1 convolution", one_filters="3", one_k="2", one_row="6", one_col="1")
    assert any("6x6x32 * 3 filters of 1x1x32 → 6x6x3" in caption.value for caption in app.caption)
    assert any(r"z_{6,1,2}" in latex.value for latex in app.latex)
    assert any("at (6, 1) for filter 2: the same number" in ok.value for ok in app.success)
    app.number_input(key="one_shrink_filters").set_value(16).run()
    assert {metric.label: metric.value for metric in app.metric}["parameters"] == "3,088"  # 192·16 + 16
    app.number_input(key="one_seed").set_value(-1).run()
    assert any("seed must be ≥ 0, got -1" in error.value for error in app.error)
    assert not app.exception
