"""A class at once: N students, each in a browser context of its own in one Debian Chromium, use the app.

Each student opens Detection, uploads a photo of their own, moves the score threshold, opens Faces and
uploads a pair (their face and its mirror image), enrols themselves in the gallery under a unique name,
then paints their photo with the fast style network. Every interaction is timed from the click (or the
navigation) until Streamlit has finished the run it started and the result it should show is visible.
Beside it, the server's share: from the page's request for a script run to the message that ends the run,
as the page's websocket saw them; the rest of an interaction is the browser's (its
uploads, rendering and pictures), and on one machine the browsers take CPU from the server.

After each interaction the student's page is checked for an exception box and for a *leak*: anything
that marks another student (their photo's unique pixel size, their gallery name) shown on this one's
screen. ``run_class`` returns a ``ClassReport``: the seconds of each interaction per student, every error
(exception boxes, JavaScript errors, time-outs) and every leak. ``bench_classroom`` prints it; the tests
run a small class and fail on any error or leak.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from playwright.async_api import Browser, Locator, Page, async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from cnn_core.images import encode_png, sample_image
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

#: the photos students upload to Detection and Style, in turn; each student crops theirs to a size of its own
SCENES = ("coffee", "stereo_motorcycle", "horse", "chelsea", "rocket", "china")
#: the face every student crops (and mirrors) for the Faces pair
FACE = "astronaut"
#: the timed interactions, in the order a student makes them
INTERACTIONS = (
    "open detection",
    "upload photo",
    "move threshold",
    "open faces",
    "upload face A",
    "upload face B",
    "enrol in gallery",
    "open fast style",
    "style own photo",
)
#: what each step's result shows: Detection's found objects, the Faces verdict (for the pair: the same
#: person), a student's gallery entry, the fast style network's painting and the student's photo as content
FOUND = "object(s) found"
VERDICT, SAME = re.compile("Same person|Different people"), "Same person"
PAINTED = re.compile(r"learned styles, \d+ ms")
#: the Style transfer page on its fast methods, 256 px
FAST_STYLE_QUERY = "st_tab=Fast+methods&st_fast_size=256"
#: the app after a script run: Streamlit marks its root with the run state
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def run_finished(frame: str | bytes) -> bool:
    """Whether a websocket frame from the server is the message that ends a script run. A rerun that
    takes a few milliseconds may never show as "running" on the page, but the server always says this."""
    return isinstance(frame, bytes) and ForwardMsg.FromString(frame).WhichOneof("type") == "script_finished"


def rerun_asked(frame: str | bytes) -> bool:
    """Whether a websocket frame from the page asks the server for a script run."""
    return isinstance(frame, bytes) and BackMsg.FromString(frame).WhichOneof("type") == "rerun_script"


@dataclass(frozen=True)
class Student:
    """One student: a unique ``name`` to enrol, a photo (PNG) of a unique ``size`` (width, height), and a
    face photo (PNG) with its mirror image."""

    name: str
    photo: bytes
    size: tuple[int, int]
    face: bytes
    mirrored_face: bytes

    @property
    def slug(self) -> str:
        """The name as a file name: "student_001"."""
        return self.name.lower().replace(" ", "_")

    @property
    def size_mark(self) -> str:
        """The photo's size as the pages write it: "WxH"."""
        return "{}x{}".format(*self.size)

    @property
    def gallery_entry(self) -> str:
        """This student's line in the gallery after enrolling."""
        return f"1. {self.name}"

    @property
    def content_caption(self) -> str:
        """The Style page's caption of this student's photo as content image."""
        return f"C: content, {self.size_mark} px"

    @property
    def marks(self) -> tuple[str, str]:
        """What only this student's screen may show: the gallery name and the photo's size "WxH"."""
        return self.name, self.size_mark


def make_students(n: int) -> list[Student]:
    """``n`` students: student k (from 0) gets scene ``SCENES[k % len(SCENES)]`` and the face photo, each
    cropped by k + 1 pixels on the right and bottom (so no photo has a sample's own size), and the name
    "Student 001", "Student 002", … (zero-padded: no name is part of another)."""
    face = sample_image(FACE)
    students = []
    for k in range(n):
        scene = sample_image(SCENES[k % len(SCENES)])[: -(k + 1), : -(k + 1)]  # (H - k - 1, W - k - 1, 3)
        own_face = face[: -(k + 1), : -(k + 1)]
        students.append(
            Student(
                name=f"Student {k + 1:03d}",
                photo=encode_png(scene),
                size=(scene.shape[1], scene.shape[0]),
                face=encode_png(own_face),
                mirrored_face=encode_png(np.ascontiguousarray(own_face[:, ::-1])),
            )
        )
    if len({student.size for student in students}) < n:
        raise ValueError(f"two of the {n} students' photos have the same size; add scenes")
    return students


def foreign_marks(text: str, me: Student, students: list[Student]) -> list[str]:
    """The marks of the other students that ``text`` (what ``me``'s screen shows) contains, as whole words.

    >>> a, b = (Student(name, b"", size, b"", b"") for name, size in (("Ann", (9, 8)), ("Bo", (90, 8))))
    >>> foreign_marks("Ann sees 9x8 and 190x80", a, [a, b]), foreign_marks("1. Bo, 90x8 px", a, [a, b])
    ([], ['Bo', '90x8'])
    """
    return [
        mark
        for student in students
        if student is not me
        for mark in student.marks
        if re.search(rf"(?<![\w.]){re.escape(mark)}(?![\w])", text)
    ]


def failure(me: Student, doing: str, err: Exception) -> str:
    """The error line of a student whose lesson stopped: who, at which step, the exception's type and the
    first line of its message (many time-outs have none)."""
    lines = str(err).splitlines()
    return f"{me.name}, {doing}: {type(err).__name__}: {lines[0][:300] if lines else ''}"


@dataclass
class ClassReport:
    """What a class run gave: the seconds of each interaction (one entry per student that made it), the
    errors (exception boxes, JavaScript errors, time-outs) and the leaks, each naming its student."""

    n: int
    seconds: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in INTERACTIONS})
    server_seconds: dict[str, list[float]] = field(
        default_factory=lambda: {name: [] for name in INTERACTIONS}
    )
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    def table(self) -> str:
        """One line per interaction: how many students finished it, then p50, p95 and max in seconds of the
        whole interaction and p50 and p95 of the server's share."""
        lines = [
            f"{'interaction':<18} {'done':>6} {'p50 s':>8} {'p95 s':>8} {'max s':>8}"
            f" {'server p50':>11} {'p95':>6}"
        ]
        for name, values in self.seconds.items():
            server = self.server_seconds[name]
            figures = (
                "{:8.2f} {:8.2f} {:8.2f}".format(*np.percentile(values, [50, 95]), max(values))
                if values
                else f"{'-':>8} {'-':>8} {'-':>8}"
            )
            if server:
                figures += " {:11.2f} {:6.2f}".format(*np.percentile(server, [50, 95]))
            lines.append(f"{name:<18} {len(values):>3}/{self.n:<2} {figures}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Class:
    """What every student of one run shares: the app's URL, the class list, the time an interaction may
    take, where to save the screen of a student whose lesson failed (None: nowhere) and the report."""

    base_url: str
    students: list[Student]
    timeout_ms: int
    shots: Path | None
    report: ClassReport


class _Session:
    """One student's page: timed interactions that wait until the app has settled, with the checks."""

    def __init__(self, page: Page, me: Student, lesson: _Class):
        self.page, self.me, self.students, self.report = page, me, lesson.students, lesson.report
        self.timeout_ms = lesson.timeout_ms
        self.main = page.locator("[data-testid='stMain']")
        self.doing = "nothing yet"  # the step under way, named in an error
        self.runs = 0  # script runs finished on this page (see run_finished)
        self.asked_at = 0.0  # when the page last asked for a script run
        self.server_s = 0.0  # from then to the end of the last run
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        socket.on("framesent", self._asked)
        socket.on("framereceived", self._count)

    def _asked(self, frame: str | bytes) -> None:
        if rerun_asked(frame):
            self.asked_at = time.perf_counter()

    def _count(self, frame: str | bytes) -> None:
        if run_finished(frame):
            self.runs += 1
            self.server_s = time.perf_counter() - self.asked_at

    async def open(self, interaction: str, path: str, *expected: Locator) -> None:
        """Go to ``path`` and wait until the first run has finished and ``expected`` is visible."""
        self.doing, start = interaction, time.perf_counter()
        await self.page.goto(path)
        await self.page.wait_for_selector(IDLE)
        await self._finish(interaction, start, expected)

    async def act(
        self, interaction: str, action: Callable[[], Awaitable], *expected: Locator, timed: bool = True
    ) -> None:
        """Do ``action``, then wait for a script run that finishes after it and for ``expected`` to be
        visible; timed under ``interaction`` unless not ``timed`` (a step on the way)."""
        before, deadline = self.runs, time.monotonic() + self.timeout_ms / 1000
        self.doing, start = interaction, time.perf_counter()
        await action()
        while self.runs == before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no script run finished within {self.timeout_ms / 1000:.0f} s")
            await asyncio.sleep(0.02)
        await self.page.wait_for_selector(IDLE)
        await self._finish(interaction if timed else None, start, expected)

    async def _finish(self, interaction: str | None, start: float, expected: tuple[Locator, ...]) -> None:
        for locator in expected:
            await locator.wait_for(state="visible")
        if interaction is not None:
            self.report.seconds[interaction].append(time.perf_counter() - start)
            self.report.server_seconds[interaction].append(self.server_s)
        await self._check()

    async def _check(self) -> None:
        boxes = self.page.locator("[data-testid='stException']")
        if await boxes.count():
            self.report.errors.append(
                f"{self.me.name}, {self.doing}: {(await boxes.first.inner_text())[:300]}"
            )
        seen = foreign_marks(await self.main.inner_text(), self.me, self.students)
        if seen:
            self.report.leaks.append(f"{self.me.name}, {self.doing}: sees {', '.join(seen)}")

    async def upload(self, interaction: str, scope: str, name: str, data: bytes, *expected: Locator):
        """Drop a PNG on the file uploader inside ``scope`` (a CSS selector)."""
        dropzone = self.page.locator(f"{scope} [data-testid='stFileUploaderDropzoneInput']")
        files = [{"name": name, "mimeType": "image/png", "buffer": data}]
        await self.act(interaction, lambda: dropzone.set_input_files(files=files), *expected)

    async def choose_upload(self, source: str) -> None:
        """Switch the image picker whose source radio is ``source`` (its widget key) to Upload: untimed."""
        radio = self.page.locator(f".st-key-{source}").get_by_text("Upload", exact=True)
        await self.act(f"choose Upload ({source})", radio.click, timed=False)


async def _lesson(session: _Session, base_url: str) -> None:
    """What one student does, interaction by interaction (see INTERACTIONS)."""
    page, me, main = session.page, session.me, session.main
    slug = me.slug
    own_size = main.get_by_text(re.compile(rf"\b{me.size_mark}\b")).first

    await session.open("open detection", f"{base_url}/detection", main.get_by_text(FOUND).first)
    await session.choose_upload("det_source")
    await session.upload("upload photo", ".st-key-det_upload", f"{slug}.png", me.photo, own_size)
    slider = main.locator("[data-testid='stSlider']").filter(has_text="Score threshold").get_by_role("slider")
    await session.act("move threshold", lambda: slider.press("Home"), own_size)

    await session.open("open faces", f"{base_url}/faces", main.get_by_text(VERDICT).first)
    pair = (("a", me.face, ()), ("b", me.mirrored_face, (main.get_by_text(SAME, exact=True),)))
    for side, data, expected in pair:
        await session.choose_upload(f"faces_{side}_source")
        interaction = f"upload face {side.upper()}"
        await session.upload(
            interaction, f".st-key-faces_{side}_upload", f"{slug}_{side}.png", data, *expected
        )
    name_field = page.locator(".st-key-faces_enrol_name input")
    await name_field.fill(me.name)
    await session.act("type a name", lambda: name_field.press("Enter"), timed=False)
    gallery_entry = main.get_by_text(me.gallery_entry, exact=True)
    await session.act("enrol in gallery", page.locator(".st-key-faces_enrol button").click, gallery_entry)

    painted = main.get_by_text(PAINTED).first
    fast = f"{base_url}/style-transfer?{FAST_STYLE_QUERY}"
    await session.open("open fast style", fast, painted)
    await page.get_by_role("button", name="Content image C").click()
    await session.choose_upload("st_content_source")
    own_content = main.get_by_text(me.content_caption)
    await session.upload(
        "style own photo", ".st-key-st_content_upload", f"{slug}.png", me.photo, own_content, painted
    )


async def _attend(browser: Browser, me: Student, lesson: _Class) -> None:
    """One student's lesson in a fresh browser context; a failure ends this student's lesson only."""
    report = lesson.report
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(lesson.timeout_ms)  # navigations and clicks too, not Playwright's 30 s
    page = await context.new_page()
    # Plotly rejects the promise of an interrupted animation with a bare `undefined`: not a fault
    page.on("pageerror", lambda err: str(err) != "undefined" and report.errors.append(f"{me.name}: JS {err}"))
    session = _Session(page, me, lesson)
    try:
        await _lesson(session, lesson.base_url)
    except Exception as err:  # a time-out or a vanished element: recorded, the others carry on
        report.errors.append(failure(me, session.doing, err))
        if lesson.shots is not None:
            await page.screenshot(
                path=lesson.shots / f"classroom_{me.name.replace(' ', '_')}.png", full_page=True
            )
    finally:
        await context.close()


async def run_class_async(
    base_url: str, students: list[Student], timeout_s: float = 120, shots: Path | None = None
) -> ClassReport:
    """Every student's lesson at once, each in a context of one Debian Chromium, against ``base_url``; the
    screen of a student whose lesson fails is saved in ``shots`` (a folder) when given."""
    lesson = _Class(base_url, students, int(timeout_s * 1000), shots, ClassReport(len(students)))
    start = time.perf_counter()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            await asyncio.gather(*(_attend(browser, me, lesson) for me in students))
        finally:
            await browser.close()
    lesson.report.wall_s = time.perf_counter() - start
    return lesson.report


def run_class(
    base_url: str, n: int, timeout_s: float = 120, shots: Path | None = None, browsers: bool = True
) -> ClassReport:
    """``run_class_async`` for ``make_students(n)`` (or, not ``browsers``, the websocket visitors'
    lesson of ``classroom_websockets``), from synchronous code: in a thread of its own, so it works beside
    a running event loop (Playwright's sync API in the same test session has one)."""
    from benchmarks import classroom_websockets

    students = make_students(n)
    lesson = (
        run_class_async(base_url, students, timeout_s, shots)
        if browsers
        else classroom_websockets.run_class_async(base_url, students, timeout_s)
    )
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, lesson).result()
