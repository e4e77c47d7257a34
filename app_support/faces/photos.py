"""What the faces page shows above its tabs: the threshold τ, photos A and B with their faces, the verdict.

Per-visitor results (detections, crops, descriptors) live only in ``st.session_state`` (see
``visitor_cache.session_memo``); nothing derived from an upload is cached server-wide or written to disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from app_support.faces.cache import MEMO_SIZE, FaceModels, face_models, found_faces
from app_support.faces.plots import difference_bars, distance_gauge, draw_faces
from app_support.shared.image_picker import Picture, image_picker
from app_support.shared.layout import controls_and_result, explanation, thumbnail
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL, bound_slider
from app_support.shared.visitor_cache import fingerprint, session_memo
from cnn_core.errors import CNNLabError
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.detect import MIN_FACE_PX, Detection
from cnn_core.faces.embed import EMBEDDING_SIZE
from cnn_core.faces.pipeline import FaceSample, describe_face
from cnn_core.faces.salient import RELATIVE_SIZE, SECONDARY_SCORE
from cnn_core.faces.verify import DEFAULT_THRESHOLD, Verdict, verify

PHOTOS = ("Photo A", "Photo B")
#: each photo's label, widget-key side and default sample
SIDES = (("Photo A", "a", "astronaut"), ("Photo B", "b", "camera"))
#: width of each aligned crop shown beside the verdict (CSS pixels)
CROP_THUMB = 90
PIPELINE = (
    "Pipeline: MTCNN (P-Net → R-Net → O-Net) finds each face and 5 landmarks → the face is rotated and "
    f"scaled onto dlib's template ({CROP_SIZE}x{CROP_SIZE}) → dlib's ResNet-34-style network gives "
    rf"$f(x) \in \mathbb{{R}}^{{{EMBEDDING_SIZE}}}$."
)
PRIVACY = (
    "**Privacy**: photos are processed in this server's memory only. Faces, descriptors and the gallery are "
    "kept in your browser session (never written to disk, never shared with other visitors) and are gone "
    "when you close the tab. Export the gallery as JSON if you want to keep it."
)


@dataclass(frozen=True)
class Photos:
    """What the tabs read: the chosen face of each photo that has a usable one (keyed by its label in
    PHOTOS), the threshold τ, and the pixels (H, W, 3) uint8 of each photo that could be read."""

    faces: dict[str, FaceSample]
    threshold: float
    pictures: dict[str, Picture] = field(default_factory=dict)


def top() -> Photos:
    """τ and photos A and B (as thumbnails) beside the verdict; the privacy note, the pipeline and the
    verdict's binary-classification view folded away under them."""
    models = face_models()
    controls, result = controls_and_result()
    pictures: dict[str, Picture] = {}
    samples: list[FaceSample | None] = []
    with controls:
        threshold = bound_slider(
            f"Threshold τ on the distance d = ‖f₁ − f₂‖₂ (dlib: {DEFAULT_THRESHOLD})",
            "faces_tau",
            DEFAULT_THRESHOLD,
            0.01,
        )
        for column, (label, side, sample) in zip(st.columns(2), SIDES, strict=True):
            with column:
                picture, face = photo_column(side, sample, models, label)
            if picture is not None:
                pictures[label] = picture
            samples.append(face)
    first, second = samples
    faces = {label: face for label, face in zip(PHOTOS, samples, strict=True) if face is not None}
    with result:
        if first is not None and second is not None:
            verdict = verdict_section(first, second, threshold)
        else:
            verdict = None
            st.info("The verdict needs one usable face in each photo.")
    with explanation("Privacy, the pipeline, and the verdict as a classifier"):
        st.info(PRIVACY, icon="🔒")
        st.caption(PIPELINE)
        if verdict is not None:
            _difference(verdict)
    return Photos(faces, threshold, pictures)


def photo_column(
    side: str, default_sample: str, models: FaceModels, label: str
) -> tuple[Picture | None, FaceSample | None]:
    """Picker → the photo as a thumbnail with its faces drawn → (for a group) a choice → the chosen face.

    Returns the photo (None when none could be read) and the chosen face, aligned and described (None on
    failure). The
    default face is the photo's largest; a choice is offered only among ``Detection.candidates``, so a
    small, unsure "face" in a portrait's clutter is shown but never makes a choice necessary.
    """
    picture = image_picker(f"faces_{side}", camera=True, default_sample=default_sample, label=label)
    if picture is None:
        return None, None
    image, tag = picture.pixels, fingerprint(picture.pixels)
    try:
        detection = found_faces(image, sample=picture.sample)
    except CNNLabError as err:
        show_error(err)
        return picture, None
    index = _choose(detection, label, side)
    try:
        sample = session_memo(
            "faces",
            ("face", tag, index),
            lambda: describe_face(image, models.embedder, index=index, detection=detection),
            MEMO_SIZE,
        )
    except CNNLabError as err:
        if detection.faces:
            _show_faces(image, detection, index)
        show_error(err)
        return picture, None
    _show_faces(image, detection, sample.index)
    return picture, sample


def _show_faces(image: np.ndarray, detection: Detection, chosen: int | None) -> None:
    """The photo as a thumbnail with its faces drawn, and what was left out of the choice."""
    thumbnail(draw_faces(image, detection.faces, chosen), f"MTCNN: {len(detection.faces)} face(s)")
    left_out = _left_out(detection)
    if left_out:
        st.caption(left_out)


def _choose(detection: Detection, label: str, side: str) -> int | None:
    """The face to compare: a choice among the candidates of a group photo (in the URL), else None (the
    largest face, ``pick_face``'s default)."""
    faces, candidates = detection.faces, detection.candidates
    if len(candidates) < 2:
        return None
    st.info(f"{len(candidates)} faces found in {label}: choose the one to compare.")
    return st.radio(
        "Face",
        candidates,
        index=max(range(len(candidates)), key=lambda k: faces[candidates[k]].size),
        format_func=lambda i: (
            f"#{i + 1} · {faces[i].size:.0f} px" + (" (too small)" if faces[i].size < MIN_FACE_PX else "")
        ),
        horizontal=True,
        key=f"faces_{side}_face",
        bind=IN_URL,
    )


def _left_out(detection: Detection) -> str:
    """What MTCNN found, and which detections are left out of the choice and why ("" when none is)."""
    faces, candidates = detection.faces, detection.candidates
    left_out = [
        f"#{i + 1} ({face.size:.0f} px, p = {face.score:.2f})"
        for i, face in enumerate(faces)
        if i not in candidates
    ]
    if not left_out:
        return ""
    return (
        f"Left out: {', '.join(left_out)}; a second face needs ≥ {RELATIVE_SIZE:.0%} of the largest one's "
        f"side and p ≥ {SECONDARY_SCORE}."
    )


def verdict_section(first: FaceSample, second: FaceSample, threshold: float) -> Verdict:
    """The verdict (d against τ, same or different), the two aligned faces, the cosine, the result as
    JSON, and the gauge."""
    verdict = verify(first.embedding, second.embedding, threshold)
    text = f"d = {verdict.distance:.3f} {'≤' if verdict.same_person else '>'} τ = {threshold:.2f}"
    if verdict.same_person:
        st.success(f"**Same person** ({text})", icon="✅")
    else:
        st.warning(f"**Different people** ({text})", icon="🙅")
    crops, gauge = st.columns([2, 3], vertical_alignment="center")
    crops.image(
        [first.crop, second.crop],
        caption=[f"A: face #{first.index + 1}", f"B: face #{second.index + 1}"],
        width=CROP_THUMB,
    )
    crops.caption(f"The faces compared, aligned to {CROP_SIZE}x{CROP_SIZE} (eyes level).")
    gauge.plotly_chart(distance_gauge(verdict.distance, threshold), key="faces_gauge")
    cosine, download = st.columns([3, 2], vertical_alignment="bottom")
    cosine.metric("Cosine similarity f₁·f₂ / (‖f₁‖ ‖f₂‖)", f"{verdict.cosine:.3f}")
    payload = {
        "distance": round(verdict.distance, 6),
        "threshold": threshold,
        "same_person": verdict.same_person,
        "faces": [first.face.as_dict(), second.face.as_dict()],
    }
    download.download_button(
        "Download result (JSON)", json.dumps(payload, indent=2), "verification.json", key="faces_json"
    )
    return verdict


def _difference(verdict: Verdict) -> None:
    """The element-wise |f(x_i) − f(x_j)| of this pair: the input of verification as a classifier."""
    st.markdown(
        "**Verification as binary classification.** Instead of a fixed τ, a logistic unit can read the "
        f"element-wise difference of the two descriptors; here is that {EMBEDDING_SIZE}-d input for this "
        "pair (the Binary classification tab fits w and b)."
    )
    st.latex(
        rf"\hat y = \sigma\Big(\sum_{{k=1}}^{{{EMBEDDING_SIZE}}} w_k\,"
        r"\big|f_k(x^{(i)}) - f_k(x^{(j)})\big| + b\Big)"
    )
    st.plotly_chart(difference_bars(verdict.abs_difference), key="faces_difference")
