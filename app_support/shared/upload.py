"""The one file uploader of the app: Streamlit's widget, with what it accepts stated beside it.

Streamlit refuses a file of another type or over the size limit before any of our code sees it, and says
so only in a tooltip on a red chip. So every uploader states its file types and its size limit in a caption
right under it: the smaller of the server's ``maxUploadSize`` (``.streamlit/config.toml``) and the cap of
the reader that will open the file (a cnn_core constant). The caption also says that a shared link does
not carry the file.

Megabytes are 10⁶ bytes here: the uploader in the browser counts them so (except on Windows, where it
counts 1024², as the server does), so a limit stated in 10⁶-byte megabytes holds everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_support.shared.share_link import NOT_IN_LINK

MB = 10**6


def size_limit(max_bytes: int | None = None) -> int:
    """The largest file in bytes: ``server.maxUploadSize`` megabytes, or ``max_bytes`` if smaller."""
    server = int(st.get_option("server.maxUploadSize")) * MB
    return server if max_bytes is None else min(server, max_bytes)


def accepts(types: Sequence[str], max_bytes: int, note: str = "") -> str:
    """The caption under an uploader: what it takes, and that a link does not carry the file.

    >>> print(accepts(["png", "jpg"], 25_000_000, "at most 50 megapixels"))
    PNG or JPG files of at most 25 MB, at most 50 megapixels. Uploaded photos and files are not part of
    a link.
    >>> accepts(["json"], 2_000_000)
    'JSON files of at most 2 MB. Uploaded photos and files are not part of a link.'
    """
    names = [kind.upper() for kind in types]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
    takes = f"{listed} files of at most {max_bytes / MB:.3g} MB" + (f", {note}" if note else "")
    return f"{takes}. {NOT_IN_LINK}"


def file_uploader(
    label: str,
    types: Sequence[str],
    key: str,
    *,
    max_bytes: int | None = None,
    note: str = "",
    on_change: Callable[[], None] | None = None,
) -> UploadedFile | None:
    """``st.file_uploader`` for one file of ``types`` (extensions without the dot), refusing files larger
    than ``size_limit(max_bytes)``, with ``accepts(...)`` as the caption under it."""
    limit = size_limit(max_bytes)
    upload = st.file_uploader(
        label, type=list(types), key=key, max_upload_size=math.ceil(limit / MB), on_change=on_change
    )
    st.caption(accepts(types, limit, note))
    return upload
