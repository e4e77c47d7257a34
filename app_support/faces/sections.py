"""The faces page's tabs: one-shot recognition with this session's gallery, embedding space, triplet loss.

The gallery lives only in ``st.session_state["faces_gallery"]`` (one cnn_core ``Gallery`` whose entries
keep their crops); it leaves the session only as the JSON file the visitor exports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_support.faces.photos import PHOTOS, Photos
from app_support.faces.plots import embedding_space, triplet_line
from app_support.shared.literal import literal
from app_support.shared.ui import show_error
from app_support.shared.upload import file_uploader
from app_support.shared.url import bound_slider
from cnn_core.errors import CNNLabError, FaceError
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.embed import EMBEDDING_SIZE
from cnn_core.faces.gallery import (
    MAX_FILE_BYTES,
    Gallery,
    gallery_from_json,
    gallery_to_json,
    identify,
    project_2d,
)
from cnn_core.faces.pipeline import FaceSample
from cnn_core.faces.triplet import DEFAULT_ALPHA, all_triplets, triplet
from cnn_core.faces.verify import pairwise_distances

GALLERY_KEY = "faces_gallery"
#: the import uploader, and what its last file gave: a success message or the CNNLabError
IMPORT_KEY, IMPORT_OUTCOME = "faces_import", "faces_import_outcome"
#: the thumbnail of an imported entry, which has a descriptor but no picture
NO_CROP = np.full((CROP_SIZE, CROP_SIZE, 3), 230, np.uint8)
KIND_TEXT = {
    "easy": "**Easy**: d²(A,N) > d²(A,P) + α, the loss is 0 and training learns nothing from it.",
    "semi-hard": "**Semi-hard**: the negative is farther than the positive but inside the margin α; "
    "0 < L ≤ α. FaceNet trains on these.",
    "hard": "**Hard**: the negative is at least as close as the positive, L ≥ α; these drive learning "
    "(chosen with care, as the hardest ones can be mislabelled).",
}


@dataclass(frozen=True)
class Point:
    """One descriptor on the embedding-space and triplet views: its label, the (128,) vector, and whether
    it is photo A / B (a probe) rather than an enrolled face."""

    label: str
    embedding: np.ndarray
    probe: bool


def session_gallery() -> Gallery:
    """This visitor's gallery (empty at first)."""
    return st.session_state.get(GALLERY_KEY, Gallery())


def _keep(gallery: Gallery) -> None:
    st.session_state[GALLERY_KEY] = gallery


def _face_of(faces: dict[str, FaceSample], photo: str) -> FaceSample:
    if photo not in faces:
        raise FaceError(f"{photo} has no usable face (see the message under it)")
    return faces[photo]


def _points(photos: Photos) -> list[Point]:
    """Every enrolled face, then photo A and B."""
    enrolled = [
        Point(f"{i}. {entry.name}", entry.embedding, probe=False)
        for i, entry in enumerate(session_gallery().entries, start=1)
    ]
    return enrolled + [Point(label, face.embedding, probe=True) for label, face in photos.faces.items()]


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


def _enrol(photos: Photos) -> None:
    """Name, which photo, and the Enrol button; the crop is kept beside the descriptor for the thumbnail."""
    name_col, source_col, button_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    name = name_col.text_input("Name", key="faces_enrol_name", placeholder="who is in the photo?")
    source = source_col.radio("Face to enrol", PHOTOS, horizontal=True, key="faces_enrol_source")
    if button_col.button("Enrol", key="faces_enrol", type="primary"):
        try:
            face = _face_of(photos.faces, source)
            gallery = session_gallery().enrol(name, face.embedding, face.crop)
        except CNNLabError as err:
            show_error(err)
            return
        _keep(gallery)
        st.toast(f"Enrolled {literal(gallery.names[-1])} from {source.lower()}.", icon="✅")


def gallery_section(photos: Photos) -> None:
    """Enrol faces by name (1 photo each), identify photo A or B (1:K), export/import as JSON."""
    st.markdown(
        "**One-shot learning**: each person is enrolled from a single photo; their descriptor is computed "
        "once and stored. A new face is the nearest enrolled person when that distance is ≤ τ, else unknown."
    )
    _enrol(photos)
    gallery = session_gallery()
    if len(gallery):
        st.image(
            [entry.crop if entry.crop is not None else NO_CROP for entry in gallery.entries],
            caption=[literal(f"{i}. {name}") for i, name in enumerate(gallery.names, start=1)],
            width=90,
        )
        export, clear = st.columns(2)
        export.download_button(
            "Export gallery (JSON)", gallery_to_json(gallery), "face_gallery.json", key="faces_export"
        )
        if clear.button("Clear gallery", key="faces_clear"):
            _keep(Gallery())
            st.session_state.pop(IMPORT_OUTCOME, None)
            st.rerun()
    _import_gallery()
    if not len(gallery):
        st.info("Enrol at least one person, then identify photo A or B.")
        return
    probe = st.radio("Identify", PHOTOS, horizontal=True, key="faces_identify")
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
        pd.DataFrame({"name": gallery.names, "distance d": result.distances.round(3)}), hide_index=True
    )


def space_section(photos: Photos) -> None:
    """The gallery and photos A / B projected to 2-D by PCA, each probe linked to its nearest face."""
    points = _points(photos)
    if len(points) < 2:
        st.info("Pick two photos or enrol people to see their descriptors in 2-D.")
        return
    vectors = np.stack([point.embedding for point in points])  # (N, 128)
    coords, share = project_2d(vectors)
    distance = pairwise_distances(vectors)  # (N, N)
    probes = [i for i, point in enumerate(points) if point.probe]
    enrolled = [i for i, point in enumerate(points) if not point.probe]
    pairs = [(i, min(enrolled, key=lambda j, i=i: distance[i, j])) for i in probes if enrolled]
    pairs += [tuple(probes)] if len(probes) == 2 else []
    links = [(i, j, float(distance[i, j])) for i, j in pairs]
    st.plotly_chart(
        embedding_space(coords, [p.label for p in points], [p.probe for p in points], links, share),
        key="faces_space",
    )
    st.caption(
        f"PCA keeps {share.sum():.0%} of the spread of these {len(points)} descriptors, so distances on the "
        f"plane are only a shadow of the true {EMBEDDING_SIZE}-d distances printed on the lines."
    )


def triplet_section(photos: Photos) -> None:
    """Pick anchor, positive, negative among the faces; show d²(A,P), d²(A,N), the loss and its kind."""
    st.latex(
        r"\mathcal{L}(A,P,N) = \max\big(\underbrace{\lVert f(A)-f(P)\rVert_2^2}_{d^2(A,P)}"
        r" - \underbrace{\lVert f(A)-f(N)\rVert_2^2}_{d^2(A,N)} + \alpha,\ 0\big)"
    )
    gallery = session_gallery()
    points = _points(photos)
    alpha = bound_slider("Margin α", "faces_alpha", DEFAULT_ALPHA, 0.05)
    if len(points) < 3:
        st.info("The triplet loss needs three faces: pick photos A and B and enrol at least one person.")
        return
    labels = [point.label for point in points]
    nearest = np.argsort(pairwise_distances(np.stack([p.embedding for p in points]))[0])  # by distance to 0
    defaults = (0, int(nearest[1]), int(nearest[2]))  # anchor, its nearest face, the next nearest
    roles = (("Anchor A", "anchor"), ("Positive P (same person)", "positive"), ("Negative N", "negative"))
    columns = st.columns(3)
    picks = [
        column.selectbox(
            role, range(len(points)), index=default, format_func=labels.__getitem__, key=f"faces_{key}"
        )
        for column, (role, key), default in zip(columns, roles, defaults, strict=True)
    ]
    result = triplet(*(points[p].embedding for p in picks), alpha)
    metrics = st.columns(4)
    metrics[0].metric("d²(A,P)", f"{result.d_ap:.3f}")
    metrics[1].metric("d²(A,N)", f"{result.d_an:.3f}")
    metrics[2].metric("loss L", f"{result.loss:.3f}")
    metrics[3].metric("kind", result.kind)
    st.caption(
        "d² is the squared Euclidean distance ‖f(x) − f(y)‖₂², which FaceNet and the course call d; the "
        f"margin α = {alpha:.2f} is on this squared scale. Elsewhere on this page d is the plain distance "
        f"‖·‖₂ (so d(A,P) = {result.d_ap**0.5:.3f} here), which τ = {photos.threshold:.2f} is compared with."
    )
    st.plotly_chart(triplet_line(result), key="faces_triplet")
    st.markdown(KIND_TEXT[result.kind])
    found = all_triplets(gallery.embeddings, list(gallery.names), alpha) if len(gallery) >= 3 else []
    if found:
        counts = pd.Series([found_one.triplet.kind for found_one in found]).value_counts()
        st.markdown(f"All {len(found)} valid triplets of your gallery (people enrolled twice or more):")
        st.dataframe(counts.rename("triplets").to_frame())
    else:
        st.caption(
            "Enrol someone twice (two photos) and someone else to list every valid triplet of the gallery."
        )
