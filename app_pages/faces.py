"""Face verification: are two photos the same person? FaceNet's ideas on real 128-d descriptors."""

import streamlit as st

from app_support.faces import sections as views
from app_support.faces.cache import face_models
from app_support.shared.ui import page_header

page_header(
    "Face verification",
    "A face network f maps an aligned face to a 128-d descriptor so that photos of one person land close "
    "together and photos of different people far apart. Verification then needs no retraining for new "
    "people: two faces match when their distance is at most a threshold τ (one-shot learning).",
    r"d\big(x^{(1)}, x^{(2)}\big) = \big\lVert f(x^{(1)}) - f(x^{(2)}) \big\rVert_2 \le \tau"
    r"\;\Rightarrow\; \text{same person}",
)
st.info(
    "**Privacy**: photos are processed in this server's memory only. Faces, descriptors and the gallery are "
    "kept in your browser session (never written to disk, never shared with other visitors) and are gone "
    "when you close the tab. Export the gallery as JSON if you want to keep it.",
    icon="🔒",
)
st.caption(
    "Pipeline: MTCNN (P-Net → R-Net → O-Net) finds each face and 5 landmarks → the face is rotated and "
    "scaled onto dlib's template (150x150) → dlib's ResNet-34-style network gives f(x) ∈ ℝ¹²⁸."
)

models = face_models()
threshold = st.slider(
    "Threshold τ (dlib's network was trained for 0.6)",
    0.1,
    1.2,
    0.6,
    0.01,
    key="faces_tau",
    bind="query-params",
)
left, right = st.columns(2)
samples = {}
with left:
    samples["Photo A"] = views.photo_column("a", "astronaut", models)
with right:
    samples["Photo B"] = views.photo_column("b", "camera", models)
samples = {label: sample for label, sample in samples.items() if sample is not None}

st.subheader("Verdict")
if len(samples) == 2:
    views.verdict_section(samples["Photo A"], samples["Photo B"], threshold)
else:
    st.info("The verdict needs one usable face in each photo.")

sections = ["One-shot recognition (1:K)", "Embedding space", "Triplet loss"]
tabs = st.tabs(sections, key="faces_tab", on_change="rerun", bind="query-params")
with tabs[0]:
    if tabs[0].open:
        views.gallery_section(samples, threshold)
with tabs[1]:
    if tabs[1].open:
        views.space_section(samples)
with tabs[2]:
    if tabs[2].open:
        st.latex(
            r"\mathcal{L}(A,P,N) = \max\big(\lVert f(A)-f(P)\rVert^2"
            r" - \lVert f(A)-f(N)\rVert^2 + \alpha,\ 0\big)"
        )
        views.triplet_section(samples)
