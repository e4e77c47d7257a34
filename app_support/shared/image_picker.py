"""The image picker every page shares: a sample image, an upload, or (where it makes sense) the camera."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL
from cnn_core.errors import CNNLabError
from cnn_core.images import SAMPLE_NAMES, WORKING_SIDE, decode_image, sample_image

UPLOADS_KEPT = 8
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp"]


@st.cache_data(max_entries=32, show_spinner=False)
def cached_sample(name: str) -> np.ndarray:
    return sample_image(name)


def fingerprint(image: np.ndarray) -> str:
    """A short id of an image's pixels, to key widgets and caches that belong to that image."""
    return hashlib.blake2b(image.tobytes(), digest_size=6).hexdigest()


def decoded_upload(data: bytes, max_side: int | None) -> np.ndarray:
    """Decode an upload once per visitor: kept in this session's state, never in a server-wide cache,
    so one visitor's photos are never held on behalf of another."""
    cache = st.session_state.setdefault("image_picker_uploads", {})
    key = (hashlib.blake2b(data, digest_size=16).hexdigest(), max_side)
    if key not in cache:
        if len(cache) >= UPLOADS_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = decode_image(data, max_side=max_side)
    return cache[key]


def image_picker(
    key: str,
    *,
    camera: bool = False,
    default_sample: str = "chelsea",
    max_side: int | None = WORKING_SIDE,
    label: str = "Image",
) -> np.ndarray | None:
    """Let the user choose an image; return it as (H, W, 3) uint8 RGB, or None (with a message shown).

    ``key`` prefixes every widget key so several pickers can live on one page; the source and the sample
    are in the URL (``?{key}_source=Sample&{key}_sample=coffee``), an upload or a photo cannot be.
    """
    sources = ["Sample", "Upload"] + (["Camera"] if camera else [])
    source = st.radio(label, sources, horizontal=True, key=f"{key}_source", bind=IN_URL)
    data: bytes | None = None
    if source == "Sample":
        name = st.selectbox(
            "Sample image",
            SAMPLE_NAMES,
            index=SAMPLE_NAMES.index(default_sample),
            key=f"{key}_sample",
            bind=IN_URL,
        )
        return cached_sample(name)
    if source == "Upload":
        upload = st.file_uploader("Upload an image", type=UPLOAD_TYPES, key=f"{key}_upload")
        if upload is None:
            st.info("Upload a photo (PNG, JPEG, GIF, BMP, TIFF or WebP).")
            return None
        data = upload.getvalue()
    else:
        shot = st.camera_input("Take a photo", key=f"{key}_camera")
        if shot is None:
            return None
        data = shot.getvalue()
    try:
        return decoded_upload(data, max_side)
    except CNNLabError as err:
        show_error(err)
        return None
