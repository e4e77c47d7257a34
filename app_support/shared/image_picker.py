"""The image picker every page shares: a sample image, an upload, or (where it makes sense) the camera."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_support.shared.share_link import NOT_IN_LINK
from app_support.shared.ui import show_error
from app_support.shared.upload import file_uploader
from app_support.shared.url import IN_URL
from app_support.shared.visitor_cache import session_memo
from cnn_core.errors import CNNLabError
from cnn_core.images import MAX_PIXELS, SAMPLE_NAMES, WORKING_SIDE, decode_image, sample_image

#: decoded uploads and photos a visitor's session keeps, at the working size and at full size (up to
#: cnn_core.images.MAX_PIXELS, 150 MB each: a page that works in the photo's own pixels keeps only two)
UPLOADS_KEPT = 8
FULL_SIZE_UPLOADS_KEPT = 2
UPLOAD_TYPES = ("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp")


@dataclass(frozen=True)
class Picture:
    """A picture the visitor chose: ``pixels`` (H, W, 3) uint8 RGB, and whether it is a shipped sample
    (what is computed from it may be cached for every visitor) or their own upload or photo."""

    pixels: np.ndarray
    sample: bool


@st.cache_data(max_entries=32, show_spinner=False)
def cached_sample(name: str) -> np.ndarray:
    return sample_image(name)


def decoded_upload(file: UploadedFile, max_side: int | None) -> np.ndarray:
    """Decode an upload once per visitor: kept in this session's state under the upload's id (so a rerun
    neither decodes nor hashes the file again), never in a server-wide cache, so one visitor's photos are
    never held on behalf of another."""
    return session_memo(
        f"image_picker_{max_side or 'full'}",
        file.file_id,
        lambda: decode_image(file.getvalue(), max_side=max_side),
        UPLOADS_KEPT if max_side else FULL_SIZE_UPLOADS_KEPT,
    )


def image_picker(
    key: str,
    *,
    camera: bool = False,
    default_sample: str = "chelsea",
    max_side: int | None = WORKING_SIDE,
    label: str = "Image",
) -> Picture | None:
    """Let the user choose an image; return it, or None (with a message shown when the file is unusable).

    ``key`` prefixes every widget key so several pickers can live on one page; the source and the sample
    are in the URL (``?{key}_source=Sample&{key}_sample=coffee``), an upload or a photo cannot be.
    """
    sources = ["Sample", "Upload"] + (["Camera"] if camera else [])
    source = st.radio(label, sources, horizontal=True, key=f"{key}_source", bind=IN_URL)
    if source == "Sample":
        name = st.selectbox(
            "Sample image",
            SAMPLE_NAMES,
            index=SAMPLE_NAMES.index(default_sample),
            key=f"{key}_sample",
            bind=IN_URL,
        )
        return Picture(cached_sample(name), sample=True)
    if source == "Upload":
        file = file_uploader(
            "Upload an image",
            UPLOAD_TYPES,
            f"{key}_upload",
            note=f"at most {MAX_PIXELS / 1e6:.0f} megapixels",
        )
    else:
        file = st.camera_input("Take a photo", key=f"{key}_camera")
        st.caption(NOT_IN_LINK)
    if file is None:
        return None
    try:
        return Picture(decoded_upload(file, max_side), sample=False)
    except CNNLabError as err:
        show_error(err)
        return None
