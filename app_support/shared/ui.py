"""Small UI pieces every page uses: the page header and the way errors are shown."""

from __future__ import annotations

import streamlit as st

from cnn_core.errors import CNNLabError


def page_header(title: str, idea: str, latex: str | None = None) -> None:
    """Title, the page's idea in two sentences, and its key formula."""
    st.title(title)
    st.markdown(idea)
    if latex:
        st.latex(latex)


def show_error(err: CNNLabError) -> None:
    """Show a user error as a red box with its one-sentence message (never a traceback)."""
    st.error(str(err), icon="⚠️")
