"""A picture shown at a fixed width is sent at that width: given a wider one, Streamlit encodes it,
decodes it again, shrinks it and encodes it once more on every rerun (a 1024-px photo as a thumbnail:
~10 ms of every rerun). So app_support/ shows a picture at a width in pixels only through
``layout.show_at_width``, which shrinks it first; an ``st.image`` call with such a width anywhere else
fails this test (unless ``SIZED_ELSEWHERE`` names its picture and where it is sized). The calls are
found by reading the source, so a new one fails the day it is written, whatever tab it hides in."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
#: the one module allowed to call st.image with a width in pixels: its show_at_width sends the width
MECHANISM = Path("app_support/shared/layout.py")
#: the first argument's source → where its pictures are made at their shown width
SIZED_ELSEWHERE = {"png": "figure_png shrinks the Siamese drawing to SIAMESE_WIDTH once per view"}


def unsized_pictures(root: Path = ROOT) -> list[str]:
    """``path:line argument`` of every ``st.image`` call in ``root``/app_support/, outside ``MECHANISM``,
    with a width that is not a word ("stretch", "content")."""
    found = []
    for path in sorted((root / "app_support").rglob("*.py")):
        if path.relative_to(root) == MECHANISM:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "st.image" and node.args):
                continue
            width = next((k.value for k in node.keywords if k.arg == "width"), None)
            if width is None or (isinstance(width, ast.Constant) and isinstance(width.value, str)):
                continue
            pictures = ast.unparse(node.args[0])
            if pictures not in SIZED_ELSEWHERE:
                found.append(f"{path.relative_to(root)}:{node.lineno} {pictures}")
    return found


def test_every_picture_shown_at_a_fixed_width_goes_through_show_at_width():
    assert unsized_pictures() == []


def test_the_check_finds_a_picture_sent_too_large(tmp_path):
    page = tmp_path / "app_support" / "page.py"
    page.parent.mkdir()
    page.write_text(
        "st.image(photo, width=150)\n"
        "show_at_width(photo, 150)\n"
        "st.image(photo, width='stretch')\n"
        "st.image(photos, caption='no width')\n"
    )
    assert unsized_pictures(tmp_path) == ["app_support/page.py:1 photo"]


def test_show_at_width_sends_each_picture_at_its_shown_width(monkeypatch):
    from app_support.shared import layout

    sent = []
    monkeypatch.setattr(layout.st, "image", lambda pictures, caption, width: sent.append((pictures, width)))
    photo = np.random.default_rng(0).integers(0, 256, (768, 1024, 3), dtype=np.uint8)
    layout.show_at_width([photo, photo[:40, :50]], 60, ["wide", "narrow"])
    layout.thumbnail(photo, "a photo")
    layout.thumbnail(photo[:100, :50], "a small one", height=150)
    (row, row_width), (large, large_width), (small, small_width) = sent
    assert [p.shape for p in row] == [(45, 60, 3), (40, 50, 3)] and row_width == 60
    assert large.shape == (150, 200, 3) and large_width == 200
    assert small.shape == (100, 50, 3) and small_width == 75  # shown enlarged by the browser, sent as is


def test_the_siamese_png_is_made_at_most_its_shown_width():
    """SIZED_ELSEWHERE's claim: figure_png shrinks a wider drawing to the width asked and leaves a
    narrower one as drawn."""
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    from app_support.faces.siamese_plot import figure_png

    figure = Figure(figsize=(6.4, 4.0), dpi=150)
    figure.add_subplot().plot([0, 1], [1, 0])
    widths = [Image.open(io.BytesIO(figure_png(figure, limit))).width for limit in (720, 2000)]
    assert widths[0] == 720 and 720 < widths[1] < 2000
