"""The One-shot recognition tab: enrol people from the gallery's own photo, identify photo A or B (1:K).

The gallery lives only in ``st.session_state["faces_gallery"]`` (one cnn_core ``Gallery`` whose entries
keep their crops); it leaves the session only as the JSON file the visitor exports. Enrolling and removing
run as button callbacks: they change the gallery (and clear the name field, which Streamlit allows only
before the field is drawn) before the page runs, so the whole run shows the new gallery.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app_support.faces.cache import face_models
from app_support.faces.photos import PHOTOS, Photos, photo_column
from app_support.shared.layout import controls_and_result, explanation, show_at_width
from app_support.shared.literal import literal
from app_support.shared.ui import show_error
from app_support.shared.upload import file_uploader
from app_support.shared.url import IN_URL
from cnn_core.errors import CNNLabError
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.gallery import MAX_FILE_BYTES, Gallery, gallery_from_json, gallery_to_json, identify
from cnn_core.faces.pipeline import FaceSample

GALLERY_KEY = "faces_gallery"
#: the name field, and what the last Enrol or Remove click gave: a message, a prompt or the CNNLabError
NAME_KEY, ENROL_OUTCOME = "faces_enrol_name", "faces_enrol_outcome"
#: the import uploader, and what its last file gave: a success message or the CNNLabError
IMPORT_KEY, IMPORT_OUTCOME = "faces_import", "faces_import_outcome"
#: which enrolled face the Remove button takes out
REMOVE_PICK = "faces_remove_pick"
#: the thumbnail of an imported entry, which has a descriptor but no picture
NO_CROP = np.full((CROP_SIZE, CROP_SIZE, 3), 230, np.uint8)
#: the width of an enrolled face's crop in the gallery, in CSS pixels
CROP_SHOWN = 90
NAME_PROMPT = "Type a name for this person first."


class Prompt(str):
    """A message asking the visitor for something (shown as a warning, not as a success)."""


def session_gallery() -> Gallery:
    """This visitor's gallery (empty at first)."""
    return st.session_state.get(GALLERY_KEY, Gallery())


def _keep(gallery: Gallery) -> None:
    st.session_state[GALLERY_KEY] = gallery


def _enrol(face: FaceSample | None) -> None:
    """The Enrol button's callback: the face of the gallery's photo under the typed name; then the name
    field is cleared for the next person. An empty name or a photo without a face leaves a prompt."""
    name = st.session_state.get(NAME_KEY, "")
    if face is None:
        st.session_state[ENROL_OUTCOME] = Prompt("Choose a photo with a usable face to enrol first.")
        return
    if not name.strip():
        st.session_state[ENROL_OUTCOME] = Prompt(NAME_PROMPT)
        return
    try:
        gallery = session_gallery().enrol(name, face.embedding, face.crop)
    except CNNLabError as err:
        st.session_state[ENROL_OUTCOME] = err.with_traceback(None)
        return
    _keep(gallery)
    st.session_state[NAME_KEY] = ""
    st.session_state[ENROL_OUTCOME] = f"Enrolled {literal(gallery.names[-1])}."


def _remove() -> None:
    """The Remove button's callback: take the chosen entry out of the gallery (``Gallery.remove``)."""
    index = st.session_state.get(REMOVE_PICK)
    gallery = session_gallery()
    if index is None or not 0 <= index < len(gallery):
        return
    name = gallery.names[index]
    _keep(gallery.remove(index))
    st.session_state[ENROL_OUTCOME] = f"Removed {literal(name)}."


def _clear() -> None:
    """The Clear button's callback: an empty gallery, and no message left from an import."""
    _keep(Gallery())
    st.session_state.pop(IMPORT_OUTCOME, None)


def _import_file() -> None:
    """The import uploader's callback: it runs before the page does, so the whole run (thumbnails, Export,
    identification) already shows the imported people. A removed file clears its message."""
    upload = st.session_state[IMPORT_KEY]
    if upload is None:
        st.session_state.pop(IMPORT_OUTCOME, None)
        return
    try:
        imported = gallery_from_json(upload.getvalue())
        _keep(session_gallery().extend(imported))
    except CNNLabError as err:
        st.session_state[IMPORT_OUTCOME] = err.with_traceback(None)
        return
    st.session_state[IMPORT_OUTCOME] = f"Imported {len(imported)} descriptor(s)."


def _show(outcome: object) -> None:
    """A callback's outcome: an error box, a warning for a prompt, a toast for what was done."""
    if isinstance(outcome, CNNLabError):
        show_error(outcome)
    elif isinstance(outcome, Prompt):
        st.warning(outcome, icon="✍️")
    elif outcome:
        st.toast(outcome, icon="✅")


def _enrol_controls() -> None:
    """The gallery's own photo (sample, upload or camera) with its face, the name, and Enrol."""
    _, face = photo_column("g", "grace_hopper", face_models(), "Photo to enrol")
    name, button = st.columns([3, 1], vertical_alignment="bottom")
    name.text_input("Name", key=NAME_KEY, placeholder="who is in this photo?")
    button.button("Enrol", key="faces_enrol", type="primary", on_click=_enrol, args=(face,))
    _show(st.session_state.pop(ENROL_OUTCOME, None))


def _gallery_view(gallery: Gallery) -> None:
    """The enrolled faces, a Remove control, Export and Clear."""
    show_at_width(
        [NO_CROP if entry.crop is None else entry.crop for entry in gallery.entries],
        CROP_SHOWN,
        [literal(f"{i}. {name}") for i, name in enumerate(gallery.names, start=1)],
    )
    pick, remove = st.columns([3, 1], vertical_alignment="bottom")
    pick.selectbox(
        "Person to remove",
        range(len(gallery)),
        format_func=lambda i: f"{i + 1}. {gallery.names[i]}",
        key=REMOVE_PICK,
    )
    remove.button("Remove", key="faces_remove", on_click=_remove)
    export, clear = st.columns(2)
    export.download_button(
        "Export gallery (JSON)", gallery_to_json(gallery), "face_gallery.json", key="faces_export"
    )
    clear.button("Clear gallery", key="faces_clear", on_click=_clear)


def _identify(photos: Photos, gallery: Gallery) -> None:
    """Who is photo A or B: the nearest enrolled face when d ≤ τ, else unknown, and every distance."""
    probe = st.radio("Identify", PHOTOS, horizontal=True, key="faces_identify", bind=IN_URL)
    if probe not in photos.faces:
        st.info(f"{probe} has no usable face to identify.")
        return
    tau = photos.threshold
    result = identify(gallery, photos.faces[probe].embedding, tau)
    nearest = int(np.argmin(result.distances))
    if result.name:
        st.success(
            f"{probe} is **{literal(result.name)}** (d = {result.distances[nearest]:.3f} ≤ τ = {tau:.2f})"
        )
    else:
        st.warning(
            f"{probe} is **unknown**: the nearest, {literal(gallery.names[nearest])}, is at d = "
            f"{result.distances[nearest]:.3f} > τ = {tau:.2f}"
        )
    st.dataframe(
        pd.DataFrame({"name": gallery.names, "distance d": result.distances.round(3)}),
        hide_index=True,
        height=min(300, 38 + 35 * len(gallery)),
    )


def _import_gallery() -> None:
    """The uploader of a gallery file, and the outcome of its file."""
    file_uploader(
        "Import a gallery (JSON)",
        ["json"],
        IMPORT_KEY,
        max_bytes=MAX_FILE_BYTES,
        note="as exported here",
        on_change=_import_file,
    )
    outcome = st.session_state.get(IMPORT_OUTCOME)
    if isinstance(outcome, CNNLabError):
        show_error(outcome)
    elif outcome:
        st.success(outcome)


def gallery_section(photos: Photos) -> None:
    """Enrol faces by name from the gallery's own photo, identify photo A or B (1:K), export/import."""
    controls, result = controls_and_result()
    with controls:
        _enrol_controls()
    gallery = session_gallery()
    with result:
        if len(gallery):
            _identify(photos, gallery)
            _gallery_view(gallery)
        else:
            st.info("Enrol at least one person, then identify photo A or B.")
        _import_gallery()
    with explanation("One-shot learning"):
        st.markdown(
            "Each person is enrolled from a single photo; their descriptor is computed once and stored. "
            "A new face is the nearest enrolled person when that distance is ≤ τ, else unknown. The "
            "gallery stays in this browser session: export it as JSON to keep it."
        )
