"""The Training page's data: sample classes in one click, the visitor's own classes from uploads and the
camera (kept in their session only, each photo already cut to 224x224), thumbnails, and removal."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from app_support.shared.image_picker import UPLOAD_TYPES
from app_support.shared.layout import show_at_width
from app_support.shared.literal import literal
from app_support.shared.ui import show_error
from app_support.shared.upload import MB, accepts, size_limit
from app_support.shared.url import IN_URL
from app_support.training import cache
from cnn_core.errors import CNNLabError, ParameterError
from cnn_core.images import decode_image
from cnn_core.training.dataset import (
    IMAGE_SIZE,
    MAX_CLASSES,
    MAX_IMAGES,
    SAMPLE_CLASSES,
    ImageSet,
    image_set,
    square_resize,
)

#: session key of the visitor's own classes: {name: [(224, 224, 3) uint8, ...]}
OWN = "tr_own"
THUMBNAILS = 8
THUMB_PX = 56


def _own() -> dict[str, list[np.ndarray]]:
    return st.session_state.setdefault(OWN, {})


def _add(name: str, files: list, shot) -> None:
    """Add button: decode every file (a bad one is named and skipped), cut it square, file it under name."""
    name = name.strip()
    if not name:
        st.session_state["tr_add_notes"] = ["Give the class a name first."]
        return
    own = _own()
    notes: list[str] = []
    photos = own.setdefault(name, [])
    total = sum(len(p) for p in own.values())
    for file in [*files, *([shot] if shot is not None else [])]:
        if total >= MAX_IMAGES:
            notes.append(f"stopped at {MAX_IMAGES} photos, the limit of one data set")
            break
        try:
            photos.append(square_resize(decode_image(file.getvalue(), max_side=4 * IMAGE_SIZE), IMAGE_SIZE))
            total += 1
        except CNNLabError as err:
            notes.append(f"{file.name}: {err}")
    if not photos:
        del own[name]
    st.session_state["tr_add_notes"] = notes


def _remove(name: str) -> None:
    own = _own()
    index = st.session_state.get(f"tr_remove_{name}")
    if index is not None and name in own and 0 <= index < len(own[name]):
        own[name].pop(index)
        if not own[name]:
            del own[name]


def _add_own_classes() -> None:
    limit = size_limit()
    with st.expander("Your own classes: upload photos or take them with the camera"):
        name = st.text_input("Class name", key="tr_new_class", max_chars=30, placeholder="e.g. mug")
        files = st.file_uploader(
            "Photos (several at once)",
            type=list(UPLOAD_TYPES),
            accept_multiple_files=True,
            key="tr_files",
            max_upload_size=math.ceil(limit / MB),
        )
        st.caption(accepts(UPLOAD_TYPES, limit, f"up to {MAX_IMAGES} photos in all"))
        shot = st.camera_input("Or take a photo (one click per sample)", key="tr_camera")
        st.button("Add to class", key="tr_add", on_click=_add, args=(name, files or [], shot))
    for note in st.session_state.get("tr_add_notes", []):  # until the next Add
        st.warning(literal(f"Skipped {note}"), icon="⚠️")


def _strip(name: str, photos: list[np.ndarray], own: bool) -> None:
    """A row of thumbnails of one class; for the visitor's own classes, a way to remove a photo."""
    shown = photos[:THUMBNAILS]
    more = f" (first {THUMBNAILS} shown)" if len(photos) > THUMBNAILS else ""
    st.markdown(f"**{literal(name)}** — {len(photos)} photos{more}")
    show_at_width(shown, THUMB_PX, [f"#{i + 1}" for i in range(len(shown))])
    if own:
        left, right = st.columns([2, 1])
        left.selectbox(
            "Remove photo",
            range(len(photos)),
            format_func=lambda i: f"#{i + 1}",
            key=f"tr_remove_{name}",
            label_visibility="collapsed",
        )
        right.button("Remove", key=f"tr_remove_btn_{name}", on_click=_remove, args=(name,))


def data_section() -> ImageSet | None:
    """Choose sample classes and add own ones; show each class; return the data set, or None with why."""
    chosen = st.multiselect(
        "Sample classes (scikit-image texture photos, CC0: 16 each)",
        SAMPLE_CLASSES,
        default=["brick", "grass"],
        key="tr_samples",
        bind=IN_URL,
    )
    _add_own_classes()
    classes = {name: cache.sample_photos(name) for name in chosen}
    own = _own()
    for name, photos in own.items():
        classes[name if name not in classes else f"{name} (own)"] = photos
    with st.expander(f"The data: {len(classes)} classes", expanded=False):
        for name, photos in classes.items():
            _strip(name, photos, own=name in own)
    try:
        if len(classes) > MAX_CLASSES:
            raise ParameterError(f"a data set needs at most {MAX_CLASSES} classes, got {len(classes)}")
        return image_set(classes)
    except CNNLabError as err:
        show_error(err)
        return None
