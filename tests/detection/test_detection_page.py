"""AppTest of the detection page: sample → motorbike, thresholds, class filter, NMS replay, side demos."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cnn_core.images import encode_png, sample_image
from tests.apptest import run_page

TIMEOUT = 180


def _page(**query: str) -> AppTest:
    return run_page("detection.py", TIMEOUT, **query)


def _slider(at: AppTest, label: str):
    return next(s for s in at.slider if s.label == label)


def _detections(at: AppTest) -> list[str]:
    return at.dataframe[0].value["class"].tolist()


def test_default_sample_finds_the_motorbike():
    at = _page()
    assert not at.exception
    assert _detections(at) == ["motorbike"]
    assert [b.label for b in at.get("download_button")] == [
        "Download annotated PNG",
        "Download detections (JSON)",
    ]
    timing = next(c.value for c in at.caption if c.value.startswith("Time per stage"))
    assert all(f"{stage} " in timing for stage in ("preprocess", "network", "decode", "nms", "total"))
    assert [t.label for t in at.tabs][:8] == [
        "Step by step",
        "1 · Grid",
        "2 · Anchors",
        "3 · One cell",
        "4 · Candidates",
        "5 · Score threshold",
        "6 · Non-max suppression",
        "7 · Final",
    ]


def test_lower_threshold_and_step_through_nms():
    at = _page(det_step="6 · Non-max suppression")
    _slider(at, "Score threshold (objectness × class probability)").set_value(0.05).run()
    assert not at.exception
    assert len(_detections(at)) >= 2
    rounds = _slider(at, "NMS round")
    assert rounds.max >= 2
    assert any(m.value.startswith("Round 1 of") for m in at.markdown)
    rounds.set_value(2).run()
    assert not at.exception
    assert any(m.value.startswith(f"Round 2 of {int(rounds.max)}") for m in at.markdown)


def test_high_threshold_says_no_objects():
    at = _page(det_score="0.95")
    assert not at.exception
    assert any("no objects above the threshold" in info.value for info in at.info)
    assert _detections(at) == []


def test_class_filter_and_input_size():
    at = _page(det_score="0.05")
    at.multiselect(key="det_classes").set_value(["person"]).run()
    assert not at.exception
    assert set(_detections(at)) <= {"person"}
    at.select_slider(key="det_size").set_value(320).run()
    assert not at.exception
    scales = next(r for r in at.radio if r.label == "Output scale")
    assert scales.options == ["10x10 grid", "20x20 grid"]


def test_one_cell_vector_has_the_course_columns():
    at = _page(det_step="3 · One cell")
    summary = next(d.value for d in at.dataframe if "p_c" in d.value.columns)
    assert list(summary.columns[:5]) == ["p_c", "b_x", "b_y", "b_h", "b_w"]
    assert len(summary) == 3  # three anchors per cell
    assert "motorbike" in summary["best_class"].tolist()


def test_iou_playground():
    at = _page(det_tab="IoU playground")
    assert not at.exception
    assert at.metric[0].value == "0.172"  # 625 / 3625
    for name, value in (("x", 10), ("y", 15), ("w", 50), ("h", 40)):
        at.slider(key=f"det_iou_B_{name}").set_value(value)
    at.run()
    assert at.metric[0].value == "1.000"


def test_anchor_kmeans_against_yolo_anchors():
    at = _page(det_tab="Anchor boxes")
    assert not at.exception
    table = at.dataframe[-1].value
    assert table["anchors"].tolist() == ["k-means, k = 6", "YOLOv3-tiny (COCO k-means, k = 6)"]
    k_means, yolo = table.iloc[:, 1].tolist()
    assert 0 < yolo <= k_means <= 1  # anchors fitted to these boxes fit them at least as well
    at.radio(key="det_anchor_source").set_value("this session's detections").run()
    assert not at.exception


@pytest.mark.parametrize(("n", "windows", "sliding"), [(16, "4", "1,766,400"), (28, "64", "28,262,400")])
def test_sliding_windows(n, windows, sliding):
    at = _page(det_tab="Sliding windows")
    at.select_slider(key="det_sw_n").set_value(n).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["windows (stride 2)"] == windows
    assert metrics["multiplies, window by window"] == sliding


def test_an_upload_is_kept_in_the_visitors_session_and_a_sample_is_not():
    """Issue 15: the network pass of a visitor's own photo (its letterboxed copy) lives in their session
    only; the samples' passes are shared by everyone through the server-wide cache."""
    at = _page()
    assert "memo_network_pass" not in at.session_state
    at.radio(key="det_source").set_value("Upload").run()
    photo = encode_png(sample_image("stereo_motorcycle")[:, ::-1].copy())  # mirrored: not a sample
    at.file_uploader(key="det_upload").set_value(("mine.png", photo, "image/png")).run()
    assert not at.exception and "motorbike" in _detections(at)
    assert len(at.session_state["memo_network_pass"]) == 1
