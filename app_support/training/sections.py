"""The data-augmentation tab of the Training page: a grid of random draws per technique, the photo's colour
PCA, and whether augmentation helps with little data."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app_support.shared.image_picker import image_picker
from app_support.shared.layout import controls_and_result, show_at_width, thumbnail
from app_support.shared.url import IN_URL, bound_number, bound_slider
from app_support.shared.visitor_cache import session_memo
from app_support.training import cache
from app_support.training.data import OWN
from cnn_core.images import scaled_size
from cnn_core.training.augment import TECHNIQUES, augment_grid
from cnn_core.training.pca_colour import PCA_SIGMA, colour_pca
from cnn_core.training.transfer import AUGMENTED_COPIES

#: the grid works on a copy at most this many pixels on its longer side, and shows each draw this wide
#: (CSS pixels: three draws in a row beside the controls on a projector)
GRID_SIDE, DRAW_SIDE = 256, 140
#: the with/without-augmentation comparison: photos per sample class, epochs
EFFECT_PHOTOS, EFFECT_EPOCHS = 4, 10


def _small(image: np.ndarray) -> np.ndarray:
    from PIL import Image

    if max(image.shape[:2]) <= GRID_SIDE:
        return image
    width, height = scaled_size(image.shape[1], image.shape[0], GRID_SIDE)
    return np.asarray(Image.fromarray(image).resize((width, height), Image.Resampling.LANCZOS))


def augmentation_panel() -> None:
    """One technique applied to the chosen photo, n random draws in a grid; the photo's colour PCA."""
    controls, grid = controls_and_result()
    with controls:
        picture = image_picker("tr_aug", camera=True, default_sample="astronaut", label="Photo")
        name = st.selectbox("Technique", list(TECHNIQUES), key="tr_tech", bind=IN_URL)
        sigma = PCA_SIGMA
        if name in ("pca", "combined"):
            sigma = bound_slider("PCA colour σ", "tr_sigma", 1.0, 0.1)
        described = TECHNIQUES[name].replace(f"N(0, {PCA_SIGMA})", f"N(0, {sigma:g})")
        st.caption(
            described
            if name == "pca"
            else f"Keras 3: {described}" + (f", σ = {sigma:g}" if name == "combined" else "")
        )
        n = bound_slider("Random draws", "tr_n", 9, 1)
        seed = bound_number("Seed", "tr_aug_seed", 0)
        if picture is None:
            return
        image = _small(picture.pixels)
        height, width = picture.pixels.shape[:2]
        thumbnail(picture.pixels, caption=f"The photo ({width}x{height})")
    with grid:
        draws = augment_grid(image, name, n, seed, sigma)
        st.caption(f"{n} random draws of {name} (seed {seed}) on a {image.shape[1]}x{image.shape[0]} copy.")
        show_at_width(list(draws), DRAW_SIDE, [f"{name} #{i + 1}" for i in range(n)])
        if name in ("pca", "combined"):
            _pca_table(image, sigma)
    _effect()


@st.cache_data(show_spinner="Training twice: without and with augmentation…", max_entries=4)
def _effect_on_samples(per_class: int, seed: int) -> tuple[float | None, float | None]:
    """Head regime on ``per_class`` photos of each sample class, half kept for validation."""
    from cnn_core.training.dataset import SAMPLE_CLASSES, image_set
    from cnn_core.training.regimes import Regime
    from cnn_core.training.trainer import TrainSettings
    from cnn_core.training.transfer import augmentation_effect

    rng = np.random.default_rng(seed)
    photos = {
        name: [cache.sample_photos(name)[i] for i in rng.permutation(16)[:per_class]]
        for name in SAMPLE_CLASSES
    }
    return augmentation_effect(
        image_set(photos),
        Regime("head"),
        TrainSettings(epochs=EFFECT_EPOCHS, batch_size=4, validation_fraction=0.5, seed=seed),
        cache.lite0(),
    )


def _effect() -> None:
    own = st.session_state.get(OWN, {})
    mine = len(own) >= 2
    source = "your own classes" if mine else f"{EFFECT_PHOTOS} photos of each sample class"
    with st.expander("Does augmentation help with little data? (same data, split and seed)"):
        st.caption(
            f"The head regime on {source} (half for validation), {EFFECT_EPOCHS} epochs, trained once as "
            f"they are and once with {AUGMENTED_COPIES} augmented copies of each training photo (the "
            "combined pipeline)."
            + ("" if mine else " Add two classes of your own on the first tab to use yours.")
        )
        if not st.button("Train both", key="tr_effect"):
            return
        if mine:
            without, with_aug = session_memo(
                "tr_effect", tuple((k, len(v)) for k, v in own.items()), lambda: _effect_on(own)
            )
        else:
            without, with_aug = _effect_on_samples(EFFECT_PHOTOS, 0)
        left, right = st.columns(2)
        left.metric("validation accuracy, as they are", f"{100 * (without or 0):.0f} %")
        right.metric(
            "with augmentation",
            f"{100 * (with_aug or 0):.0f} %",
            f"{100 * ((with_aug or 0) - (without or 0)):+.0f} points",
        )
        if without == with_aug:
            st.caption(
                f"Both reach {100 * (without or 0):.0f} %: ImageNet features already separate {source} "
                "without help. The effect shows on harder classes (similar objects, varied photos)."
            )


def _effect_on(classes: dict[str, list[np.ndarray]]) -> tuple[float | None, float | None]:
    from cnn_core.training.dataset import image_set
    from cnn_core.training.regimes import Regime
    from cnn_core.training.trainer import TrainSettings
    from cnn_core.training.transfer import augmentation_effect

    with st.spinner("Training twice: without and with augmentation…"):
        settings = TrainSettings(epochs=EFFECT_EPOCHS, batch_size=4, validation_fraction=0.5)
        return augmentation_effect(image_set(classes), Regime("head"), settings, cache.lite0())


def _pca_table(image: np.ndarray, sigma: float) -> None:
    pca = colour_pca(image)
    st.markdown(
        "PCA colour augmentation adds $\\sum_i \\alpha_i \\lambda_i p_i$ to every pixel, "
        f"$\\alpha_i \\sim N(0, {sigma:g})$, with the eigenvalues λ and eigenvectors p of this photo's RGB "
        "covariance (pixels in [0, 1]):"
    )
    st.table(
        [
            {
                "i": i + 1,
                "λ": f"{pca.eigenvalues[i]:.5f}",
                "p (R, G, B)": ", ".join(f"{v:+.3f}" for v in pca.eigenvectors[:, i]),
            }
            for i in range(3)
        ]
    )
    typical = 255 * PCA_SIGMA * pca.eigenvalues[0]
    st.caption(
        f"With AlexNet's σ = {PCA_SIGMA} the typical shift along p₁ here is {typical:.1f} grey levels — too "
        f"small to see, which is why σ = {sigma:g} is shown; training uses σ = {PCA_SIGMA}."
    )
