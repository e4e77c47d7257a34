"""The one way to put a control in the URL, so a link restores exactly what the teacher sees.

Give the widget a page-prefixed ``key`` and ``bind=IN_URL``: Streamlit then writes its value to
``?<key>=...`` (a value equal to the widget's default is left out) and reads it back from a shared link.
Old parameter names of a page are translated once with ``rename_legacy_params`` so that links shared
before a rename keep working.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

#: ``bind=IN_URL`` mirrors a widget in the address bar under its key
IN_URL = "query-params"


def rename_legacy_params(renames: Mapping[str, str | tuple[str, ...]]) -> None:
    """Rewrite ``?old=value`` to ``?new=value`` for each old → new name (or names: one old parameter may
    have become several controls), then start the run again.

    Call it before the page's first widget: a bound widget reads the link only at the start of a run, so
    the renamed parameters take effect in the rerun.
    """
    renamed = False
    for old, new in renames.items():
        if old in st.query_params:
            value = st.query_params[old]
            del st.query_params[old]
            for name in (new,) if isinstance(new, str) else new:
                st.query_params.setdefault(name, value)
            renamed = True
    if renamed:
        st.rerun()
