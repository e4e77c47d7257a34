"""Mirror controls in the URL (st.query_params) so a teacher can share exactly what the class sees."""

from __future__ import annotations

import streamlit as st


def query_int(name: str, default: int) -> int:
    """The whole number in ``?name=...``, or ``default`` when it is absent or not a number."""
    try:
        return int(st.query_params.get(name, default))
    except (TypeError, ValueError):
        return default


def query_choice(name: str, options: list[str] | tuple[str, ...], default: str) -> str:
    """The value of ``?name=...`` when it is one of ``options``, else ``default``."""
    value = st.query_params.get(name, default)
    return value if value in options else default


def share_in_url(**values: object) -> None:
    """Write the current values of the controls into the URL."""
    st.query_params.update({name: str(value) for name, value in values.items()})
