"""The faces page's descriptor tabs: the embedding space and the triplet loss, over this session's gallery
(``gallery.session_gallery``) and photos A and B."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_support.faces.gallery import session_gallery
from app_support.faces.photos import Photos
from app_support.faces.plots import embedding_space, triplet_line
from app_support.shared.url import IN_URL, bound_slider
from cnn_core.faces.embed import EMBEDDING_SIZE
from cnn_core.faces.gallery import project_2d
from cnn_core.faces.triplet import DEFAULT_ALPHA, all_triplets, triplet
from cnn_core.faces.verify import pairwise_distances

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


def _points(photos: Photos) -> list[Point]:
    """Every enrolled face, then photo A and B."""
    enrolled = [
        Point(f"{i}. {entry.name}", entry.embedding, probe=False)
        for i, entry in enumerate(session_gallery().entries, start=1)
    ]
    return enrolled + [Point(label, face.embedding, probe=True) for label, face in photos.faces.items()]


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
    st.latex(  # two short lines, so the formula fits a phone
        r"\begin{gathered}\mathcal{L} = \max\big(d^2(A,P) - d^2(A,N) + \alpha,\ 0\big)\\"
        r"d^2(X,Y) = \lVert f(X)-f(Y)\rVert_2^2\end{gathered}"
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
            role,
            range(len(points)),
            index=default,
            format_func=labels.__getitem__,
            key=f"faces_{key}",
            bind=IN_URL,
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
