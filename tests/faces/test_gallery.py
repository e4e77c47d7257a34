"""One-shot recognition: enrol, identify or say unknown, and the JSON export/import round trip."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from cnn_core.errors import ParameterError, ShapeError
from cnn_core.faces.gallery import (
    Gallery,
    GalleryFileError,
    gallery_from_json,
    gallery_to_json,
    identify,
    project_2d,
)
from cnn_core.faces.pipeline import describe_face
from tests.corpus import gallery_files
from tests.numerics import U32, U64, assert_within


def test_enrol_two_people_then_identify_a_new_photo(photos, embedder):
    gallery = Gallery()
    for name in ("astronaut", "hopper"):
        gallery = gallery.enrol(f"  {name.title()}  ", describe_face(photos[name], embedder).embedding)
    assert gallery.names == ("Astronaut", "Hopper") and gallery.embeddings.shape == (2, 128)
    probe = describe_face(np.clip(photos["hopper"] * 0.8, 0, 255).astype(np.uint8)[:, ::-1].copy(), embedder)
    result = identify(gallery, probe.embedding)
    assert result.name == "Hopper" and result.nearest == 1
    assert result.distances[1] < 0.6 < result.distances[0]
    stranger = identify(gallery, describe_face(photos["camera"], embedder).embedding)
    assert stranger.name is None and stranger.nearest is None


def test_json_round_trip():
    rng = np.random.default_rng(0)
    gallery = (
        Gallery()
        .enrol("Ada", rng.normal(size=128))
        .enrol("Ada", rng.normal(size=128))
        .enrol("Bo", np.zeros(128))
    )
    restored = gallery_from_json(gallery_to_json(gallery))
    assert restored.names == gallery.names
    # rounded to 6 decimals (≤ half a unit of the 6th), then stored as float32 again (≤ u·(|v| + 1e-6))
    assert_within(restored.embeddings, gallery.embeddings, 0.5e-6 + U32 * (np.abs(gallery.embeddings) + 1e-6))
    assert len(restored.remove(0)) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "not a face gallery"),
        ('{"format": "cnn-lab-face-gallery", "version": 9, "entries": []}', "version 9 is not supported"),
        ('{"format": "cnn-lab-face-gallery", "version": 1}', 'no "entries" list'),
        ('{"format": "cnn-lab-face-gallery", "version": 1, "entries": [{"name": "a"}]}', "entry 1 needs"),
        (
            '{"format": "cnn-lab-face-gallery", "version": 1, "entries": [{"name": "a", "embedding": [1]}]}',
            r"entry 1: embedding must be 128 finite numbers, got shape \(1,\)",
        ),
        (
            '{"format": "cnn-lab-face-gallery", "version": 1, "entries": [{"name": "", "embedding": []}]}',
            "entry 1: .*name must be a non-empty text",
        ),
    ],
)
def test_bad_gallery_files(text, message):
    with pytest.raises(GalleryFileError, match=message):
        gallery_from_json(text)


def test_oversized_file_and_bad_values():
    with pytest.raises(GalleryFileError, match="the limit is 2,000,000"):
        gallery_from_json(" " * 2_000_001)
    entry = {"name": "a", "embedding": ["x"] * 128}
    with pytest.raises(GalleryFileError, match="list of numbers"):
        gallery_from_json(json.dumps({"format": "cnn-lab-face-gallery", "version": 1, "entries": [entry]}))
    with pytest.raises(ShapeError, match="128 finite numbers"):
        Gallery().enrol("a", np.full(128, np.nan))
    with pytest.raises(ParameterError, match="the gallery is empty"):
        identify(Gallery(), np.zeros(128))
    with pytest.raises(ParameterError, match="name must be at most 80 characters"):
        Gallery().enrol("x" * 81, np.zeros(128))


def test_projection_matches_sklearn_pca_up_to_sign():
    from sklearn.decomposition import PCA

    vectors = np.random.default_rng(1).normal(size=(9, 128))
    coords, share = project_2d(vectors)
    reference = PCA(n_components=2).fit(vectors)
    expected = reference.transform(vectors)
    # Each SVD is exact for X + E, ‖E‖ ≤ m·n·u·‖X‖ (backward stable); the two leading directions then
    # turn by ≤ ‖E‖ / gap (Wedin), so coordinates move by ≤ ‖E‖·(1 + σ₁ / gap) and shares by ≤ 2σ₁‖E‖ / Σσ²
    sigma = np.linalg.svd(vectors - vectors.mean(axis=0), compute_uv=False)
    error = vectors.size * U64 * sigma[0]
    gap = min(sigma[0] - sigma[1], sigma[1] - sigma[2])
    np.testing.assert_allclose(
        np.abs(coords), np.abs(expected), rtol=0, atol=2 * error * (1 + sigma[0] / gap)
    )
    share_atol = 2 * 2 * sigma[0] * error / (sigma**2).sum()
    np.testing.assert_allclose(share, reference.explained_variance_ratio_, rtol=0, atol=share_atol)
    one, share_one = project_2d(vectors[:1])
    assert one.tolist() == [[0.0, 0.0]] and share_one.tolist() == [0.0, 0.0]
    with pytest.raises(ShapeError, match=r"vectors must be \(N, D\) with N ≥ 1"):
        project_2d(np.zeros((0, 128)))


def test_each_entry_keeps_its_name_descriptor_and_crop_together():
    first, second, third = np.zeros(128), np.full(128, 0.5), np.full(128, -1.0)
    crop = np.full((150, 150, 3), 7, np.uint8)
    gallery = Gallery().enrol("Ada", first, crop).enrol("Bo", second).enrol("Cy", third, crop + 1)
    assert [e.name for e in gallery.entries] == ["Ada", "Bo", "Cy"]
    assert gallery.entries[1].crop is None and gallery.entries[2].crop[0, 0, 0] == 8
    np.testing.assert_array_equal(gallery.embeddings, np.stack([first, second, third]))
    rest = gallery.remove(1)
    assert rest.names == ("Ada", "Cy") and rest.entries[1].crop[0, 0, 0] == 8
    np.testing.assert_array_equal(rest.embeddings, np.stack([first, third]))
    assert Gallery().embeddings.shape == (0, 128)


def test_crops_stay_in_the_session_and_the_json_format_is_unchanged():
    gallery = Gallery().enrol("Ada", np.full(128, 0.25), np.zeros((150, 150, 3), np.uint8))
    document = json.loads(gallery_to_json(gallery))
    assert document == {
        "format": "cnn-lab-face-gallery",
        "version": 1,
        "model": "dlib_face_recognition_resnet_model_v1 (face-api 1.7.15)",
        "entries": [{"name": "Ada", "embedding": [0.25] * 128}],
    }
    assert gallery_from_json(json.dumps(document)).entries[0].crop is None


def test_extend_appends_an_imported_gallery_within_the_limit():
    mine = Gallery().enrol("Ada", np.zeros(128))
    imported = Gallery().enrol("Bo", np.ones(128)).enrol("Ada", np.full(128, 2.0))
    both = mine.extend(imported)
    assert both.names == ("Ada", "Bo", "Ada")
    np.testing.assert_array_equal(both.embeddings[:, 0], [0.0, 1.0, 2.0])
    full = Gallery()
    for k in range(500):
        full = full.enrol(f"p{k}", np.zeros(128))
    with pytest.raises(ParameterError, match="at most 500 entries, got 501"):
        full.extend(mine)
    with pytest.raises(ParameterError, match="at most 500 entries, got 501"):
        full.enrol("one more", np.zeros(128))


@pytest.mark.parametrize("file", gallery_files(), ids=lambda file: file.name)
def test_every_corpus_gallery_file(file):
    if file.expect is None:
        document = json.loads(file.data)
        gallery = gallery_from_json(file.data)
        assert gallery.names == tuple(entry["name"] for entry in document["entries"])  # Markdown kept as text
        np.testing.assert_array_equal(
            gallery.embeddings, [entry["embedding"] for entry in document["entries"]]
        )
        return
    with pytest.raises(GalleryFileError) as refused:
        gallery_from_json(file.data)
    assert file.expect in str(refused.value) and len(str(refused.value)) < 300


@pytest.mark.parametrize(
    ("value", "shown"),
    [(np.nan, "nan"), (-np.inf, "-inf"), (1e39, "1e+39, beyond float32's ±3.4e+38")],
)
def test_a_descriptor_value_that_is_not_a_finite_float32_is_named_by_its_index(value, shown):
    embedding = np.zeros(128)
    embedding[77] = value
    with pytest.raises(
        ShapeError, match=f"128 finite numbers, but the value at index 77 is {re.escape(shown)}$"
    ):
        Gallery().enrol("Ada", embedding)
