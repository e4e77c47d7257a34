"""Small UI pieces every page uses: the page header, the tabs of a page and the way errors are shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from app_support.shared.layout import explanation
from app_support.shared.literal import literal
from app_support.shared.url import IN_URL, bound_number, check_link, report_unused_link
from cnn_core.errors import CNNLabError

#: a page's sections in tab order: (tab title, function that draws the tab)
Sections = Sequence[tuple[str, Callable[[], None]]]


def page_header(title: str, idea: str, latex: str | None = None) -> None:
    """Title, the page's key formula, and its idea in two sentences folded under them (so the result starts
    high on a projector); first, the link's values are checked (``check_link``): every page opens with this
    call, before any widget reads the address bar."""
    check_link()
    st.title(title)
    if latex:
        st.latex(latex)
    with explanation("The idea"):
        st.markdown(idea)


def run_tabs(sections: Sections, key: str) -> None:
    """One tab per section; only the open tab's function runs, and the open tab is in the URL (``?key=``).

    A hidden tab therefore never builds a model or a figure, and a shared link opens on the same tab.
    Every page ends with this call, so it also names the link's values the widgets refused.
    """
    tabs = st.tabs([title for title, _ in sections], key=key, on_change="rerun", bind=IN_URL)
    for tab, (_, section) in zip(tabs, sections, strict=True):
        if tab.open:
            with tab:
                section()
    report_unused_link()


def number_row(controls: Mapping[str, tuple[str, int]], prefix: str) -> dict[str, int]:
    """One row of whole-number inputs, ``name → (label, default)``, each in the URL as ``?{prefix}_{name}=``;
    returns ``name → value``."""
    columns = st.columns(len(controls))
    return {
        name: bound_number(label, f"{prefix}_{name}", default, where=column)
        for column, (name, (label, default)) in zip(columns, controls.items(), strict=True)
    }


def show_error(err: CNNLabError) -> None:
    """Show a user error as a red box with its one-sentence message (never a traceback), literally: it
    may echo a name or a value the user typed."""
    st.error(literal(str(err)), icon="⚠️")
