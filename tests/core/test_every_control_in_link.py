"""A shared link restores the view only if every control is in it: each input widget of app_support/ is
drawn with ``bind=IN_URL`` (or through ``bound_number`` / ``bound_slider``, which bind it), except the
controls of what a visitor uploaded, which a link cannot carry (``NOT_IN_LINK`` says why for each).

The widgets are found by reading the source (Python's ``ast``), so a new unbound control fails this test
the day it is written, whatever tab it hides in.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Streamlit's input widgets whose value changes what a page shows
INPUTS = {
    "slider",
    "select_slider",
    "selectbox",
    "radio",
    "number_input",
    "toggle",
    "checkbox",
    "multiselect",
    "text_input",
    "text_area",
    "segmented_control",
    "pills",
    "color_picker",
    "tabs",
}
#: key (a regular expression over the key's source text) → why it is not in a link
NOT_IN_LINK = {
    r"f'arch_upload_axis\{i\}'": "the input size of a model file the visitor uploaded",
    r"NAME_KEY|REMOVE_PICK": "the name and removal of a person in the visitor's own gallery",
    r"'tr_new_class'|f'tr_remove_\{name\}'": "the classes of the visitor's own training photos",
}


def unbound_inputs(root: Path = ROOT) -> list[str]:
    """``path:line key`` of every input widget call in ``root``/app_support/ without ``bind=``."""
    found = []
    for path in sorted((root / "app_support").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in INPUTS or any(k.arg == "bind" for k in node.keywords):
                continue
            key = next((ast.unparse(k.value) for k in node.keywords if k.arg == "key"), "no key")
            if not any(re.fullmatch(pattern, key) for pattern in NOT_IN_LINK):
                found.append(f"{path.relative_to(root)}:{node.lineno} {key}")
    return found


def test_every_control_of_every_page_is_in_the_link():
    assert unbound_inputs() == []


def test_the_check_finds_an_unbound_control(tmp_path):
    page = tmp_path / "app_support" / "demo.py"
    page.parent.mkdir()
    page.write_text('import streamlit as st\nst.slider("n", 1, 9, 3, key="demo_n")\n')
    assert unbound_inputs(tmp_path) == ["app_support/demo.py:2 'demo_n'"]
