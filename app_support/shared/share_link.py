"""The sidebar's "Link to this view": the address a teacher hands out so the class sees what they see.

Every control that shapes a result is bound to the URL (``url.IN_URL``), so the page's address plus its
query parameters is the whole view. ``st.context.url`` gives the address
without the query; ``view_link`` adds ``st.query_params`` back. Files and photos never travel in a link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import streamlit as st

#: said next to every uploader and camera, and under the link
NOT_IN_LINK = "Uploaded photos and files are not part of a link."


def view_link(address: str | None, params: Mapping[str, Sequence[str]]) -> str:
    """``address?name=value&...``: the page's address (scheme, host, path; no query) and each query
    parameter with all its values, URL-encoded; only the query when the address is unknown.

    >>> view_link("http://localhost:8501/convolution", {"conv_tab": ["Animation"], "anim_n": ["7"]})
    'http://localhost:8501/convolution?conv_tab=Animation&anim_n=7'
    >>> view_link("http://host/detection", {"det_classes": ["person", "dog & cat"]})
    'http://host/detection?det_classes=person&det_classes=dog+%26+cat'
    >>> view_link("http://host", {})
    'http://host'
    """
    query = urlencode([(name, value) for name, values in params.items() for value in values])
    return f"{address or ''}?{query}" if query else address or ""


def link_to_this_view() -> None:
    """The link to what the page shows now, with a copy button, in a sidebar popover; call it after the
    page has run.

    Controls inside an ``st.fragment`` rerun only their fragment, which leaves this link as it was; so
    opening the popover reruns the whole app, and the link is made from the address as it is now.
    """
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    with st.sidebar.popover("🔗 Link to this view", width="stretch", key="share_link", on_change="rerun"):
        st.code(view_link(st.context.url, params), language=None, wrap_lines=True)
        st.caption(NOT_IN_LINK)
