"""Alignment: eyes level, landmarks on dlib's template, robust to rotation and scale of the photo."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cnn_core.errors import ImageError, ParameterError, ShapeError
from cnn_core.faces.align import align_face, alignment_matrix, template
from cnn_core.faces.detect import detect_faces, pick_face
from cnn_core.faces.embed import embed_crops


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    return points @ matrix[:, :2].T + matrix[:, 2]


def test_template_is_dlibs_mean_face_with_25_percent_padding():
    points = template(150, 0.25)
    assert points.shape == (5, 2)
    # symmetric about dlib's centre line x = 0.490127 (the nose), padded: (0.490127 + 0.25) · 100
    np.testing.assert_allclose(points[:, 0].mean(), 74.0127, atol=0.01)
    assert points[0, 1] == points[1, 1]  # eyes level in the template
    np.testing.assert_allclose(template(100, 0.0)[2], [49.0127, 51.5625])


@pytest.mark.parametrize("angle", [-30.0, 0.0, 17.0])
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_a_similar_copy_of_the_template_maps_back_exactly(angle, scale):
    theta = np.radians(angle)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    landmarks = template() @ rotation.T * scale + np.array([40.0, -7.0])
    np.testing.assert_allclose(_apply(alignment_matrix(landmarks), landmarks), template(), atol=1e-9)


def test_eyes_are_level_for_any_landmarks():
    rng = np.random.default_rng(0)
    for _ in range(20):
        landmarks = template() + rng.normal(scale=8, size=(5, 2))
        eyes = _apply(alignment_matrix(landmarks), landmarks[:2])
        assert abs(eyes[0, 1] - eyes[1, 1]) < 1e-9 and eyes[0, 0] < eyes[1, 0]


def test_rotated_photo_gives_an_upright_crop_of_the_same_face(photos, embedder):
    photo = photos["hopper"]
    height, width = photo.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 20, 1.0)  # 20° counter-clockwise
    rotated = cv2.warpAffine(photo, turn, (width, height), flags=cv2.INTER_LINEAR)
    landmarks = [pick_face(detect_faces(p)).landmarks for p in (photo, rotated)]
    tilt = [np.degrees(np.arctan2(*(m[1] - m[0])[::-1])) for m in landmarks]
    assert tilt[0] - tilt[1] == pytest.approx(20, abs=3)  # the detector sees the eyes turned by 20°
    crops = np.stack([align_face(p, m) for p, m in zip((photo, rotated), landmarks, strict=True)])
    assert crops.shape == (2, 150, 150, 3) and crops.dtype == np.uint8
    first, second = embed_crops(embedder, crops)
    assert np.linalg.norm(first - second) < 0.3


def test_a_large_face_is_area_reduced_not_aliased(photos):
    big = cv2.resize(photos["astronaut"], (2048, 2048), interpolation=cv2.INTER_CUBIC)
    landmarks = pick_face(detect_faces(big)).landmarks
    crop = align_face(big, landmarks)
    small_crop = align_face(photos["astronaut"], landmarks / 4)
    assert np.abs(crop.astype(int) - small_crop.astype(int)).mean() < 6


def test_bad_arguments():
    with pytest.raises(ShapeError, match=r"landmarks must be \(5, 2\) finite x, y rows, got shape \(4, 2\)"):
        alignment_matrix(np.zeros((4, 2)))
    with pytest.raises(ParameterError, match="landmarks must not all coincide"):
        alignment_matrix(np.ones((5, 2)))
    with pytest.raises(
        ImageError, match=r"image must be \(H, W, 3\) uint8 RGB, got shape \(10, 10\) float64"
    ):
        align_face(np.zeros((10, 10)), template())
