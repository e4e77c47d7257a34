"""AppTest of the style-transfer page: a short live optimisation, a Stop that keeps the image, fast tab."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from tests.apptest import run_page

TIMEOUT = 240


def _page(**query: str) -> AppTest:
    return run_page("style_transfer.py", TIMEOUT, **query)


def _captions(at: AppTest) -> list[str]:
    """The captions of every picture on the page (one st.image may hold several), but the thumbnails of
    the pictures C and S."""
    captions = [picture.caption for element in at.get("image") for picture in element.proto.imgs]
    return [caption for caption in captions if not caption.startswith(("C: ", "S: "))]


def _watch(job, until, timeout_s: float = TIMEOUT) -> None:
    """Poll the job like the page's fragment does (a job nobody watches stops itself) until ``until()``."""
    deadline = time.monotonic() + timeout_s
    while not until():
        assert time.monotonic() < deadline, "the style-transfer job took too long"
        job.touch()
        time.sleep(0.5)


def test_page_opens_with_the_course_formula_and_controls():
    at = _page()
    assert not at.exception
    assert "J(G)" in at.latex[0].value
    assert [b.key for b in at.button] == ["st_quick", "st_full", "st_run", "st_stop"]
    assert at.button(key="st_stop").disabled
    assert any("press Run" in info.value for info in at.info)


def test_short_optimisation_runs_to_the_end_and_offers_downloads():
    at = _page(st_size="64", st_steps="10", st_opt="L-BFGS")  # the URL holds the label shown
    at.button(key="st_run").click().run()
    job = at.session_state["st_job"]
    _watch(job, lambda: not job.running)
    at.run()
    assert not at.exception and job.error is None
    assert job.latest.done and job.latest.step == 10
    assert job.settings.optimizer == "lbfgs" and job.settings.size == 64
    assert job.history[-1]["total"] < job.history[0]["total"]
    assert "G after 10 steps (done)" in _captions(at)
    downloads = {button.label: button for button in at.get("download_button")}
    assert set(downloads) == {"Download PNG", "Download settings (JSON)"}
    assert [metric.label for metric in at.metric] == ["J", "elapsed", "remaining"]


def test_stop_keeps_the_last_image():
    at = _page(st_size="64", st_steps="1000")
    at.button(key="st_run").click().run()
    job = at.session_state["st_job"]
    _watch(job, lambda: job.latest is not None)
    at.button(key="st_stop").click().run()
    assert job.stopped and not job.running
    assert job.latest.image.shape[:2] == (43, 64) and job.latest.step < 1000
    assert f"G after {job.latest.step} steps (stopped)" in _captions(at)
    assert at.button(key="st_stop").disabled


def test_fast_methods_paint_and_mix():
    at = _page(st_tab="Fast methods", st_fast_size="256")
    assert not at.exception
    captions = _captions(at)
    assert captions[:26] == [str(k) for k in range(26)]  # the photo in each learned style
    assert captions[26].startswith("26 learned styles, ")
    at.multiselect(key="st_mix").set_value([3, 19]).run()
    assert not at.exception
    at.segmented_control(key="st_fast").set_value("Any style picture").run()
    at.toggle(key="st_two").set_value(True).run()
    at.slider(key="st_strength").set_value(0.5).run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == ["Download PNG"]


def test_mixing_nothing_is_explained():
    at = _page(st_tab="Fast methods", st_fast_size="256")
    at.multiselect(key="st_mix").set_value([]).run()
    assert not at.exception
    assert "pick at least one of the 26 styles" in at.error[0].value


def test_grey_pictures_are_noted():
    at = _page(st_tab="Fast methods", st_fast_size="256")
    at.selectbox(key="st_content_sample").set_value("camera").run()  # the cameraman: a grey photo
    assert not at.exception
    assert any("content image is grey" in caption.value for caption in at.caption)
