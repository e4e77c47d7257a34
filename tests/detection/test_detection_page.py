"""AppTest of the detection page: sample → motorbike, thresholds, class filter, NMS replay, side demos."""

from __future__ import annotations

import numpy as np
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
    at = _page(det_tab="Sliding windows", det_sw_view="The course's 14x14 example")
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


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_sliding_windows_on_the_photo():
    """The default sample is 741 x 500: windows of 160 at stride 80 give ⌊340/80⌋ + 1 = 5 rows and
    ⌊581/80⌋ + 1 = 8 columns."""
    at = _page(det_tab="Sliding windows")
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["windows"] == "5 x 8 = 40"
    # the map: 741·1.4 = 1037 and 500·1.4 = 700 network pixels → ⌈/32⌉ = 33 x 22 trunk cells → 7x7 pooled
    assert metrics["convolutional windows"] == "16 x 27 = 432"
    assert len(at.get("plotly_chart")) == 2
    at.number_input(key="det_sw_stride").set_value(16).run()  # 22 x 37 windows: too many
    assert not at.exception
    assert any("more than 100" in w.value for w in at.warning)


def test_region_proposals_classified_and_costed():
    at = _page(det_tab="Region proposals (R-CNN)", det_rp_n="5")
    assert not at.exception
    metrics = _metrics(at)
    assert int(metrics["proposals"]) >= 5
    assert "classifying 5 crops" in metrics
    regions = next(d.value for d in at.dataframe if "proposal" in d.value.columns)
    assert regions["proposal"].tolist() == [1, 2, 3, 4, 5]
    costs = next(d.value for d in at.dataframe if "detector" in d.value.columns)
    assert costs["detector"].tolist() == ["R-CNN", "Fast R-CNN", "Faster R-CNN"]
    # R-CNN is N whole passes at 224x224 of 391,925,248 multiply-adds (counted by hand in test_proposals)
    assert costs["G multiply-adds, N = 5"][0] == pytest.approx(5 * 0.3919, abs=0.01)
    assert costs["N = 2,000 (the paper's)"][0] == pytest.approx(2000 * 0.3919, abs=0.1)
    at.number_input(key="det_rp_scale").set_value(1000).run()
    assert not at.exception


def _loss_table(at: AppTest):
    return next(d.value for d in at.dataframe if "entry" in d.value.columns)


def _loss_totals(at: AppTest) -> tuple[str, str]:
    total = _loss_table(at).iloc[-1]
    return total["(ŷ − y)²"], total["course's variant"]


def test_localization_target_and_losses_from_a_link():
    """Own pedestrian box (0.5, 0.5, 0.6, 0.5) and ŷ from the link: the squared errors are 0.04, 0.01, 0,
    0.01, 0.04, 0.09, 0.01, 0.04 = 0.24; the variant is −ln 0.8 + 0.06 − ln 0.7 = 0.6398."""
    y_hat = (0.8, 0.4, 0.5, 0.5, 0.7, 0.7, 0.1, 0.2)
    at = _page(
        det_tab="Localization",
        det_loc_source="my own box",
        det_loc_bx="0.5",
        det_loc_by="0.5",
        det_loc_bh="0.6",
        det_loc_bw="0.5",
        **{f"det_loc_yhat_{k}": str(v) for k, v in enumerate(y_hat)},
    )
    assert not at.exception
    assert any(c.value == "y = [1, 0.5, 0.5, 0.6, 0.5, 1, 0, 0]" for c in at.code)
    assert _loss_totals(at) == ("0.2400", "0.6398")
    assert _loss_table(at)["(ŷ − y)²"].tolist()[:8] == [
        "0.0400",
        "0.0100",
        "0.0000",
        "0.0100",
        "0.0400",
        "0.0900",
        "0.0100",
        "0.0400",
    ]
    at.radio(key="det_loc_source").set_value("no object (p_c = 0)").run()  # a new y: ŷ starts as a near miss
    assert not at.exception
    assert any(c.value == "y = [0, ?, ?, ?, ?, ?, ?, ?]" for c in at.code)
    assert _loss_totals(at) == ("0.0400", "0.2231")  # ŷ₁ = 0.2: 0.2² and −ln 0.8 only


def test_localization_of_the_detected_motorbike():
    """The motorbike's box 59, 56, 697, 455 in the 741 x 500 sample → midpoint (378 / 741, 255.5 / 500),
    size 399 / 500 by 638 / 741, class 3 (motorcycle)."""
    at = _page(det_tab="Localization")
    assert not at.exception
    assert at.selectbox(key="det_loc_pick").value == "1 · motorbike 0.65 → motorcycle"
    shown = next(c.value for c in at.code if c.value.startswith("y = ["))
    y = [float(v) for v in shown[5:-1].split(", ")]
    # the table's whole-pixel box is within 0.5 px, and y shows 3 significant digits: 0.002 covers both
    expected = [1, 378 / 741, 255.5 / 500, 399 / 500, 638 / 741, 0, 0, 1]
    assert y == pytest.approx(expected, abs=0.002)
    assert at.number_input(key="det_loc_yhat_7").value == pytest.approx(0.8)


def _enc_page(step: str, **query: str) -> AppTest:
    return _page(det_tab="The notes' YOLO encoding", det_enc_step=step, **query)


def test_encoding_one_vector_per_cell_loses_the_second_object():
    """The default own boxes put a pedestrian and a car into the centre cell of the 3x3 grid."""
    at = _enc_page("One vector per cell", det_enc_source="my own boxes")
    assert not at.exception
    cells = next(d.value for d in at.dataframe if "cell (row, col)" in d.value.columns)
    assert len(cells) == 9
    centre = cells[cells["cell (row, col)"] == "(1, 1)"].iloc[0]
    # the pedestrian (0.45, 0.5, h 0.4, w 0.1): in the cell (0.35, 0.5), 1.2 x 0.3 cells, class 1
    assert centre[["p_c", "b_x", "b_y", "b_h", "b_w", "c_1", "c_2", "c_3"]].tolist() == [
        "1",
        "0.35",
        "0.5",
        "1.2",
        "0.3",
        "1",
        "0",
        "0",
    ]
    assert (cells.loc[cells["cell (row, col)"] != "(1, 1)", "b_x"] == "?").all()
    assert any("Object 2 (car) shares cell (1, 1) with object 1" in w.value for w in at.warning)


def test_encoding_two_anchors_then_a_clash():
    at = _enc_page("Two anchors per cell", det_enc_source="my own boxes")
    assert not at.exception
    assignments = next(d.value for d in at.dataframe if "IoU tall" in d.value.columns)
    assert assignments["anchor"].tolist() == ["1 (tall)", "2 (wide)"]
    assert assignments["IoU tall"].tolist() == [0.667, 0.231]  # 0.04 / 0.06 and 0.03 / 0.13
    assert not at.warning
    at.text_input(key="det_enc_boxes").set_value(
        "pedestrian 0.45 0.5 0.4 0.1; car 0.55 0.6 0.2 0.5; car 0.6 0.45 0.25 0.6"
    ).run()
    assert not at.exception
    assert any("Object 3 (car) shares cell (1, 1), anchor 2 with object 2" in w.value for w in at.warning)
    at.text_input(key="det_enc_boxes").set_value("bus 0.5 0.5 0.2 0.2").run()
    assert any("the class must be one of pedestrian, car, motorcycle, got 'bus'" in e.value for e in at.error)


def test_encoding_grid_size_from_the_link_and_yolov3_tiny_outputs():
    at = _enc_page("One vector per cell", det_enc_grid="19")
    assert not at.exception
    cells = next(d.value for d in at.dataframe if "cell (row, col)" in d.value.columns)
    assert len(cells) == 19 * 19
    at = _enc_page("YOLOv3-tiny's outputs")
    assert not at.exception
    outputs = next(d.value for d in at.dataframe if "cfg mask" in d.value.columns)
    assert outputs["as S x S x A x (5 + C)"].tolist() == ["13x13x3x85", "26x26x3x85"]
    assert outputs["raw tensor (batch, S, S, A·(5 + C))"].tolist() == ["(1, 13, 13, 255)", "(1, 26, 26, 255)"]
    origins = next(d.value for d in at.dataframe if "scale" in d.value.columns)
    assert origins["detection"].tolist() == ["motorbike 0.65"]


def test_an_empty_result_names_the_class_filter():
    """Issue 13: at score 0.4 with only "person" wanted, the motorbike (0.65) is the one box that survives
    the threshold and NMS, so the message says that one box of another class did."""
    at = _page(det_score="0.4", det_classes="person")
    assert not at.exception
    assert _detections(at) == []
    assert [i.value for i in at.info] == [
        "no person scored above 0.40; 1 box of another class did — "
        "widen the class filter or lower the threshold"
    ]
    at.multiselect(key="det_classes").set_value(["person", "dog"]).run()
    assert "no person or dog scored above 0.40; 1 box of another class did" in at.info[0].value


def _upload(at: AppTest, name: str, pixels: np.ndarray) -> list[list[float]]:
    at.file_uploader(key="det_upload").set_value((name, encode_png(pixels), "image/png")).run()
    assert not at.exception
    boxes = at.dataframe[0].value["box x1, y1, x2, y2"].tolist()
    return [[float(v) for v in box.split(", ")] for box in boxes]


def test_an_upload_larger_than_the_working_copy_is_reported_in_its_own_pixels():
    """Issue 13 (zidane.jpg): a 1280x720 photo is computed on its 1024x576 copy, whose boxes are scaled by
    1280 / 1024 = 720 / 576 = 1.25. Uploading that copy itself gives the network the same input, so the
    photo's boxes are 1.25 times the copy's (each table value is rounded to a whole pixel: ±0.5 · 2.25)."""
    from PIL import Image

    photo = np.asarray(Image.fromarray(sample_image("stereo_motorcycle")).resize((1280, 720)))
    copy = np.asarray(Image.fromarray(photo).resize((1024, 576), Image.Resampling.LANCZOS, reducing_gap=2.0))
    at = _page()
    at.radio(key="det_source").set_value("Upload").run()
    small = _upload(at, "copy.png", copy)
    big = _upload(at, "photo.png", photo)
    assert len(big) == len(small) >= 1
    assert np.abs(np.array(big) - 1.25 * np.array(small)).max() <= 1.125
    assert max(box[2] for box in big) > 1024  # the motorbike reaches past the copy's width
    caption = next(c.value for c in at.caption if c.value.startswith("Boxes"))
    assert "photo's own 1280x720 pixels" in caption and "1024x576 copy" in caption


def test_a_link_restores_the_cell_the_teacher_picked():
    at = _page(det_step="1 · Grid", det_head="26x26 grid", det_row_1="3", det_col_1="7")
    assert not at.exception
    assert at.radio(key="det_head").value == 1
    assert (at.number_input(key="det_row_1").value, at.number_input(key="det_col_1").value) == (3, 7)


def test_a_link_restores_the_iou_boxes_the_anchor_count_the_tiny_threshold_and_the_nms_round():
    at = _page(
        det_tab="IoU playground", det_iou_B_x="10", det_iou_B_y="15", det_iou_B_w="50", det_iou_B_h="40"
    )
    assert at.metric[0].value == "1.000"  # box B moved onto box A by the link alone
    at = _page(det_tab="Anchor boxes", det_anchor_k="3")
    assert at.dataframe[-1].value["anchors"].tolist()[0] == "k-means, k = 3"
    at = _page(det_step="4 · Candidates", det_tiny="0.15")
    assert at.slider(key="det_tiny").value == pytest.approx(0.15)
    # at score 0.05 the motorbike sample's selection has three NMS rounds, so the round's key ends in 3
    at = _page(det_step="6 · Non-max suppression", det_score="0.05", det_nms_round_3="2")
    assert at.slider(key="det_nms_round_3").value == 2
    assert any(m.value.startswith("Round 2 of 3") for m in at.markdown)
