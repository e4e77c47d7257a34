"""What the faces page shows above its tabs: the threshold τ, photos A and B with their faces, the verdict.

Per-visitor results (detections, crops, descriptors) live only in ``st.session_state`` (see
``visitor_cache.session_memo``); nothing derived from an upload is cached server-wide or written to disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from app_support.faces.cache import MEMO_SIZE, FaceModels, face_models
from app_support.faces.plots import difference_bars, distance_gauge, draw_faces
from app_support.shared.image_picker import image_picker
from app_support.shared.ui import show_error
from app_support.shared.url import bound_slider
from app_support.shared.visitor_cache import fingerprint, session_memo
from cnn_core.errors import CNNLabError
from cnn_core.faces.align import CROP_SIZE
from cnn_core.faces.detect import MIN_FACE_PX, detect_faces
from cnn_core.faces.embed import EMBEDDING_SIZE
from cnn_core.faces.pipeline import FaceSample, describe_face
from cnn_core.faces.verify import DEFAULT_THRESHOLD, verify

PHOTOS = ("Photo A", "Photo B")
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
    pictures: dict[str, np.ndarray] = field(default_factory=dict)


def top() -> Photos:
    """Privacy note and pipeline, τ, photos A and B side by side, then the verdict when both have a face."""
    st.info(PRIVACY, icon="🔒")
    st.caption(
        "Pipeline: MTCNN (P-Net → R-Net → O-Net) finds each face and 5 landmarks → the face is rotated and "
        f"scaled onto dlib's template ({CROP_SIZE}x{CROP_SIZE}) → dlib's ResNet-34-style network gives "
        rf"$f(x) \in \mathbb{{R}}^{{{EMBEDDING_SIZE}}}$."
    )
    models = face_models()
    threshold = bound_slider(
        f"Threshold τ on the plain distance d = ‖f₁ − f₂‖₂ (dlib's network: {DEFAULT_THRESHOLD})",
        "faces_tau",
        DEFAULT_THRESHOLD,
        0.01,
    )
    left, right = st.columns(2)
    pictures: dict[str, np.ndarray] = {}
    with left:
        first = photo_column("a", "astronaut", models, pictures)
    with right:
        second = photo_column("b", "camera", models, pictures)
    faces = {label: face for label, face in zip(PHOTOS, (first, second), strict=True) if face is not None}
    st.subheader("Verdict")
    if first is not None and second is not None:
        verdict_section(first, second, threshold)
    else:
        st.info("The verdict needs one usable face in each photo.")
    return Photos(faces, threshold, pictures)


def photo_column(
    side: str, default_sample: str, models: FaceModels, pictures: dict[str, np.ndarray]
) -> FaceSample | None:
    """Picker → faces drawn on the photo → (when several) a choice → the aligned crop. None on failure.
    The photo's pixels go into ``pictures`` under its label ("Photo A") once it could be read."""
    picture = image_picker(
        f"faces_{side}", camera=True, default_sample=default_sample, label=f"Photo {side.upper()}"
    )
    if picture is None:
        return None
    image, tag = picture.pixels, fingerprint(picture.pixels)
    pictures[f"Photo {side.upper()}"] = image
    try:
        detection = session_memo(
            "faces", ("detect", tag), lambda: detect_faces(image, nets=models.nets), MEMO_SIZE
        )
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
            "faces",
            ("face", tag, index),
            lambda: describe_face(image, models.embedder, index=index, detection=detection),
            MEMO_SIZE,
        )
    except CNNLabError as err:
        if faces:
            st.image(draw_faces(image, faces, index), width="stretch")
        show_error(err)
        return None
    st.image(draw_faces(image, faces, sample.index), caption=f"MTCNN: {len(faces)} face(s), 5 landmarks each")
    st.image(sample.crop, caption=f"aligned {CROP_SIZE}x{CROP_SIZE} crop: eyes level", width=CROP_SIZE)
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
        f"element-wise difference of the two descriptors; here is that {EMBEDDING_SIZE}-d input for this "
        "pair (the Binary classification tab fits w and b)."
    )
    st.latex(
        rf"\hat y = \sigma\Big(\sum_{{k=1}}^{{{EMBEDDING_SIZE}}} w_k\,"
        r"\big|f_k(x^{(i)}) - f_k(x^{(j)})\big| + b\Big)"
    )
    st.plotly_chart(difference_bars(verdict.abs_difference), key="faces_difference")
