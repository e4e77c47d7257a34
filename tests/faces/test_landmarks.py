"""68 face landmarks: the Keras rebuild against face-api's own TensorFlow.js network
(tests/fixtures/faces), the crop/pad/resize and the mapping back against face-api's and TensorFlow's
code, hand-checkable geometry on a real face, the eyes and the alignment, and the ``landmarks`` command."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

from cnn_core.__main__ import main
from cnn_core.errors import FaceError, ShapeError
from cnn_core.faces.align import alignment_matrix
from cnn_core.faces.landmark_geometry import eye_alignment, eye_centres, region_of, tilt_degrees
from cnn_core.faces.landmarks import (
    CropBox,
    crop_box,
    face_landmarks,
    net_input,
    pad_to_square,
    resize_bilinear,
    run_net,
    to_photo,
)
from cnn_core.images import encode_png, sample_image
from cnn_core.weights import ASSETS_DIR
from cnn_core.zoo import ZOO
from cnn_core.zoo.face_landmarks import PARAMETER_COUNT, build_face_landmarks
from tests.numerics import U32, assert_matches_reference, assert_within, float64_twin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
REFERENCE = json.loads((FIXTURES / "landmark_reference.json").read_text())


@pytest.fixture(scope="module")
def net():
    from cnn_core.faces.landmarks import load_landmark_net

    return load_landmark_net()


@pytest.fixture(scope="module")
def net_exact(net):
    """The same network and weights in float64: the CPU-independent reference for float32 rounding."""
    return float64_twin(lambda: build_face_landmarks(weights=False), net)


@pytest.fixture(scope="module")
def astronaut(net):
    """The largest face of scikit-image's astronaut (Eileen Collins, frontal, eyes open, smiling)."""
    found = face_landmarks(sample_image("astronaut"), net)
    return max(found, key=lambda item: item.face.size)


def _fixture(name: str) -> tuple[np.ndarray, dict]:
    """The uint8 images of ``name`` and face-api's results for them (checked against the inputs' sha256)."""
    raw = (FIXTURES / name).read_bytes()
    entry = next(entry for entry in REFERENCE["files"] if entry["inputs"] == name)
    assert hashlib.sha256(raw).hexdigest() == entry["inputs_sha256"]
    return np.load(io.BytesIO(gzip.decompress(raw))), entry


def test_outputs_match_face_api_in_tfjs(net, net_exact):
    inputs, entry = _fixture("landmark_inputs.npy.gz")
    assert inputs.shape == (4, 112, 112, 3)
    expected = np.asarray(entry["outputs"])
    ours = run_net(net, inputs)
    exact = np.asarray(net_exact(inputs.astype(np.float64)))
    assert ours.shape == expected.shape == (4, 136)
    assert_matches_reference(ours, exact, expected)  # TensorFlow.js rounded in float32 as well
    assert np.abs(ours - expected).max() < 1e-4  # the README's promise (we see about 4e-7)


@pytest.mark.parametrize("name", ["landmark_crop_astronaut.npy.gz", "landmark_crop_hopper.npy.gz"])
def test_crops_prepared_and_mapped_back_as_face_api_does(net, net_exact, name):
    """Uncut face boxes: face-api pads and resizes them itself (runNet) and maps the outputs back to the
    crop's pixels (detectLandmarks); we do both steps with our own code."""
    crops, entry = _fixture(name)
    crop = crops[0]
    height, width = crop.shape[:2]
    box = CropBox(0, 0, width, height)
    assert height != width and (height - width) % 2 == 0  # centring needs no rounding (see README)
    seen = net_input(crop, box)[None]
    ours = run_net(net, seen)
    exact = np.asarray(net_exact(seen.astype(np.float64)))
    assert_matches_reference(ours, exact, np.asarray(entry["outputs"]))
    # the mapping back alone, on face-api's own outputs: float32 rounding of u · S at most
    expected = np.asarray(entry["positions"][0])
    mapped = to_photo(np.asarray(entry["outputs"][0]), box)
    assert_within(mapped, expected, 4 * U32 * box.side * 2)


def test_crop_box_floors_then_clips_like_face_api():
    # Box.floor(): x, y, width, height each floored (width 39.4 → 39), then clipped to the photo
    assert crop_box((10.7, -3.2, 50.1, 40.0), 45, 100) == CropBox(10, 0, 35, 39)
    assert crop_box((-5.5, 2.0, 20.0, 30.0), 100, 100) == CropBox(0, 2, 19, 28)
    with pytest.raises(FaceError, match=r"the face box \(120.0, 5.0, 150.0, 30.0\) lies outside the 100x80"):
        crop_box((120.0, 5.0, 150.0, 30.0), 100, 80)


@pytest.mark.parametrize(
    ("height", "width", "before", "after"),
    # padToSquare: the far side gets Math.round(diff / 2) (halves round up), the near side the rest
    [(5, 2, 1, 2), (5, 3, 1, 1), (2, 5, 1, 2), (4, 4, 0, 0)],
)
def test_pad_to_square(height, width, before, after):
    square = pad_to_square(np.full((height, width, 3), 9, np.uint8))
    side = max(height, width)
    assert square.shape == (side, side, 3) and square.dtype == np.float32
    profile = square[0, :, 0] if height > width else square[:, 0, 0]  # across the padded axis
    assert profile.tolist() == [0.0] * before + [9.0] * min(height, width) + [0.0] * after


@pytest.mark.parametrize(
    ("source", "size"), [((117, 117), 112), ((60, 60), 112), ((222, 222), 112), ((7, 7), 3)]
)
def test_resize_matches_tensorflow_legacy_bilinear(source, size):
    """tfjs's resizeBilinear(alignCorners=false, halfPixelCenters=false) is TF 1's resize_bilinear.

    tfjs's CPU kernel (like ours) computes the source position s = i · H/size in float64 (JavaScript
    numbers); TensorFlow's computes it in float32, off by up to about 2·s·u, which moves an output by that
    times the step between neighbouring pixels (≤ 255). Then a few roundings of values ≤ 255.
    """
    import tensorflow as tf

    image = np.random.default_rng(0).uniform(0, 255, (*source, 3)).astype(np.float32)
    expected = tf.compat.v1.image.resize_bilinear(image[None], (size, size), half_pixel_centers=False)[0]
    bound = 255 * (4 * source[0] * U32) + 8 * U32 * 255
    assert_within(resize_bilinear(image, size), np.asarray(expected), bound)


def test_to_photo_inverts_the_padding_by_hand():
    # an 80x100 (w x h) box at (100, 50): S = 100, 10 black columns each side; the square's corner (0, 0)
    # is photo pixel (100 − 10, 50), its far corner (1, 1) is (100 − 10 + 100, 50 + 100)
    box = CropBox(100, 50, 80, 100)
    outputs = np.zeros(136)
    outputs[2:4] = 1.0
    points = to_photo(outputs, box)
    assert points[0].tolist() == [90.0, 50.0] and points[1].tolist() == [190.0, 150.0]
    with pytest.raises(ShapeError, match=r"outputs must hold 136 numbers, got shape \(10,\)"):
        to_photo(np.zeros(10), box)


def test_parameter_count_equals_the_values_in_the_file():
    manifest = json.loads(
        (ASSETS_DIR / "face-api" / "face_landmark_68_model-weights_manifest.json").read_text()
    )
    specs = manifest[0]["weights"]
    values = sum(math.prod(spec["shape"]) for spec in specs)
    assert len(specs) == 49 and values == 356_840
    model = build_face_landmarks(weights=False)
    assert model.count_params() == PARAMETER_COUNT == values
    sides = {
        name: model.get_layer(f"{name}_out").output.shape[1:]
        for name in ("dense0", "dense1", "dense2", "dense3")
    }
    assert sides == {
        "dense0": (56, 56, 32),
        "dense1": (28, 28, 64),
        "dense2": (14, 14, 128),
        "dense3": (7, 7, 256),
    }
    assert model.output.shape[1:] == (136,)
    entry = ZOO["face-landmarks"]
    assert (entry.module, entry.builder) == ("cnn_core.zoo.face_landmarks", "build_face_landmarks")


def test_points_on_a_real_face_have_the_face_s_geometry(astronaut):
    """Hand-checkable on the astronaut: points in the face box, eyes above the nose above the mouth above
    the chin, the image-left eye left of the other, and the jaw running from one ear to the other."""
    points = astronaut.points  # (68, 2)
    x1, y1, x2, y2 = astronaut.face.box
    margin = 0.1 * (x2 - x1)  # the jaw line may touch the box's sides
    inside = (
        (points[:, 0] >= x1 - margin)
        & (points[:, 0] <= x2 + margin)
        & (points[:, 1] >= y1)
        & (points[:, 1] <= y2)
    )
    assert inside.sum() >= 64
    eyes = eye_centres(points)
    nose_tip, chin = points[30], points[8]  # points 31 and 9 (1-based)
    mouth = points[48:68].mean(axis=0)
    assert eyes[:, 1].max() < nose_tip[1] < mouth[1] < chin[1]
    assert eyes[0, 0] < nose_tip[0] < eyes[1, 0]
    assert points[0, 0] < eyes[0, 0] and points[16, 0] > eyes[1, 0]  # jaw ends outside the eyes
    assert points[48, 0] < points[54, 0]  # mouth corners 49 (image left) and 55
    # MTCNN's eye points lie near the 68-point eye centres: within a tenth of the eye distance
    distance = np.linalg.norm(eyes[1] - eyes[0])
    assert np.linalg.norm(eyes - astronaut.face.landmarks[:2], axis=1).max() < 0.1 * distance


def test_eye_alignment_by_hand_and_against_the_aligner(astronaut):
    # eyes 6 px apart along a 30° line (image y down): α = 30°
    points = np.zeros((68, 2))
    points[36:42] = [10.0, 20.0]
    points[42:48] = [10 + 6 * math.cos(math.radians(30)), 20 + 6 * math.sin(math.radians(30))]
    assert eye_centres(points).tolist() == [[10.0, 20.0], points[42].tolist()]
    assert tilt_degrees(*eye_centres(points)) == pytest.approx(30.0, abs=1e-12)

    result = eye_alignment(astronaut.points, astronaut.face.landmarks)
    matrix = alignment_matrix(astronaut.face.landmarks)
    assert result.rotation == pytest.approx(-result.tilt_mtcnn, abs=1e-9)  # θ = −α
    assert result.scale == pytest.approx(math.hypot(matrix[0, 0], matrix[1, 0]), rel=1e-12)
    assert abs(result.tilt_68 - result.tilt_mtcnn) < 3.0  # two detectors, one head tilt
    assert result.template_eye_distance == pytest.approx((0.754761 - 0.225492) / 1.5 * 150, rel=1e-9)
    assert result.eyes_only_scale == pytest.approx(result.template_eye_distance / result.eye_distance_mtcnn)


def test_regions_and_bad_input(net):
    assert [region_of(k) for k in (17, 18, 27, 28, 36, 42, 43, 60, 61)] == [
        "jaw",
        "eyebrow (image left)",
        "eyebrow (image right)",
        "nose bridge",
        "nostrils",
        "eye (image left)",
        "eye (image right)",
        "outer lips",
        "inner lips",
    ]
    with pytest.raises(ShapeError, match=r"a point number must be in 1\.\.68, got 69"):
        region_of(69)
    with pytest.raises(ShapeError, match=r"points must be \(68, 2\) x, y rows, got shape \(5, 2\)"):
        eye_centres(np.zeros((5, 2)))
    with pytest.raises(
        ShapeError, match=r"inputs must be \(N, 112, 112, 3\) with N ≥ 1, got \(1, 150, 150, 3\)"
    ):
        run_net(net, np.zeros((1, 150, 150, 3)))
    with pytest.raises(FaceError, match="no face found"):
        face_landmarks(sample_image("coffee"), net)


@pytest.fixture(scope="module")
def photo_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("landmarks")
    paths = {name: folder / f"{name}.png" for name in ("astronaut", "coffee")}
    for name, path in paths.items():
        path.write_bytes(encode_png(sample_image(name)))
    return paths


def test_command_json_fields_and_points(capsys, photo_files, astronaut):
    assert main(["landmarks", str(photo_files["astronaut"]), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["faces", "ms"] and result["ms"] > 0
    assert len(result["faces"]) == 2  # the astronaut and the small face on her suit's badge
    face = max(result["faces"], key=lambda f: f["box"][2] - f["box"][0])
    assert list(face) == ["box", "score", "mtcnn_landmarks", "crop", "landmarks_68"]
    assert list(face["mtcnn_landmarks"]) == ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]
    points = np.asarray(face["landmarks_68"])
    assert points.shape == (68, 2)
    np.testing.assert_allclose(points, astronaut.points, atol=0.05 + 1e-9)  # printed to 1 decimal


def test_command_text_and_a_photo_without_a_face(capsys, photo_files):
    with pytest.raises(SystemExit) as exit_info:
        main(["landmarks", str(photo_files["astronaut"]), str(photo_files["coffee"])])
    assert exit_info.value.code == 2  # one of the files failed
    captured = capsys.readouterr()
    assert "==> " in captured.out and "point" in captured.out and "eye (image left)" in captured.out
    assert "MTCNN: left_eye (" in captured.out and "time: " in captured.out
    errors = captured.err.strip().splitlines()
    assert len(errors) == 1 and "coffee.png: no face found" in errors[0]
