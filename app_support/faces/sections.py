"""The faces page's sections: a photo with its faces, the verdict, the gallery, embedding space, triplets.

Per-visitor results (detections, crops, descriptors, the gallery) live only in ``st.session_state``
under ``faces_*`` keys; nothing derived from an upload is cached server-wide or written to disk.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from app_support.faces.cache import FaceModels
from app_support.faces.plots import difference_bars, distance_gauge, draw_faces, embedding_space, triplet_line
from app_support.shared.image_picker import fingerprint, image_picker
from app_support.shared.ui import show_error
from cnn_core.errors import CNNLabError, FaceError
from cnn_core.faces.detect import MIN_FACE_PX, detect_faces
from cnn_core.faces.gallery import Gallery, gallery_from_json, gallery_to_json, identify, project_2d
from cnn_core.faces.pipeline import FaceSample, describe_face
from cnn_core.faces.triplet import all_triplets, triplet
from cnn_core.faces.verify import pairwise_distances, verify

T = TypeVar("T")
MEMO_SIZE = 12
PHOTOS = ("Photo A", "Photo B")
KIND_TEXT = {
    "easy": "**Easy**: d(A,N) > d(A,P) + α, the loss is 0 and training learns nothing from it.",
    "semi-hard": "**Semi-hard**: the negative is farther than the positive but inside the margin α; "
    "0 < L ≤ α. FaceNet trains on these.",
    "hard": "**Hard**: the negative is at least as close as the positive, L ≥ α; these drive learning "
    "(chosen with care, as the hardest ones can be mislabelled).",
}


def session_memo(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per visitor and key (errors too), keeping the last MEMO_SIZE results."""
    memo = st.session_state.setdefault("faces_memo", {})
    if key not in memo:
        if len(memo) >= MEMO_SIZE:
            memo.pop(next(iter(memo)))
        try:
            memo[key] = (True, compute())
        except CNNLabError as err:
            memo[key] = (False, err)
    ok, value = memo[key]
    if not ok:
        raise value
    return value


def photo_column(side: str, default_sample: str, models: FaceModels) -> FaceSample | None:
    """Picker → faces drawn on the photo → (when several) a choice → the aligned crop. None on failure."""
    image = image_picker(
        f"faces_{side}", camera=True, default_sample=default_sample, label=f"Photo {side.upper()}"
    )
    if image is None:
        return None
    tag = fingerprint(image)
    try:
        detection = session_memo(("detect", tag), lambda: detect_faces(image, nets=models.nets))
    except CNNLabError as err:
        show_error(err)
        return None
    faces, index = detection.faces, None
    if len(faces) > 1:
        st.info(f"{len(faces)} faces found in photo {side.upper()}: choose the one to compare.")
        index = st.radio(
            "Face",
            range(len(faces)),
            index=max(range(len(faces)), key=lambda i: faces[i].size),
            format_func=lambda i: (
                f"#{i + 1} · {faces[i].size:.0f} px" + (" (too small)" if faces[i].size < MIN_FACE_PX else "")
            ),
            horizontal=True,
            key=f"faces_{side}_face_{tag}",
        )
    try:
        sample = session_memo(
            ("face", tag, index),
            lambda: describe_face(image, models.embedder, index=index, detection=detection),
        )
    except CNNLabError as err:
        if faces:
            st.image(draw_faces(image, faces, index), width="stretch")
        show_error(err)
        return None
    st.image(draw_faces(image, faces, sample.index), caption=f"MTCNN: {len(faces)} face(s), 5 landmarks each")
    st.image(sample.crop, caption="aligned 150x150 crop: eyes level", width=150)
    return sample


def verdict_section(first: FaceSample, second: FaceSample, threshold: float) -> None:
    """Gauge, verdict, cosine, the |f(x_i) − f(x_j)| vector, and the result as JSON."""
    verdict = verify(first.embedding, second.embedding, threshold)
    gauge, words = st.columns([3, 2])
    gauge.plotly_chart(distance_gauge(verdict.distance, threshold), key="faces_gauge")
    with words:
        text = f"d = {verdict.distance:.3f} {'≤' if verdict.same_person else '>'} τ = {threshold:.2f}"
        if verdict.same_person:
            st.success(f"**Same person** ({text})", icon="✅")
        else:
            st.warning(f"**Different people** ({text})", icon="🙅")
        st.metric("Cosine similarity f₁·f₂ / (‖f₁‖ ‖f₂‖)", f"{verdict.cosine:.3f}")
        payload = {
            "distance": round(verdict.distance, 6),
            "threshold": threshold,
            "same_person": verdict.same_person,
            "faces": [first.face.as_dict(), second.face.as_dict()],
        }
        st.download_button(
            "Download result (JSON)", json.dumps(payload, indent=2), "verification.json", key="faces_json"
        )
    st.markdown(
        "**Verification as binary classification.** Instead of a fixed τ, a logistic unit can read the "
        "element-wise difference of the two descriptors; here is that 128-d input for this pair."
    )
    st.latex(r"\hat y = \sigma\Big(\sum_{k=1}^{128} w_k\,\big|f_k(x^{(i)}) - f_k(x^{(j)})\big| + b\Big)")
    st.plotly_chart(difference_bars(verdict.abs_difference), key="faces_difference")


def _face_of(samples: dict[str, FaceSample], photo: str) -> FaceSample:
    if photo not in samples:
        raise FaceError(f"{photo} has no usable face (see the message under it)")
    return samples[photo]


def _gallery() -> tuple[Gallery, list[np.ndarray | None]]:
    return st.session_state.get("faces_gallery", Gallery()), st.session_state.get("faces_gallery_crops", [])


def _store(gallery: Gallery, crops: list[np.ndarray | None]) -> None:
    st.session_state["faces_gallery"], st.session_state["faces_gallery_crops"] = gallery, crops


def _import_gallery() -> None:
    upload = st.file_uploader("Import a gallery (JSON)", type=["json"], key="faces_import")
    done = st.session_state.setdefault("faces_imported", set())
    if upload is None or upload.file_id in done:
        return
    done.add(upload.file_id)
    try:
        imported = gallery_from_json(upload.getvalue())
    except CNNLabError as err:
        show_error(err)
        return
    gallery, crops = _gallery()
    for name, vector in zip(imported.names, imported.embeddings, strict=True):
        gallery = gallery.enrol(name, vector)
    _store(gallery, crops + [None] * len(imported))
    st.success(f"Imported {len(imported)} descriptor(s).")


def gallery_section(samples: dict[str, FaceSample], threshold: float) -> None:
    """Enrol faces by name (1 photo each), identify photo A or B (1:K), export/import as JSON."""
    st.markdown(
        "**One-shot learning**: each person is enrolled from a single photo; their descriptor is computed "
        "once and stored. A new face is the nearest enrolled person when that distance is ≤ τ, else unknown."
    )
    gallery, crops = _gallery()
    name_col, source_col, button_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    name = name_col.text_input("Name", key="faces_enrol_name", placeholder="who is in the photo?")
    source = source_col.radio("Face to enrol", PHOTOS, horizontal=True, key="faces_enrol_source")
    if button_col.button("Enrol", key="faces_enrol", type="primary"):
        try:
            sample = _face_of(samples, source)
            gallery, crops = gallery.enrol(name, sample.embedding), [*crops, sample.crop]
            _store(gallery, crops)
            st.toast(f"Enrolled {gallery.names[-1]} from {source.lower()}.", icon="✅")
        except CNNLabError as err:
            show_error(err)
    if len(gallery):
        thumbs = [c if c is not None else np.full((150, 150, 3), 230, np.uint8) for c in crops]
        st.image(thumbs, caption=[f"{i + 1}. {n}" for i, n in enumerate(gallery.names)], width=90)
        export, clear = st.columns(2)
        export.download_button(
            "Export gallery (JSON)", gallery_to_json(gallery), "face_gallery.json", key="faces_export"
        )
        if clear.button("Clear gallery", key="faces_clear"):
            _store(Gallery(), [])
            st.rerun()
    _import_gallery()
    if not len(gallery):
        st.info("Enrol at least one person, then identify photo A or B.")
        return
    probe = st.radio("Identify", PHOTOS, horizontal=True, key="faces_identify")
    if probe not in samples:
        st.info(f"{probe} has no usable face to identify.")
        return
    result = identify(gallery, samples[probe].embedding, threshold)
    nearest = int(np.argmin(result.distances))
    if result.name:
        st.success(
            f"{probe} is **{result.name}** (d = {result.distances[nearest]:.3f} ≤ τ = {threshold:.2f})"
        )
    else:
        st.warning(
            f"{probe} is **unknown**: the nearest, {gallery.names[nearest]}, is at d = "
            f"{result.distances[nearest]:.3f} > τ = {threshold:.2f}"
        )
    table = pd.DataFrame({"name": gallery.names, "distance d": result.distances.round(3)})
    st.dataframe(table, hide_index=True)


def _items(samples: dict[str, FaceSample], gallery: Gallery) -> list[tuple[str, str, np.ndarray, bool]]:
    """(label, identity, descriptor, is a probe) for every enrolled face and photo A / B."""
    enrolled = [
        (f"{i + 1}. {n}", n, v, False)
        for i, (n, v) in enumerate(zip(gallery.names, gallery.embeddings, strict=True))
    ]
    return enrolled + [(label, label, s.embedding, True) for label, s in samples.items()]


def space_section(samples: dict[str, FaceSample]) -> None:
    """The gallery and photos A / B projected to 2-D by PCA, each probe linked to its nearest face."""
    items = _items(samples, _gallery()[0])
    if len(items) < 2:
        st.info("Pick two photos or enrol people to see their descriptors in 2-D.")
        return
    vectors = np.stack([v for *_, v, _ in items])
    coords, share = project_2d(vectors)
    distance = pairwise_distances(vectors)  # (N, N)
    probes = [i for i, item in enumerate(items) if item[3]]
    enrolled = [i for i, item in enumerate(items) if not item[3]]
    pairs = [(i, min(enrolled, key=lambda j, i=i: distance[i, j])) for i in probes if enrolled]
    pairs += [tuple(probes)] if len(probes) == 2 else []
    links = [(i, j, float(distance[i, j])) for i, j in pairs]
    st.plotly_chart(
        embedding_space(coords, [it[0] for it in items], [it[3] for it in items], links, share),
        key="faces_space",
    )
    st.caption(
        f"PCA keeps {share.sum():.0%} of the spread of these {len(items)} descriptors, so distances on the "
        "plane are only a shadow of the true 128-d distances printed on the lines."
    )


def triplet_section(samples: dict[str, FaceSample]) -> None:
    """Pick anchor, positive, negative among the faces; show d(A,P), d(A,N), the loss and its kind."""
    gallery = _gallery()[0]
    items = _items(samples, gallery)
    alpha = st.slider("Margin α", 0.0, 1.0, 0.2, 0.05, key="faces_alpha", bind="query-params")
    if len(items) < 3:
        st.info("The triplet loss needs three faces: pick photos A and B and enrol at least one person.")
        return
    labels = [it[0] for it in items]
    nearest = np.argsort(pairwise_distances(np.stack([it[2] for it in items]))[0])  # by distance to item 0
    defaults = (0, int(nearest[1]), int(nearest[2]))  # anchor, its nearest face, the next nearest
    roles = (("Anchor A", "anchor"), ("Positive P (same person)", "positive"), ("Negative N", "negative"))
    columns = st.columns(3)
    picks = [
        column.selectbox(
            role, range(len(items)), index=default, format_func=labels.__getitem__, key=f"faces_{key}"
        )
        for column, (role, key), default in zip(columns, roles, defaults, strict=True)
    ]
    result = triplet(*(items[p][2] for p in picks), alpha)
    metrics = st.columns(4)
    metrics[0].metric("d(A,P)", f"{result.d_ap:.3f}")
    metrics[1].metric("d(A,N)", f"{result.d_an:.3f}")
    metrics[2].metric("loss L", f"{result.loss:.3f}")
    metrics[3].metric("kind", result.kind)
    st.caption("d is the squared Euclidean distance ‖f(x) − f(y)‖², as in FaceNet and the course.")
    st.plotly_chart(triplet_line(result), key="faces_triplet")
    st.markdown(KIND_TEXT[result.kind])
    found = all_triplets(gallery.embeddings, list(gallery.names), alpha) if len(gallery) >= 3 else []
    if found:
        counts = pd.Series([t.kind for *_, t in found]).value_counts()
        st.markdown(f"All {len(found)} valid triplets of your gallery (people enrolled twice or more):")
        st.dataframe(counts.rename("triplets").to_frame())
    else:
        st.caption(
            "Enrol someone twice (two photos) and someone else to list every valid triplet of the gallery."
        )
