"""The same class as ``classroom``, with no browser: each student is a ``StreamlitVisitor`` speaking
Streamlit's websocket protocol, so the machine's cores are the server's and the figures are what students
on laptops of their own meet (less their own rendering, a few hundred ms on a laptop).

Every student makes ``INTERACTIONS`` in order, as the browser lesson does: each open is a new tab (a new
session), each step waits for its run to end, then fetches the run's new pictures. An interaction is timed
from its first request (an upload's URL request and HTTP upload included) to the last picture fetched; the
server's share is the script run alone. After each step the student's page is checked for what it should
show, for an exception box and for another student's marks (``foreign_marks``).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

from app_support.shared.streamlit_client import StreamlitVisitor
from benchmarks.classroom import (
    FAST_STYLE_QUERY,
    FOUND,
    PAINTED,
    SAME,
    VERDICT,
    ClassReport,
    Student,
    failure,
    foreign_marks,
)


class _Lesson:
    """One student's steps against ``base_url``, recorded in ``report``."""

    def __init__(
        self, base_url: str, me: Student, students: list[Student], report: ClassReport, timeout_s: float
    ):
        self.base_url, self.me, self.students, self.report = base_url, me, students, report
        self.timeout_s = timeout_s
        self.doing = "nothing yet"
        self.tab: StreamlitVisitor | None = None

    async def open(self, interaction: str, page: str, expected: str | re.Pattern, query: str = "") -> None:
        """Close the tab, open ``page`` in a new one."""
        await self.close()
        self.tab = StreamlitVisitor(self.base_url, page, query)
        await self.step(interaction, self.tab.open, expected)

    async def step(
        self,
        interaction: str | None,
        action: Callable[[], Awaitable],
        *expected: str | re.Pattern,
    ) -> None:
        """Do ``action`` (timed under ``interaction`` unless None; at most ``timeout_s``), then check the
        page."""
        self.doing, start = interaction or "a step on the way", time.perf_counter()
        await asyncio.wait_for(action(), self.timeout_s)
        if interaction is not None:
            self.report.seconds[interaction].append(time.perf_counter() - start)
            self.report.server_seconds[interaction].append(self.tab.server_s)
        text = self.tab.text
        for wanted in expected:
            if not re.search(wanted if isinstance(wanted, re.Pattern) else re.escape(wanted), text):
                self.report.errors.append(f"{self.me.name}, {self.doing}: {wanted!r} is not shown")
        self.report.errors.extend(f"{self.me.name}, {self.doing}: {box}" for box in self.tab.errors)
        self.tab.errors.clear()
        seen = foreign_marks(text, self.me, self.students)
        if seen:
            self.report.leaks.append(f"{self.me.name}, {self.doing}: sees {', '.join(seen)}")

    async def upload(self, interaction: str, picker: str, name: str, data: bytes, *expected) -> None:
        """Switch the image picker ``picker`` to Upload (a step on the way), then drop ``data`` on it."""
        tab = self.tab
        await self.step(None, lambda: tab.set(f"{picker}_source", string_value="Upload"))
        await self.step(interaction, lambda: tab.upload(f"{picker}_upload", name, data), *expected)

    async def close(self) -> None:
        if self.tab is not None:
            await self.tab.close()


async def _attend(base_url: str, me: Student, students: list[Student], report: ClassReport, timeout_s: float):
    """One student's lesson (``INTERACTIONS``); a failure ends this student's lesson only."""
    lesson = _Lesson(base_url, me, students, report, timeout_s)
    slug, own_size = me.slug, me.size_mark
    try:
        await lesson.open("open detection", "detection", FOUND)
        await lesson.upload("upload photo", "det", f"{slug}.png", me.photo, own_size)
        score = lesson.tab.widget("det_score").element.slider
        lowest = {"data": [score.min]}
        await lesson.step(
            "move threshold", lambda: lesson.tab.set("det_score", double_array_value=lowest), own_size
        )

        await lesson.open("open faces", "faces", VERDICT)
        await lesson.upload("upload face A", "faces_a", f"{slug}_a.png", me.face)
        await lesson.upload("upload face B", "faces_b", f"{slug}_b.png", me.mirrored_face, SAME)
        await lesson.step(None, lambda: lesson.tab.set("faces_enrol_name", string_value=me.name))
        await lesson.step("enrol in gallery", lambda: lesson.tab.click("faces_enrol"), me.gallery_entry)

        await lesson.open("open fast style", "style-transfer", PAINTED, FAST_STYLE_QUERY)
        await lesson.upload(
            "style own photo", "st_content", f"{slug}.png", me.photo, me.content_caption, PAINTED
        )
    except Exception as err:  # a time-out, a closed socket, a missing widget: recorded, the others carry on
        report.errors.append(failure(me, lesson.doing, err))
    finally:
        await lesson.close()


async def run_class_async(base_url: str, students: list[Student], timeout_s: float = 120) -> ClassReport:
    """Every student's lesson at once against ``base_url``, each step at most ``timeout_s``."""
    report = ClassReport(len(students))
    start = time.perf_counter()
    await asyncio.gather(*(_attend(base_url, me, students, report, timeout_s) for me in students))
    report.wall_s = time.perf_counter() - start
    return report
