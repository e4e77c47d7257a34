"""The sidebar's "Link to this view": the address plus every query parameter, each value URL-encoded, so
that a browser reading the link back gets exactly the parameters the page had; and the uploader and the
camera say that their photo is not part of it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from app_support.shared.share_link import NOT_IN_LINK, view_link

#: the kinds of values the pages put in their URL: a tab title with spaces and brackets, a number, a
#: multiselect with two values, text with the characters that separate parameters
PARAMS = {
    "det_tab": ["Region proposals (R-CNN)"],
    "det_score": ["0.4"],
    "det_classes": ["person", "sports ball"],
    "faces_name": ["Ann & Bob = friends?"],
}


def test_a_link_reads_back_as_the_same_address_and_parameters():
    link = view_link("http://localhost:8501/detection", PARAMS)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "localhost:8501", "/detection")
    assert parse_qs(parts.query, keep_blank_values=True) == PARAMS


def test_a_link_is_written_as_a_browser_writes_a_form():
    # spaces as "+", brackets, "&", "=" and "?" percent-encoded (RFC 3986 / HTML form encoding)
    assert view_link("http://h/detection", {"det_tab": ["Region proposals (R-CNN)"], "q": ["a&b=c?"]}) == (
        "http://h/detection?det_tab=Region+proposals+%28R-CNN%29&q=a%26b%3Dc%3F"
    )


def test_a_view_without_parameters_is_the_bare_address():
    assert view_link("http://localhost:8501/convolution", {}) == "http://localhost:8501/convolution"


def test_without_an_address_the_link_is_its_query():
    # st.context.url is None outside a browser session (AppTest)
    assert view_link(None, {"conv_tab": ["Animation"]}) == "?conv_tab=Animation"
    assert view_link(None, {}) == ""


def _picker_page() -> None:
    from app_support.shared.image_picker import image_picker

    image_picker("demo", camera=True)


@pytest.mark.parametrize("source", ["Upload", "Camera"])
def test_the_uploader_and_the_camera_say_that_a_link_does_not_carry_the_photo(source):
    at = AppTest.from_function(_picker_page, default_timeout=60)
    at.query_params["demo_source"] = source
    at.run()
    assert not at.exception
    assert any(caption.value.endswith(NOT_IN_LINK) for caption in at.caption), [c.value for c in at.caption]
