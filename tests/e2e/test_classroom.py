"""The load harness (benchmarks/classroom.py, classroom_websockets.py): its students are told apart, and a
short class of three, in browsers and as websocket visitors, runs against the test server without an error
and without any student seeing another's photo or name."""

from __future__ import annotations

import asyncio
import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from app_support.shared.streamlit_client import StreamlitVisitor
from benchmarks.classroom import INTERACTIONS, foreign_marks, make_students, run_class

STUDENTS = 3
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))  # a failed student's screen


def test_every_student_has_a_photo_size_and_name_of_their_own():
    students = make_students(8)
    for student in students:
        with Image.open(io.BytesIO(student.photo)) as photo:
            assert photo.size == student.size  # the mark shown on screen is the photo's real size
    assert (
        len({s.size for s in students})
        == len({s.name for s in students})
        == len({s.photo for s in students})
        == 8
    )


def test_a_leak_is_another_students_mark_as_a_whole_word():
    ann, bo, cy = make_students(3)
    width, height = bo.size
    screen = f"1. {ann.name} · Boxes in the photo's {ann.marks[1]} pixels"
    assert foreign_marks(screen, ann, [ann, bo, cy]) == []
    assert foreign_marks(f"{screen} · 1. {cy.name}", ann, [ann, bo, cy]) == [cy.name]
    assert foreign_marks(f"C: content, {width}x{height} px", ann, [ann, bo, cy]) == [f"{width}x{height}"]
    assert foreign_marks(f"{width}x{height}0 and 1{width}x{height}", ann, [ann, bo, cy]) == []


@pytest.mark.e2e
@pytest.mark.parametrize("browsers", [True, False], ids=["in browsers", "as websocket visitors"])
def test_a_class_of_three_at_once_has_no_error_and_no_leak(app_url, browsers):
    report = run_class(app_url, STUDENTS, shots=SCREENSHOTS, browsers=browsers)
    print(report.table())
    assert not report.errors, report.errors
    assert not report.leaks, report.leaks
    assert all(len(report.seconds[name]) == STUDENTS for name in INTERACTIONS), report.table()


@pytest.mark.e2e
def test_a_websocket_visitor_sees_what_its_runs_sent_and_is_told_apart_by_its_upload(app_url):
    """The visitor's page as text follows its runs: after an upload the page shows that photo's size and
    drops the sample's caption (a stale element would make the leak check blind or wrong)."""
    me = make_students(1)[0]

    async def visit() -> tuple[str, str, float]:
        tab = StreamlitVisitor(app_url, "detection")
        await tab.open()
        before = tab.text
        await tab.set("det_source", string_value="Upload")
        await tab.upload("det_upload", "me.png", me.photo)
        await tab.close()
        return before, tab.text, tab.server_s

    with ThreadPoolExecutor(1) as pool:  # beside the event loop of Playwright's sync API in this session
        before, after, server_s = pool.submit(asyncio.run, visit()).result()
    own = "{}x{}".format(*me.size)
    assert "object(s) found on stereo_motorcycle" in before and own not in before
    assert "object(s) found on your photo" in after and own in after
    assert "stereo_motorcycle" not in after  # the sample, its caption and the sample picker are gone
    assert server_s > 0
