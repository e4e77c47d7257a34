"""The whole detector on sample images: sensible objects, thresholds, class filter, timings, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.detection.boxes import iou_matrix
from cnn_core.detection.pipeline import detect, detection_shapes, no_objects_message, run_network, select
from cnn_core.errors import ImageError, ParameterError
from cnn_core.images import sample_image


@pytest.fixture(scope="module")
def motorcycle_pass(detector):
    return run_network(detector, sample_image("stereo_motorcycle"))


def test_stereo_motorcycle_is_a_motorbike(detector):
    image = sample_image("stereo_motorcycle")  # 741x500
    result = detect(detector, image)
    best = result.detections[0]
    assert (best.label, best.class_id) == ("motorbike", 3)
    # docs/weights.md's sanity value, quoted to two decimals; the ± 0.03 is for the way a reference run
    # may resize the picture, float32 rounding moves the score by only ~1e-6
    assert best.score == pytest.approx(0.64, abs=0.03)
    x1, y1, x2, y2 = best.box
    assert 0 <= x1 < x2 <= 741 and 0 <= y1 < y2 <= 500
    assert (x2 - x1) * (y2 - y1) > 0.4 * 741 * 500  # the motorbike fills most of the photo


def test_coffee_is_a_cup(detector):
    labels = {d.label: d.score for d in detect(detector, sample_image("coffee")).detections}
    assert labels.get("cup") == pytest.approx(0.64, abs=0.03)  # docs/weights.md, as above


def test_timings_cover_every_stage(detector):
    ms = detect(detector, sample_image("coffee")).ms
    assert set(ms) == {"preprocess", "network", "decode", "nms", "total"}
    assert ms["total"] == pytest.approx(sum(v for k, v in ms.items() if k != "total"))
    assert all(v >= 0 for v in ms.values())


def test_score_threshold_and_nms_invariants(detector, motorcycle_pass):
    loose = select(motorcycle_pass, detector.names, score=0.01, iou=0.45)
    assert len(loose.score) > len(loose.detections) >= 1
    assert (loose.score > 0.01).all() and (np.diff(loose.score) <= 0).all()
    for a in loose.detections:  # survivors of one class never overlap by more than the IoU threshold
        for b in loose.detections:
            if a is not b and a.class_id == b.class_id:
                assert iou_matrix(np.array([a.box]), np.array([b.box]))[0, 0] <= 0.45 + 1e-6
    strict = select(motorcycle_pass, detector.names, score=0.99)
    assert strict.detections == [] and strict.steps == []


def test_class_filter(detector, motorcycle_pass):
    everything = select(motorcycle_pass, detector.names, score=0.05)
    only_people = select(motorcycle_pass, detector.names, score=0.05, classes=[0])
    assert {d.class_id for d in only_people.detections} <= {0}
    assert [d for d in everything.detections if d.class_id == 0] == only_people.detections
    assert select(motorcycle_pass, detector.names, classes=[]).detections == []
    with pytest.raises(ParameterError, match=r"classes must be ids in \[0, 79\], got \[80\]"):
        select(motorcycle_pass, detector.names, classes=[80])


def test_json_form_of_a_detection(detector):
    detection = detect(detector, sample_image("stereo_motorcycle")).detections[0]
    payload = json.loads(json.dumps(detection.as_dict()))
    assert set(payload) == {"label", "class_id", "score", "box"} and len(payload["box"]) == 4


def test_nothing_detected_on_a_blank_image(detector):
    result = detect(detector, np.full((200, 300, 3), 255, np.uint8), score=0.5)
    assert result.detections == []
    assert no_objects_message(0.5).startswith("no objects above the threshold")


@pytest.mark.parametrize("size", [320, 512])
def test_other_sizes_still_find_the_motorbike(detector, size):
    assert detect(detector, sample_image("stereo_motorcycle"), size=size).detections[0].label == "motorbike"


def test_bad_image_is_refused(detector):
    with pytest.raises(ImageError, match="1x1 pixels"):
        detect(detector, np.zeros((1, 1, 3), np.uint8))


def test_detection_shapes_are_in_416_pixels(detector):
    image = sample_image("stereo_motorcycle")
    at_416, at_320 = (run_network(detector, image, size) for size in (416, 320))
    shapes_416 = detection_shapes(at_416, select(at_416, detector.names))
    shapes_320 = detection_shapes(at_320, select(at_320, detector.names))
    box = detect(detector, image).detections[0].box  # 741x500 photo → scale 416 / 741
    np.testing.assert_allclose(
        shapes_416[0], [(box[2] - box[0]) * 416 / 741, (box[3] - box[1]) * 416 / 741], rtol=0.05
    )
    np.testing.assert_allclose(shapes_320[0], shapes_416[0], rtol=0.2)  # same object, same units
