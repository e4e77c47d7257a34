"""A picture shown at a fixed width is sent at that width: given a wider one, Streamlit encodes it,
decodes it again, shrinks it and encodes it once more on every rerun (a 1024-px photo as a thumbnail:
~10 ms of every rerun). Every ``st.image`` call of app_support/ with a width in pixels gets its pictures
through ``at_width`` (or is named in ``SIZED_ELSEWHERE`` with where they are sized). The calls are found
by reading the source, so a new one fails this test the day it is written, whatever tab it hides in."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the first argument's source → where its pictures are made at their shown width
SIZED_ELSEWHERE = {"png": "figure_png shrinks the Siamese drawing to SIAMESE_WIDTH once per view"}


def unsized_pictures(root: Path = ROOT) -> list[str]:
    """``path:line argument`` of every ``st.image`` call in ``root``/app_support/ with a width that is not
    a word ("stretch", "content") whose pictures do not go through ``at_width``."""
    found = []
    for path in sorted((root / "app_support").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "st.image" and node.args):
                continue
            width = next((k.value for k in node.keywords if k.arg == "width"), None)
            if width is None or (isinstance(width, ast.Constant) and isinstance(width.value, str)):
                continue
            pictures = ast.unparse(node.args[0])
            if "at_width(" not in pictures and pictures not in SIZED_ELSEWHERE:
                found.append(f"{path.relative_to(root)}:{node.lineno} {pictures}")
    return found


def test_every_picture_shown_at_a_fixed_width_is_sent_at_it():
    assert unsized_pictures() == []


def test_the_check_finds_a_picture_sent_too_large(tmp_path):
    page = tmp_path / "app_support" / "page.py"
    page.parent.mkdir()
    page.write_text(
        "st.image(photo, width=150)\n"
        "st.image(at_width(photo, 150), width=150)\n"
        "st.image([at_width(p, W) for p in photos], width=W)\n"
        "st.image(photo, width='stretch')\n"
        "st.image(photos, caption='no width')\n"
    )
    assert unsized_pictures(tmp_path) == ["app_support/page.py:1 photo"]
