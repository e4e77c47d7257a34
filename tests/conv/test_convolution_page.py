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
    app.radio(key="conv_pad").set_value("same").run()
    assert app.metric[0].value == "4 x 4"


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
