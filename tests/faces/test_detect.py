"""MTCNN detection: faces in sample photos agree with the mtcnn package; bad input gets clear errors."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cnn_core.detection.boxes import nms
from cnn_core.errors import FaceError, ImageError, ParameterError
from cnn_core.faces.detect import LANDMARK_NAMES, MIN_FACE_PX, detect_faces, pick_face, pyramid_scales
from cnn_core.images import sample_image


def _iou(a, b) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


@pytest.mark.parametrize("name", ["astronaut", "camera", "hopper"])
def test_faces_agree_with_the_mtcnn_package(photos, mtcnn_reference, name):
    photo = photos[name]
    ours = pick_face(detect_faces(photo))
    reference = max(mtcnn_reference.detect_faces(photo), key=lambda f: f["box"][2] * f["box"][3])
    x, y, w, h = reference["box"]
    assert _iou(ours.box, (x, y, x + w, y + h)) > 0.8
    assert ours.score > 0.95
    for name_, point in zip(LANDMARK_NAMES, ours.landmarks, strict=True):
        assert np.hypot(*(point - np.asarray(reference["keypoints"][name_]))) < 0.06 * w, name_


def test_a_big_photo_is_detected_on_a_downscaled_copy_and_mapped_back(photos):
    photo = photos["astronaut"]
    big = cv2.resize(photo, (1600, 1600), interpolation=cv2.INTER_CUBIC)
    small_face, big_face = pick_face(detect_faces(photo)), pick_face(detect_faces(big))
    assert _iou(np.asarray(big_face.box) / (1600 / 512), small_face.box) > 0.85
    np.testing.assert_allclose(big_face.landmarks / (1600 / 512), small_face.landmarks, atol=4)


def test_no_face_reports_the_best_score():
    detection = detect_faces(sample_image("coffee"))
    assert detection.faces == [] and 0 < detection.best_score < 0.8
    with pytest.raises(FaceError, match=r"no face found \(the detector's best face score was 0\.\d\d"):
        pick_face(detection)


def test_several_faces_are_all_found(photos):
    pair = np.concatenate([photos["astronaut"], cv2.resize(photos["hopper"], (427, 512))], axis=1)
    faces = [f for f in detect_faces(pair).faces if f.size >= MIN_FACE_PX]
    assert len(faces) == 2
    assert sorted(f.box[0] > 512 for f in faces) == [False, True]
    with pytest.raises(ParameterError, match=r"face index must be in 0\.\.\d, got 7"):
        pick_face(detect_faces(pair), 7)


def test_a_tiny_face_is_too_small(photos):
    tiny = cv2.resize(photos["hopper"], (90, 105), interpolation=cv2.INTER_AREA)  # face ≈ 30 px
    canvas = np.full((400, 400, 3), 200, np.uint8)
    canvas[100:205, 100:190] = tiny
    detection = detect_faces(canvas)
    assert detection.faces, "the small face should still be detected"
    with pytest.raises(FaceError, match=r"the face is too small \(\d+ px; at least 40 px is needed\)"):
        pick_face(detection)


def test_bad_arguments():
    with pytest.raises(ImageError, match=r"image must be \(H, W, 3\) uint8 RGB, got shape \(4, 4\) uint8"):
        detect_faces(np.zeros((4, 4), np.uint8))
    with pytest.raises(ParameterError, match="min_face must be ≥ 12 pixels"):
        detect_faces(np.zeros((40, 40, 3), np.uint8), min_face=5)
    assert detect_faces(np.zeros((8, 8, 3), np.uint8)).faces == []  # smaller than P-Net's window


def test_nms_by_hand():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 9], [0, 0, 4, 4], [50, 50, 60, 60]], float)
    scores = np.array([0.9, 0.95, 0.8, 0.7])
    assert nms(boxes, scores, 0.5).tolist() == [1, 2, 3]
    assert nms(boxes, scores, 0.5, kind="min").tolist() == [1, 3]  # the small box lies inside box 1


def test_pyramid_stops_at_twelve_pixels():
    scales = pyramid_scales(100, 200, 20)
    assert scales[0] == pytest.approx(0.6)
    assert 100 * scales[-1] >= 12 > 100 * scales[-1] * 0.709
