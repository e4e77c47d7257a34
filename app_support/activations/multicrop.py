"""Tabs of the activations page for the course's tips "for doing well on benchmarks": multi-crop at test
time (the 10-crop evaluation of EfficientNet-Lite0 on the chosen photo) and an ensemble of two networks
(two LeNet-5s trained from different random seeds, on held-out MNIST digits and the chosen digit)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from app_support.activations import cache as models
from app_support.activations.inputs import ChosenInput, chosen_input, show_input
from app_support.shared.layout import controls_and_result, explanation, show_at_width
from app_support.shared.url import IN_URL
from app_support.shared.visitor_cache import picture_cache
from cnn_core.activations.classify import top_k
from cnn_core.activations.ensemble import ENSEMBLE_SEEDS, EnsembleScore, ensemble_score, member_probabilities
from cnn_core.activations.multicrop import (
    CROP_NAMES,
    SIDE_CHOICES,
    TEN_CROP_SIDE,
    TenCrop,
    average_softmax,
    ten_crop_classify,
    ten_crops,
)

#: the ImageNet network of the page, the one whose 10-crop evaluation the tab shows
IMAGENET_KEY = "efficientnet-lite0"
#: width (pixels) of a crop's thumbnail
THUMB_SIDE = 112
_PROBABILITY = st.column_config.ProgressColumn(format="%.3f", min_value=0.0, max_value=1.0)


@st.cache_data(show_spinner=False, max_entries=4)
def multiply_adds(key: str) -> int:
    """Multiply-adds of one forward pass of one example through network ``key``."""
    from cnn_core.architectures.summary import summarize

    return summarize(models.network(key)).macs


@picture_cache(max_entries=16, show_spinner="Running the ten crops…")
def ten_crop_result(pixels: np.ndarray, side: int) -> tuple[TenCrop, float, float]:
    """The 10-crop evaluation of a photo, with the measured times (ms) of the centre crop alone (one
    forward pass) and of the ten crops (one batch of 10)."""
    model = models.network(IMAGENET_KEY)
    start = time.perf_counter()
    result = ten_crop_classify(model, pixels, side)
    ten_ms = (time.perf_counter() - start) * 1000
    centre = ten_crops(result.resized)[:1]  # (1, 224, 224, 3)
    start = time.perf_counter()
    model(centre, training=False)
    return result, (time.perf_counter() - start) * 1000, ten_ms


@st.cache_resource(show_spinner="Loading the two LeNet-5s…")
def ensemble_networks() -> list:
    """The ensemble's trained LeNet-5s (seeds ``ENSEMBLE_SEEDS``), shared by every session, never changed."""
    from cnn_core.activations.ensemble import ensemble_members

    return ensemble_members()


@st.cache_data(show_spinner="Scoring both networks on the held-out digits…", max_entries=1)
def held_out_score() -> EnsembleScore:
    """Both networks and their averaged softmax on the 1,000 held-out MNIST digits."""
    from cnn_core.zoo.lenet5_mnist import mnist_split

    _, x_test, _, y_test = mnist_split()
    return ensemble_score(member_probabilities(ensemble_networks(), x_test), y_test)


def _top5_table(probabilities: np.ndarray, title: str) -> None:
    st.markdown(title)
    table = pd.DataFrame(top_k(probabilities, 5)).rename(columns={"label": "class", "score": "probability"})
    st.dataframe(table, hide_index=True, column_config={"probability": _PROBABILITY, "index": None})


def _thumbnails(result: TenCrop) -> None:
    """The ten crops as the network saw them, the five crops then their five mirrors (each row wraps on a
    narrow screen), each with its own top-1 class."""
    views = ten_crops(result.resized)  # (10, 224, 224, 3)
    tops = [top_k(p, 1)[0] for p in result.probabilities]
    captions = [f"{name}: {t['label']} ({t['score']:.2f})" for name, t in zip(CROP_NAMES, tops, strict=True)]
    st.markdown(f"**The ten crops** as the network saw them (224×224, shown at {THUMB_SIDE} px):")
    for row in (0, 5):
        show_at_width(
            [models.shown(view) for view in views[row : row + 5]], THUMB_SIDE, captions[row : row + 5]
        )
    agree = int((result.probabilities.argmax(axis=1) == result.average.argmax()).sum())
    st.caption(f"{agree} of the 10 crops alone give the averaged top-1 class.")
    rows = [
        {"view": CROP_NAMES[k], "top": int(top), "left": int(left), **tops[k]}
        for k, (top, left) in enumerate(result.boxes[:, :2])
    ]
    rows.append({"view": "average of the 10", **top_k(result.average, 1)[0]})
    st.download_button(
        "Download the crops' top-1 (CSV)", pd.DataFrame(rows).to_csv(index=False), "ten_crops.csv", "text/csv"
    )


def ten_crop() -> None:
    """10-crop at test time: ten views of the chosen photo through EfficientNet-Lite0, softmax averaged."""
    controls, result = controls_and_result()
    with controls:
        chosen = chosen_input()
        problem = (
            "10-crop here runs EfficientNet-Lite0 on a photo: choose it as the Network."
            if chosen.model.key != IMAGENET_KEY
            else "Pick, upload or take a photo to see its ten crops."
            if chosen.pixels is None
            else None
        )
        if chosen.pixels is not None and problem is None:
            side = st.select_slider(
                "Shorter side S (pixels)", SIDE_CHOICES, value=TEN_CROP_SIDE, key="act_crop_side", bind=IN_URL
            )
            crops = ten_crop_result(chosen.pixels, side, sample=chosen.sample)
            _geometry(chosen.pixels.shape[:2], crops[0], side)
            show_input(chosen)
        with explanation():
            st.markdown(
                "**Multi-crop at test time**: average the network's softmax over ten 224×224 crops of the "
                "photo (the centre, the four corners and their mirror images), "
                r"$\bar p = \frac{1}{10}\sum_{k=1}^{10} p_k$ (AlexNet, Krizhevsky et al. 2012; ResNet, He "
                "et al. 2016, with S = 256)."
            )
    if problem is not None:
        result.info(problem)
        return
    with result:
        _ten_crop_result(*crops)


def _geometry(size: tuple[int, ...], result: TenCrop, side: int) -> None:
    """Where the ten crops were cut from a photo of ``size`` (H, W), in the resized photo's pixels."""
    (h, w), boxes = result.resized.shape[:2], result.boxes
    corners = ", ".join(f"({top}, {left})" for top, left in boxes[1:5, :2])
    st.caption(
        f"Your {size[0]}×{size[1]} picture resized (bilinear) to {h}×{w}, "
        f"shorter side {side}; 224×224 crops with (top, left) at the centre ({boxes[0, 0]}, {boxes[0, 1]}) "
        f"and the corners {corners}, then the same five mirrored left–right."
    )


def _ten_crop_result(result: TenCrop, single_ms: float, ten_ms: float) -> None:
    """The centre crop's and the ten crops' top-5 side by side, what averaging changed and cost, the crops."""
    single, ten = st.columns(2)
    with single:
        _top5_table(result.centre, "**Centre crop alone** (1 forward pass)")
    with ten:
        _top5_table(result.average, "**Average of the 10 crops**")
    macs = multiply_adds(IMAGENET_KEY)
    before, after = top_k(result.centre, 1)[0]["label"], top_k(result.average, 1)[0]["label"]
    change = f"unchanged ({after})" if before == after else f"changed by averaging: {before} → {after}"
    st.markdown(
        f"Top-1 {change}. Cost: 10 forward passes, 10 × {macs / 1e6:,.0f} M = {10 * macs / 1e6:,.0f} M "
        f"multiply-adds; measured on this server when computed: {single_ms:,.0f} ms for the centre crop, "
        f"{ten_ms:,.0f} ms to resize, cut and run the ten in one batch. The prediction under the picker "
        "squeezes the whole photo into 224×224 instead, without cropping."
    )
    _thumbnails(result)


def _your_digit(chosen: ChosenInput) -> None:
    """Both networks' softmax and their average on the chosen digit, as a table of the ten classes."""
    if not chosen.model.digits or chosen.x is None:
        st.info(
            "Choose LeNet-5 (handwritten digits) as the Network and draw or pick a digit to see "
            "both networks and their average on it."
        )
        return
    members = member_probabilities(ensemble_networks(), chosen.x[None])[:, 0]  # (K, 10)
    rows = np.concatenate([members, average_softmax(members)[None]])  # (K + 1, 10)
    names = [f"LeNet-5, seed {seed}" for seed in ENSEMBLE_SEEDS] + ["average"]
    table = pd.DataFrame(rows, columns=[str(c) for c in range(10)])
    table.insert(0, "network", names)
    table.insert(1, "reads", [str(int(r.argmax())) for r in rows])
    st.markdown(f"**Your digit**: the ensemble reads **{int(rows[-1].argmax())}**.")
    digits = {str(c): st.column_config.NumberColumn(format="%.3f") for c in range(10)}
    st.dataframe(table, hide_index=True, column_config=digits)


def ensemble() -> None:
    """Two LeNet-5s trained independently, alone and averaged, on held-out digits and the chosen digit."""
    controls, result = controls_and_result()
    with controls:
        chosen = chosen_input()
        with explanation():
            st.markdown(
                "**Ensembling**: train several networks independently and average their softmax outputs, "
                r"$\bar p = \frac{1}{K}\sum_k p_k$. Only one ImageNet classifier ships with CNN Lab "
                "(EfficientNet-Lite0: no VGG or ResNet weights exist in the package registries it installs "
                "from), so the ensemble here is of two digit networks: the course's LeNet-5 trained twice "
                "on the same 4,000 MNIST digits from random seeds 0 and 1 (the notes' recipe: same "
                "architecture, different random initialisation)."
            )
        show_input(chosen)
    with result:
        _held_out()
        _your_digit(chosen)


def _held_out() -> None:
    """Both networks and their average on the held-out digits: a table and what it shows."""
    score = held_out_score()
    names = [f"LeNet-5, seed {seed}" for seed in ENSEMBLE_SEEDS] + ["average of both"]
    correct = [*score.members, score.ensemble]
    table = pd.DataFrame(
        {
            "network": names,
            "correct": [f"{c}/{score.total}" for c in correct],
            "accuracy": [100 * c / score.total for c in correct],
            "cross-entropy": [*score.member_loss, score.ensemble_loss],
        }
    )
    st.markdown(f"**{score.total:,} held-out MNIST digits** (never used in training):")
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "accuracy": st.column_config.NumberColumn(format="%.1f %%"),
            "cross-entropy": st.column_config.NumberColumn(format="%.4f"),
        },
    )
    gain = score.ensemble - max(score.members)
    best_loss = min(score.member_loss)
    network = models.network("lenet5-mnist")  # the seed-0 member: both share the architecture
    macs, weights = multiply_adds("lenet5-mnist"), network.count_params()
    sharper = (
        "the average puts more probability on the true digit"
        + (", even where the top-1 answers tie" if gain == 0 else "")
        if score.ensemble_loss < best_loss
        else "the average does not put more probability on the true digit here"
    )
    st.caption(
        f"The average gets {score.ensemble}/{score.total} right, {gain:+d} against the better network alone, "
        f"and its mean cross-entropy −log p(true digit) is {score.ensemble_loss:.4f} against "
        f"{best_loss:.4f} for the better network: {sharper}. "
        f"Cost: {len(ENSEMBLE_SEEDS)} forward passes ({len(ENSEMBLE_SEEDS)} × {macs / 1e6:.2f} M "
        f"multiply-adds) and {len(ENSEMBLE_SEEDS)} × {weights:,} weights in memory, which is why the notes "
        "keep ensembles for benchmarks and competitions, not production."
    )
