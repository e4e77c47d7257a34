"""The faces page's pair tabs: the Siamese network drawn from photos A and B, and verification as a
binary classification fitted on augmented pairs of the shipped sample portraits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_support.faces.cache import face_models
from app_support.faces.photos import PHOTOS, Photos
from app_support.faces.plots import decision_scatter
from app_support.faces.siamese_plot import SiameseView, figure_png, siamese_figure
from app_support.shared.url import IN_URL
from app_support.shared.visitor_cache import session_memo
from cnn_core.faces.binary_verification import (
    DEFAULT_L2,
    EPSILON,
    Confusion,
    Feature,
    PairClassifier,
    confusion,
    fit_pair_classifier,
    unsafe_denominators,
)
from cnn_core.faces.embed import embed_crops
from cnn_core.faces.pairs import DEFAULT_VIEWS, augmented_set, make_pairs, train_views
from cnn_core.faces.pipeline import describe_face
from cnn_core.faces.verify import euclidean_distance
from cnn_core.images import sample_image

#: the width of the Siamese drawing on the page, in CSS pixels (and of the picture sent)
SIAMESE_WIDTH = 720
#: the shipped portraits of three different people that the pair classifier is fit on
PORTRAITS = {"astronaut": "the astronaut", "camera": "the cameraman", "grace_hopper": "Grace Hopper"}
FEATURE_LABELS = {"abs": "absolute difference", "chi2": "chi-square"}
L2_CHOICES = (0.0001, 0.001, 0.01, 0.1, 1.0, 10.0)
#: the learned rule, and its feature φₖ per kind: shown on two lines, so the formula fits a phone
RULE = r"\hat y = \sigma\Big(\sum_{k=1}^{128} w_k\,\varphi_k + b\Big)"
FEATURES = {
    "abs": r"\varphi_k = \big|f(x_i)_k - f(x_j)_k\big|",
    "chi2": r"\varphi_k = \frac{\big(f(x_i)_k - f(x_j)_k\big)^2}{|f(x_i)_k| + |f(x_j)_k| + \varepsilon}",
}


def siamese_section(photos: Photos) -> None:
    """x⁽¹⁾ and x⁽²⁾ through one f (shared weights) to their 128-d encodings, then d against τ."""
    if len(photos.faces) < 2:
        st.info("The drawing needs one usable face in each photo (see the messages above).")
        return
    first, second = (photos.faces[label] for label in PHOTOS)
    distance = euclidean_distance(first.embedding, second.embedding)
    parameters = face_models().embedder.count_params()
    view = SiameseView(
        (first.crop, second.crop), (first.embedding, second.embedding), distance, photos.threshold, parameters
    )
    png = session_memo(
        "faces_siamese",
        (first.embedding.tobytes(), second.embedding.tobytes(), photos.threshold),
        lambda: figure_png(siamese_figure(view), SIAMESE_WIDTH),
    )
    st.image(png, width=SIAMESE_WIDTH)
    verdict = "≤" if distance <= photos.threshold else ">"
    limit = float(np.abs(np.stack(view.encodings)).max())
    st.caption(
        f"Now: photo A's and photo B's aligned crops go through the same network f (one set of "
        f"{parameters:,} weights, so the two branches are one network run twice). Each 128-d encoding is "
        f"drawn as an 8x16 strip on one colour scale (red > 0, blue < 0, ±{limit:.2f}); "
        f"d = {distance:.3f} {verdict} τ = {photos.threshold:.2f}, so the page says "
        f"{'same person' if verdict == '≤' else 'different people'}."
    )
    st.download_button("Download drawing (PNG)", png, "siamese_network.png", key="faces_siamese_png")
    st.markdown(
        "The course notes write the Siamese distance squared, d = ‖f(x⁽¹⁾) − f(x⁽²⁾)‖². This page's d is "
        f"the plain Euclidean distance ‖·‖₂, the one dlib's τ = 0.6 is for. The same rule in squared form "
        f"is d² ≤ τ², here {photos.threshold**2:.4g} (dlib: 0.6² = 0.36). Training sets f's weights so that "
        "photos of one person land close and photos of different people far apart; at test time nothing "
        "is learned: each photo is encoded once."
    )


@dataclass(frozen=True)
class PairData:
    """Descriptors (M, 128) of augmented copies of the portraits, their person ids and views (M,), and the
    un-augmented descriptor of each portrait (K, 128)."""

    embeddings: np.ndarray
    people: np.ndarray
    views: np.ndarray
    originals: np.ndarray


@st.cache_resource(show_spinner="Describing augmented copies of the sample portraits…")
def pair_data(views: int = DEFAULT_VIEWS) -> PairData:
    """The shipped portraits' faces, ``views`` augmented copies of each, all described by f; the same for
    every visitor (samples only), never changed after."""
    model = face_models().embedder
    samples = [describe_face(sample_image(name), model) for name in PORTRAITS]
    copies = augmented_set(np.stack([sample.crop for sample in samples]), views)
    vectors = embed_crops(model, copies.crops).astype(np.float64)  # (K·V, 128)
    return PairData(vectors, copies.people, copies.views, np.stack([s.embedding for s in samples]))


@st.cache_data(show_spinner=False, max_entries=32)
def fitted(kind: Feature, l2: float) -> PairClassifier:
    """w and b fit on the fitting pairs of ``pair_data()`` (the same for every visitor: samples only)."""
    data = pair_data()
    pairs = make_pairs(data.people, data.views, train_views(DEFAULT_VIEWS))
    fit = pairs.train
    a, b = data.embeddings[pairs.first[fit]], data.embeddings[pairs.second[fit]]  # (F, 128) each
    return fit_pair_classifier(a, b, pairs.same[fit], kind, l2)


def _confusion_table(result: Confusion) -> pd.DataFrame:
    return pd.DataFrame(
        {"called same": [result.tp, result.fp], "called different": [result.fn, result.tn]},
        index=["same person", "different people"],
    )


def _photo_of_training(data: PairData, embedding: np.ndarray) -> str | None:
    """The portrait a photo is (same descriptor to 1e-4), or None."""
    gaps = np.linalg.norm(data.originals - embedding, axis=1)
    return list(PORTRAITS.values())[int(np.argmin(gaps))] if gaps.min() < 1e-4 else None


def _controls() -> tuple[Feature, float]:
    feature_column, l2_column = st.columns(2)
    kind = feature_column.radio(
        "Features φₖ", list(FEATURE_LABELS), format_func=FEATURE_LABELS.__getitem__, horizontal=True,
        key="faces_bin_feature", bind=IN_URL,
    )  # fmt: skip
    l2 = l2_column.select_slider(
        "L2 penalty λ on w", list(L2_CHOICES), value=DEFAULT_L2, key="faces_bin_l2", bind=IN_URL
    )
    return kind, float(l2)


def binary_section(photos: Photos) -> None:
    """Fit w, b on augmented pairs of the portraits; held-out pairs and photos A/B by ŷ ≥ ½ and by d ≤ τ."""
    kind, l2 = _controls()
    st.latex(rf"\begin{{gathered}}{RULE}\\{FEATURES[kind]}\end{{gathered}}")
    data = pair_data()
    pairs = make_pairs(data.people, data.views, train_views(DEFAULT_VIEWS))
    a, b = data.embeddings[pairs.first], data.embeddings[pairs.second]  # (P, 128) each
    fit, held = pairs.train, ~pairs.train
    model = fitted(kind, l2)
    probability = model.probability(a[held], b[held])  # (H,)
    distance = np.linalg.norm(a[held] - b[held], axis=1)  # (H,)
    tau = photos.threshold
    learned = confusion(pairs.same[held], probability >= 0.5)
    plain = confusion(pairs.same[held], distance <= tau)
    probe = _score_photos(photos, model)
    st.plotly_chart(
        decision_scatter(distance, probability, pairs.same[held], tau, probe), key="faces_bin_scatter"
    )
    left, right = st.columns(2)
    left.markdown(f"**Learned ŷ ≥ 0.5**: accuracy {learned.accuracy:.1%}")
    left.table(_confusion_table(learned))
    right.markdown(f"**Plain rule d ≤ τ = {tau:.2f}**: accuracy {plain.accuracy:.1%}")
    right.table(_confusion_table(plain))
    people = ", ".join(PORTRAITS.values())
    st.caption(
        f"Now: w and b fit with {FEATURE_LABELS[kind]} features and λ = {l2:g} on {int(fit.sum())} pairs "
        f"({int(pairs.same[fit].sum())} same person) of the first {train_views(DEFAULT_VIEWS)} augmented "
        f"copies of {people}; scored on {int(held.sum())} held-out pairs ({int(pairs.same[held].sum())} "
        f"same person) of the other {DEFAULT_VIEWS - train_views(DEFAULT_VIEWS)} copies. Same-person "
        "pairs are two copies of one photo, so this shows how w and b are fit, not accuracy on strangers."
    )
    _explain(photos, data, model)


def _score_photos(photos: Photos, model: PairClassifier) -> tuple[float, float] | None:
    """Photo A and B's pair as (d, ŷ), with both verdicts written out; None without two faces."""
    if len(photos.faces) < 2:
        st.info("Photos A and B are scored too when each has a usable face.")
        return None
    first, second = (photos.faces[label].embedding for label in PHOTOS)
    d = euclidean_distance(first, second)
    p = float(model.probability(first, second))
    st.markdown(
        f"**Photos A and B**: ŷ = {p:.3f} → {'same person' if p >= 0.5 else 'different people'} "
        f"(learned); d = {d:.3f} {'≤' if d <= photos.threshold else '>'} τ = {photos.threshold:.2f} → "
        f"{'same person' if d <= photos.threshold else 'different people'} (plain rule)."
    )
    return d, p


def _explain(photos: Photos, data: PairData, model: PairClassifier) -> None:
    """Why the chi-square denominator takes absolute values, with this pair's count; what w learned."""
    with st.expander("About the features and the fit", expanded=False):
        unsafe = (
            f" For photos A and B, {unsafe_denominators(*(photos.faces[p].embedding for p in PHOTOS))} of "
            "the 128 components have f(xᵢ)ₖ + f(xⱼ)ₖ ≤ 0."
            if len(photos.faces) == 2
            else ""
        )
        st.markdown(
            "The chi-square similarity (a − b)² / (a + b) was made for histograms, whose entries are ≥ 0. "
            "dlib's descriptors have entries of both signs, so a + b can be 0 (an infinite feature) or "
            "negative (a negative distance)." + unsafe + " This page divides by |a| + |b| + ε instead "
            f"(ε = {EPSILON:g}): the same value for entries ≥ 0, never more than |a − b|, and ε only turns "
            "0/0 (both entries 0) into 0."
        )
        st.markdown(
            "w and b minimise the mean cross-entropy plus (λ/2)‖w‖² (Newton's method in float64); the "
            "features are standardised for the fit and the scaling is folded back into w and b, so the "
            f"formula above holds as written. Here b = {model.bias:.2f} and the largest |wₖ| is "
            f"{np.abs(model.weights).max():.1f} (component {int(np.argmax(np.abs(model.weights)))}): weights "
            "are mostly negative, since a larger difference means less likely the same person "
            f"({int((model.weights < 0).sum())} of 128 are negative)."
        )
        known = [
            f"photo {label[-1]} is {name}"
            for label in PHOTOS
            if label in photos.faces and (name := _photo_of_training(data, photos.faces[label].embedding))
        ]
        if known:
            st.markdown(
                f"Note: {' and '.join(known)}, whose augmented copies the model was fit on, so the photos' "
                "pair is not new to it."
            )
