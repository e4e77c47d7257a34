"""The transfer-learning tab: data, regime, settings, Train/Stop, live curves, and the trained model."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import asdict
from functools import partial
from pathlib import Path

import numpy as np
import streamlit as st

from app_support.shared.image_picker import image_picker
from app_support.shared.job import show_live, start_session_job, stop_button
from app_support.shared.layout import controls_and_result, show_at_width
from app_support.shared.literal import literal
from app_support.shared.url import IN_URL, bound_number, bound_slider
from app_support.training import cache
from app_support.training.data import data_section
from app_support.training.job import TrainingJob
from app_support.training.plots import confusion_figure, curves_figure
from cnn_core.activations.feature_maps import grad_cam, heat_overlay
from cnn_core.training.dataset import ImageSet, square_resize
from cnn_core.training.regimes import BLOCKS, CAM_LAYER, Regime, flat_classifier
from cnn_core.training.trainer import TrainSettings, predict

REFRESH_S = 1.5
JOB = "tr_job"
#: the width of each misclassified validation photo, in CSS pixels
MISTAKE_WIDTH = 72
REGIMES = {
    "head": "1 · little data: freeze the base, train a new softmax (features cached once)",
    "partial": "2 · more data: freeze the first k blocks, fine-tune the rest",
    "full": "3 · lots of data: fine-tune everything from the ImageNet weights",
    "scratch": "from scratch: random start, train everything",
}
RATES = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 1e9)
#: seconds per training photo per epoch of full fine-tuning at 224 px, batch 16, measured on a 2-core
#: CPU by benchmarks/bench_training.py (2.39 s for 36 photos)
FULL_S_PER_PHOTO = 0.066
DEFAULTS = TrainSettings()


def _regime() -> Regime:
    kind = st.radio("Regime", list(REGIMES), horizontal=True, key="tr_regime", bind=IN_URL)
    st.caption(REGIMES[kind])
    if kind != "partial":
        return Regime(kind)
    k = bound_slider("k: frozen blocks (of 16)", "tr_k", 12, 1)
    st.caption(
        f"Frozen: the stem and blocks 1 … {k} (up to {BLOCKS[k - 1]}); fine-tuned: "
        f"{', '.join(BLOCKS[k:]) + ', ' if k < len(BLOCKS) else ''}top_conv and the new softmax."
    )
    return Regime("partial", k)


def _settings() -> TrainSettings:
    left, right = st.columns(2)
    epochs = bound_number("Epochs", "tr_epochs", DEFAULTS.epochs, where=left)
    batch = right.select_slider(
        "Batch size", [4, 8, 16, 32], DEFAULTS.batch_size, key="tr_batch", bind=IN_URL
    )
    rate = left.select_slider(
        "Learning rate (Adam)",
        RATES,
        DEFAULTS.learning_rate,
        format_func=lambda r: f"{r:g}",
        key="tr_lr",
        bind=IN_URL,
    )
    val = bound_slider("Validation share", "tr_val", DEFAULTS.validation_fraction, 0.05, where=right)
    augment = left.toggle("Augment", key="tr_augment", bind=IN_URL, help="the combined pipeline")
    seed = bound_number("Seed", "tr_seed", 0, where=right)
    return TrainSettings(epochs, batch, rate, val, seed, augment)


def _counts(regime: Regime, data: ImageSet, settings: TrainSettings) -> None:
    table, trainable, frozen = cache.regime_table(str(regime), len(data.class_names))
    st.markdown(
        f"**{trainable:,}** trainable · **{frozen:,}** frozen parameters (BN statistics count as frozen)"
    )
    with st.expander("Which layers are frozen"):
        rows = [
            {"layer": name, "parameters": count, "frozen": "❄️" if cold else "🔥"}
            for name, count, cold in table
        ]
        st.dataframe(rows, height=240, hide_index=True)
    if regime.kind in ("full", "scratch"):
        photos = round(len(data.labels) * (1 - settings.validation_fraction))
        estimate = FULL_S_PER_PHOTO * photos * settings.epochs
        st.warning(
            f"This trains all {trainable / 1e6:.1f} M weights: about {FULL_S_PER_PHOTO * 1000:.0f} ms per "
            f"photo per epoch on a 2-core CPU (benchmarks/bench_training.py), so about {estimate:.0f} s for "
            f"{settings.epochs} epochs of {photos} photos, longer while other visitors train. Stop keeps "
            "the best epoch.",
            icon="⏳",
        )


def _start(data: ImageSet, regime: Regime, settings: TrainSettings) -> None:
    start_session_job(JOB, TrainingJob(cache.lite0(), data, regime, settings))


def transfer_panel() -> None:
    """Data, regime and settings on the left; Train and Stop over the live run on the right, so the
    curves grow beside the controls that started them."""
    controls, results = controls_and_result()
    with controls:
        data = data_section()
        regime = _regime()
        settings = _settings()
        if data is not None:
            _counts(regime, data, settings)
    job: TrainingJob | None = st.session_state.get(JOB)
    with results:
        run, stop = st.columns(2)
        run.button(
            "▶ Train",
            key="tr_run",
            type="primary",
            disabled=data is None,
            on_click=_start,
            args=(data, regime, settings),
        )
        stop_button(stop, "tr_stop", JOB, 120)
        if job is None:
            if data is not None:
                st.info(
                    f"Press Train to fine-tune with regime {regime} on {len(data.class_names)} classes "
                    f"({', '.join(data.class_names)}) for {settings.epochs} epochs and watch the curves here."
                )
            return
        show_live(job, partial(_progress, job), REFRESH_S)


def _progress(job: TrainingJob) -> None:
    if job.error:
        st.error(literal(job.error), icon="⚠️")
    run = job.run
    if run is None or (not job.history and job.running):
        st.info(
            "Preparing: copying the ImageNet weights"
            + (" and caching the base's features…" if job.regime.kind == "head" else "…")
        )
        return
    epochs = job.settings.epochs
    state = "done" if job.done else "running"
    st.progress(
        min(1.0, len(job.history) / epochs),
        text=f"{job.regime} · epoch {len(job.history)} / {epochs} ({state})",
    )
    if job.history:
        st.plotly_chart(curves_figure(job.history), key="tr_curves")
    if run.trainer.message:
        st.warning(literal(run.trainer.message), icon="🛑")
    if job.done and job.history:
        _results(job)


def _results(job: TrainingJob) -> None:
    run = job.run
    assert run is not None
    history = job.history
    if run.feature_seconds is not None:
        per_epoch = np.mean([r.seconds for r in history])
        st.caption(
            f"Caching the base's features of {len(run.train_idx) + len(run.val_idx)} photos took "
            f"{run.feature_seconds:.1f} s, once; each epoch then took {per_epoch:.2f} s. Without the cache "
            f"every epoch would run the frozen base again: about {run.feature_seconds:.1f} s more each, "
            f"{run.feature_seconds * (len(history) - 1):.0f} s over these {len(history)} epochs."
        )
    memo = st.session_state.setdefault("tr_results", {})
    if memo.get("job") is not job:
        memo.clear()
        memo.update(job=job, evaluation=run.validation(), classifier=run.classifier())
    evaluation, classifier = memo["evaluation"], memo["classifier"]
    names = job.data.class_names
    best = run.trainer.best_epoch
    accuracy = "—" if evaluation.accuracy is None else f"{100 * evaluation.accuracy:.0f} %"
    st.markdown(f"Kept epoch **{best}**: validation accuracy **{accuracy}** on {len(run.val_idx)} photos.")
    left, right = st.columns(2)
    left.dataframe(
        [
            {"class": n, "accuracy": "—" if a is None else f"{100 * a:.0f} %"}
            for n, a in zip(names, evaluation.per_class, strict=True)
        ],
        hide_index=True,
    )
    right.plotly_chart(confusion_figure(evaluation.matrix, names), key="tr_confusion")
    wrong = run.val_idx[evaluation.mistakes]
    if len(wrong):
        show_at_width(
            [job.data.images[i] for i in wrong[:12]],
            MISTAKE_WIDTH,
            [
                f"{names[job.data.labels[i]]} → {names[evaluation.predicted[k]]}"
                for k, i in zip(evaluation.mistakes[:12], wrong[:12], strict=True)
            ],
        )
    else:
        st.caption("No validation photo was misclassified.")
    _predict(classifier, names)
    _downloads(job, classifier)


def _predict(classifier, names: tuple[str, ...]) -> None:
    st.markdown("**Use it:** predict a new photo")
    picture = image_picker("tr_pred", camera=True, default_sample="coffee", label="Photo to classify")
    if picture is None:
        return
    square = square_resize(picture.pixels, 224)
    probabilities = predict(classifier, square[None].astype(np.float32))[0]
    best = int(probabilities.argmax())
    memo = st.session_state["tr_results"]
    if "flat" not in memo:
        memo["flat"] = flat_classifier(classifier)
    heat = grad_cam(memo["flat"], square.astype(np.float32), CAM_LAYER, best)
    left, right = st.columns([1, 2])
    left.image(
        heat_overlay(square, heat),
        caption=f"Grad-CAM of '{names[best]}' at {CAM_LAYER} ({heat.shape[0]}×{heat.shape[1]}) on the "
        "224x224 square the network sees",
        width=180,
    )
    right.dataframe(
        [{"class": name, "probability": float(p)} for name, p in zip(names, probabilities, strict=True)],
        column_config={
            "probability": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.3f")
        },
        hide_index=True,
    )


def _downloads(job: TrainingJob, classifier) -> None:
    memo = st.session_state["tr_results"]
    if "keras" not in memo:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "classifier.keras"
            classifier.save(path)
            memo["keras"] = path.read_bytes()
    buffer = io.StringIO()
    fields = list(asdict(job.history[0]))
    writer = csv.DictWriter(buffer, fields)
    writer.writeheader()
    writer.writerows(asdict(r) for r in job.history)
    left, right = st.columns(2)
    left.download_button(
        "Download model (.keras)", memo["keras"], "classifier.keras", key="tr_dl_model", on_click="ignore"
    )
    right.download_button(
        "Download curves (CSV)",
        buffer.getvalue(),
        "curves.csv",
        "text/csv",
        key="tr_dl_csv",
        on_click="ignore",
    )
