"""AppTest of the Training page: train two sample classes and predict, augment a photo, the ResNet tab."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from tests.apptest import run_page, url_param

TIMEOUT = 300


def _page(**query: str) -> AppTest:
    return run_page("training.py", TIMEOUT, **query)


def _watch(job, timeout_s: float = TIMEOUT) -> None:
    """Poll the job like the page's fragment does (a job nobody watches stops itself) until it ends."""
    deadline = time.monotonic() + timeout_s
    while job.running:
        assert time.monotonic() < deadline, "the training job took too long"
        job.touch()
        time.sleep(0.5)


def test_training_two_sample_classes_then_predicting():
    at = _page(tr_epochs="2", tr_samples=["brick", "grass"])
    assert not at.exception
    assert "softmax" in at.latex[0].value
    assert [b.key for b in at.button] == ["tr_add", "tr_run", "tr_stop"]
    assert at.button(key="tr_stop").disabled
    # head regime, 2 classes: the new softmax 1280·2 + 2 trains; the base's 3,413,024 weights are frozen
    assert any("**2,562** trainable · **3,413,024** frozen" in m.value for m in at.markdown)
    assert url_param(at.radio(key="tr_regime")) == "tr_regime"
    # what Train will do, said from the controls (not a fixed sentence)
    assert (
        "Press Train to fine-tune with regime head on 2 classes (brick, grass) for 2 epochs"
        in at.info[0].value
    )

    at.button(key="tr_run").click().run()
    job = at.session_state["tr_job"]
    _watch(job)
    at.run()
    assert not at.exception and job.error is None
    assert job.done and [r.epoch for r in job.history] == [1, 2]
    assert job.data.class_names == ("brick", "grass")
    assert any("Kept epoch **" in m.value for m in at.markdown)
    assert any("Caching the base's features of 32 photos took" in c.value for c in at.caption)
    labels = {button.label for button in at.get("download_button")}
    assert labels == {"Download model (.keras)", "Download curves (CSV)"}
    captions = [picture.caption for element in at.get("image") for picture in element.proto.imgs]
    assert any(caption.startswith("Grad-CAM of '") for caption in captions)
    probabilities = at.dataframe[-1].value  # the sample photo (coffee) classified as brick or grass
    assert probabilities["class"].tolist() == ["brick", "grass"]
    assert abs(probabilities["probability"].sum() - 1) < 1e-5


def test_partial_regime_counts_follow_k():
    at = _page(tr_regime="partial", tr_k="16")
    assert not at.exception
    assert any("Frozen: the stem and blocks 1 … 16 (up to block7a)" in c.value for c in at.caption)
    # only top_conv (320·1280) and the softmax train when all 16 blocks are frozen
    assert any(f"**{320 * 1280 + 1280 * 2 + 2:,}** trainable" in m.value for m in at.markdown)


def test_full_fine_tuning_warns_of_the_time():
    at = _page(tr_regime="full", tr_epochs="4")
    assert not at.exception
    warning = at.warning[0].value
    # 32 photos, a quarter kept for validation: 24 photos x 4 epochs x 66 ms
    assert "about 66 ms per photo per epoch" in warning and "about 6 s for 4 epochs of 24 photos" in warning


def test_one_class_is_explained():
    at = _page(tr_samples=["gravel"])
    assert not at.exception
    assert "a data set needs 2 to 10 classes, got 1 (gravel)" in at.error[0].value
    assert at.button(key="tr_run").disabled


def test_augmentation_grid_and_pca_table():
    at = _page(tr_tab="Data augmentation", tr_tech="pca", tr_n="4")
    assert not at.exception
    grid = [picture for element in at.get("image") for picture in element.proto.imgs]
    assert [picture.caption for picture in grid][-4:] == [f"pca #{i}" for i in range(1, 5)]
    table = at.table[0].value
    assert list(table.columns) == ["i", "λ", "p (R, G, B)"] and len(table) == 3
    at.button(key="tr_effect").click().run()
    assert not at.exception
    labels = [metric.label for metric in at.metric]
    assert labels == ["validation accuracy, as they are", "with augmentation"]


def test_resnet_tab_shows_the_identity_check():
    at = _page(tr_tab="Why ResNets work")
    assert not at.exception
    table = at.table[0].value
    assert table["max |a[l+2] − a[l]|"].tolist()[0] == "0"
    assert table["mean a[l+2]"].tolist()[1] == "0.000"  # the plain block outputs g(0) = 0
    assert [b.key for b in at.button if b.key.startswith("tr_depth")] == ["tr_depth_run", "tr_depth_stop"]


def test_the_depth_comparison_starts_and_stops():
    at = _page(tr_tab="Why ResNets work")
    at.button(key="tr_depth_run").click().run()
    job = at.session_state["tr_depth_job"]
    deadline = time.monotonic() + TIMEOUT
    while not job.history:
        assert time.monotonic() < deadline and job.error is None, job.error
        job.touch()
        time.sleep(0.5)
    at.button(key="tr_depth_stop").click().run()
    assert not at.exception and job.stopped and not job.running
    first = job.history[0]
    assert (first.kind, first.depth) == ("plain", 8) and 0 <= first.train_error <= 1
    assert at.button(key="tr_depth_stop").disabled
