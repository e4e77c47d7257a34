"""The one way to put a control in the URL, so a link restores exactly what the teacher sees.

Give the widget a page-prefixed ``key`` and ``bind=IN_URL``: Streamlit then writes its value to
``?<key>=...`` and reads it back from a shared link. Old parameter names of a page are translated once with
``rename_legacy_params`` so that links shared before a rename keep working.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

#: ``bind=IN_URL`` mirrors a widget in the address bar under its key
IN_URL = "query-params"


def rename_legacy_params(renames: Mapping[str, str]) -> None:
    """Rewrite ``?old=value`` to ``?new=value`` for each old → new name (a link made before the rename)."""
    for old, new in renames.items():
        if old in st.query_params:
            value = st.query_params[old]
            del st.query_params[old]
            st.query_params.setdefault(new, value)
