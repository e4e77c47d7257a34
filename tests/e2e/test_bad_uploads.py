"""The bad and unusual files of ``tests/corpus.py`` through one uploader per page, in a real Chromium (all
of them on the first page; on the others, each kind of refusal and every file that must be accepted).

Each page is opened once and the files are dropped on its uploader one after another (where a fragment
holds the uploader, the previous file is removed first, so that no message can be left over from it: a
fragment's rerun does not show in the page's running state). After each file: no exception box, and the
file's one-line message shown once (or, for a file that must be accepted, no message but the page's own
verdict on a valid picture, such as "no face found"). A file of a type the uploader does not take, or over
its size limit, is refused by Streamlit itself, on the file's chip; the caption under the uploader states
both.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from app_support.shared.share_link import NOT_IN_LINK
from tests.corpus import CorpusFile, gallery_files, image_files, keras_files
from tests.e2e.conftest import assert_no_exception, settle, upload_bytes

pytestmark = pytest.mark.e2e

ERROR = "[data-testid='stAlertContentError']"
#: the Markdown name of the corpus's gallery, as the reader must see it (WORD JOINERs may follow ":")
MARKDOWN_NAME = re.compile(r"\*\*Bo\*\* \[link\]\(https:\u2060?//example\.com\) :\u2060?red\[red\] \$x\^2\$")
#: what Streamlit's Markdown would have made of it: a link, a formula, bold or coloured text
RENDERED = "a, .katex, strong, span[style*='color']"


@dataclass(frozen=True)
class Target:
    """A page opened with an uploader first on it: its link, the file types and size that uploader takes
    and the caption that says so, the messages the page may give a file that must be accepted, and the
    text it shows once it has taken a file (for an uploader inside a fragment, whose reruns the page's
    running state does not show), else None; and the button that unfolds it, if any."""

    link: str
    types: tuple[str, ...]
    max_bytes: int
    caption: str
    allowed: tuple[str, ...] = ()
    done: str | None = None
    opener: str | None = None  # the button that unfolds the uploader, where a popover holds it


IMAGE_TYPES = ("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp")
IMAGE_CAPTION = (
    "PNG, JPG, JPEG, GIF, BMP, TIF, TIFF or WEBP files of at most 25 MB, at most 50 megapixels. "
    + NOT_IN_LINK
)
IMAGE_PAGES = {
    name: Target(link, IMAGE_TYPES, 25_000_000, IMAGE_CAPTION, **extra)
    for name, link, extra in (
        (
            "convolution",
            "convolution?conv_tab=Edge+detection&edge_photo_source=Upload",
            {"done": "filter response |r|, scaled so that max|r| is white"},
        ),
        (
            "activations",
            "activations?act_tab=Layer-1+filters&act_source=Upload",
            {"allowed": ("needs at least",)},
        ),
        ("detection", "detection?det_source=Upload", {"allowed": ("needs at least",)}),
        ("faces", "faces?faces_a_source=Upload", {"allowed": ("no face found",)}),
        (
            "style-transfer",
            "style-transfer?st_content_source=Upload",
            {"allowed": ("needs at least",), "opener": "Content image C"},
        ),
    )
}
MODEL_PAGE = Target(
    "architectures?arch_tab=Open+your+own+model",
    ("keras",),
    25_000_000,
    "KERAS files of at most 25 MB, at most 150,000,000 parameters. " + NOT_IN_LINK,
    done="Download the table (CSV)",
)
#: photos A and B are samples, so the gallery import is the page's first uploader
GALLERY_PAGE = Target(
    "faces", ("json",), 2_000_000, "JSON files of at most 2 MB, as exported here. " + NOT_IN_LINK
)


def _errors(page: Page) -> list[str]:
    """The error boxes' texts, as the reader sees them (without the invisible WORD JOINERs)."""
    return [text.replace("\u2060", "") for text in page.locator(ERROR).all_inner_texts()]


def _open(app_page, target: Target) -> tuple[Page, Locator]:
    """The page and its first uploader, whose caption states what it takes."""
    page = app_page(target.link)
    if target.opener:
        page.get_by_role("button", name=target.opener).click()
    uploader = page.locator("[data-testid='stFileUploader']").first
    caption = uploader.locator("xpath=following::*[@data-testid='stCaptionContainer'][1]")
    expect(caption).to_have_text(target.caption)
    return page, uploader


def _drop(page: Page, uploader: Locator, file: CorpusFile, target: Target) -> bool:
    """Drop ``file`` on the uploader and wait for its message or result (where a fragment holds the
    uploader, its files are removed first and their messages gone). False when the uploader itself
    refused the file (its type or size), which it shows on the file's chip."""
    removes = uploader.locator("[data-testid='stFileChipDeleteBtn'] button")
    if target.done and removes.count():
        while removes.count():
            removes.first.click()
        settle(page)
        expect(page.locator(ERROR)).to_have_count(0, timeout=60_000)
        if target.done:
            expect(page.get_by_text(target.done, exact=True).first).to_be_hidden(timeout=60_000)
    upload_bytes(page, file.name, file.data, mimetypes.guess_type(file.name)[0] or "application/octet-stream")
    chip = uploader.locator("[data-testid='stFileChip']").filter(
        has=page.locator(f"[data-testid='stFileChipName'][title='{file.name}']")
    )
    expect(chip).to_be_visible(timeout=60_000)
    if file.name.rsplit(".", 1)[-1] not in target.types or len(file.data) > target.max_bytes:
        expect(chip.locator("[data-testid='stFileChipIconError']")).to_be_visible()
        assert_no_exception(page)
        return False
    settle(page)
    if file.expect is not None:
        expect(page.locator(ERROR).filter(has_text=file.expect).first).to_be_visible(timeout=60_000)
    elif target.done:
        expect(page.get_by_text(target.done, exact=True).first).to_be_visible(timeout=60_000)
    assert_no_exception(page)
    return True


def _check(page: Page, file: CorpusFile, target: Target) -> None:
    errors = _errors(page)
    if file.expect is None:
        unexpected = [text for text in errors if not any(reason in text for reason in target.allowed)]
        assert not unexpected, f"{file.name} ({file.kind}) must be accepted, got {unexpected}"
    else:  # shown, and once
        assert [file.expect in text for text in errors].count(True) == 1, f"{file.name}: {errors}"


#: The first page takes every corpus image. The refusals come from the one shared reader (each file is also
#: checked against it in tests/core/test_bad_files.py), so the other pages take one file per kind of refusal
#: (each message, the uploader's own type refusal, a page's size limit) and every file they must accept,
#: which is where a page's own code meets the odd picture.
REFUSALS_ON_EVERY_PAGE = (
    "empty.png",
    "notes.png",
    "truncated.jpg",
    "bomb.png",
    "header_only.png",
    "text_bomb.png",
    "animated.gif",
    "pages.tiff",
    "drawing.svg",
    "strip_tall.png",
)


def _files_for(page_name: str) -> list[CorpusFile]:
    files = image_files()
    if page_name == next(iter(IMAGE_PAGES)):
        return files
    return [file for file in files if file.expect is None or file.name in REFUSALS_ON_EVERY_PAGE]


@pytest.mark.parametrize("page_name", list(IMAGE_PAGES))
def test_every_corpus_image_through_one_uploader(app_page, page_name):
    target = IMAGE_PAGES[page_name]
    page, uploader = _open(app_page, target)
    for file in _files_for(page_name):
        if _drop(page, uploader, file, target):
            _check(page, file, target)


def test_every_corpus_model_file_through_architectures(app_page):
    page, uploader = _open(app_page, MODEL_PAGE)
    for file in keras_files():
        if _drop(page, uploader, file, MODEL_PAGE):
            _check(page, file, MODEL_PAGE)
            assert len(_errors(page)) == (file.expect is not None), f"{file.name}: {_errors(page)}"


def test_every_corpus_gallery_through_faces(app_page):
    page, uploader = _open(app_page, GALLERY_PAGE)
    for file in gallery_files():
        if not _drop(page, uploader, file, GALLERY_PAGE):
            continue
        _check(page, file, GALLERY_PAGE)
        if file.kind == "name written in Markdown":  # its thumbnail's caption and the "nearest …" warning
            # a table cell holds it too, hidden: the table is drawn on a canvas, where nothing is rendered
            shown = page.get_by_text(MARKDOWN_NAME).and_(page.locator(":not([role='gridcell'])"))
            expect(shown.first).to_be_visible()
            for element in shown.all():
                expect(element.locator(RENDERED)).to_have_count(0)
