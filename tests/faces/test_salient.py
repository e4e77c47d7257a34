"""The default face pick: hand-made boxes and probabilities, a real portrait with clutter, a group."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.faces.detect import detect_faces
from cnn_core.faces.salient import candidate_faces


def _square(x: float, y: float, side: float) -> list[float]:
    return [x, y, x + side, y + side]


def test_the_issue_s_desk_photo_keeps_one_face():
    # a man at a desk (1137x910): his face ≈ 190 px at 0.999, a 53-px "face" on the papers at 0.91
    boxes = [_square(480, 120, 190), _square(820, 700, 53)]
    assert candidate_faces(boxes, [0.999, 0.91]) == [0]


@pytest.mark.parametrize(
    ("side", "score", "kept"),
    [
        (53, 0.99, False),  # certain but small: 53 < 0.35 · 190 = 66.5
        (67, 0.99, True),  # 67 ≥ 66.5 and 0.99 ≥ 0.95
        (150, 0.94, False),  # large but not certain enough
        (150, 0.95, True),  # both limits are inclusive
    ],
)
def test_a_secondary_face_needs_both_size_and_certainty(side, score, kept):
    boxes = [_square(0, 0, 190), _square(300, 0, side)]
    assert candidate_faces(boxes, [0.999, score]) == ([0, 1] if kept else [0])


def test_the_largest_face_is_kept_whatever_its_score_and_order_is_detection_order():
    # the largest face comes second and scores only 0.85 (the detector's order is by probability)
    boxes = [_square(0, 0, 90), [200, 0, 320, 200], _square(400, 0, 20)]  # sides 90, 120 (the shorter), 20
    assert candidate_faces(boxes, [0.99, 0.85, 0.99]) == [0, 1]
    assert candidate_faces(boxes, [0.99, 0.85, 0.99], relative_size=0.1) == [0, 1, 2]
    assert candidate_faces(boxes, [0.99, 0.85, 0.99], secondary_score=1.0) == [1]
    assert candidate_faces(np.zeros((0, 4)), []) == []


def test_bad_arguments():
    with pytest.raises(ShapeError, match=r"scores must be \(2,\), one per box, got shape \(1,\)"):
        candidate_faces([_square(0, 0, 9)] * 2, [0.9])
    with pytest.raises(ShapeError, match=r"boxes must be \(N, 4\) x1, y1, x2, y2, got shape \(1, 3\)"):
        candidate_faces([[0, 0, 9]], [0.9])
    with pytest.raises(ParameterError, match=r"relative_size must be in \(0, 1\], got 0"):
        candidate_faces([_square(0, 0, 9)], [0.9], relative_size=0)
    with pytest.raises(ParameterError, match=r"secondary_score must be in \[0, 1\], got 1.5"):
        candidate_faces([_square(0, 0, 9)], [0.9], secondary_score=1.5)


def test_a_real_portrait_with_clutter_has_one_candidate(photos):
    # scikit-image's astronaut (Eileen Collins, NASA, public domain): MTCNN also finds a 28-px "face"
    # at p ≈ 0.85 on the flag and badges beside her
    detection = detect_faces(photos["astronaut"])
    assert len(detection.faces) == 2
    assert sorted(round(face.size) for face in detection.faces) == [28, 89]
    assert [round(detection.faces[i].size) for i in detection.candidates] == [89]


def test_a_group_photo_still_offers_every_face(photos):
    # three real portraits side by side (scikit-image's astronaut and cameraman, matplotlib's Grace Hopper)
    hopper = cv2.resize(photos["hopper"], (384, 450), interpolation=cv2.INTER_AREA)
    row = np.full((512, 512 + 384 + 512, 3), 255, np.uint8)
    row[:, :512], row[31:481, 512:896], row[:, 896:] = photos["astronaut"], hopper, photos["camera"]
    detection = detect_faces(row)
    centres = [(detection.faces[i].box[0] + detection.faces[i].box[2]) / 2 for i in detection.candidates]
    assert sorted(np.searchsorted([512, 896], centres).tolist()) == [0, 1, 2]  # one face in each portrait
