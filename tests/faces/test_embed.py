"""The Keras face ResNet reproduces face-api's own TensorFlow.js descriptors (tests/fixtures/faces)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pytest

from cnn_core.errors import ShapeError
from cnn_core.faces.embed import embed_crops
from cnn_core.zoo import ZOO
from cnn_core.zoo.face_resnet import PARAMETER_COUNT, build_face_resnet
from tests.numerics import assert_matches_reference

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"


def test_descriptors_match_face_api_in_tfjs(embedder, embedder_exact):
    raw = (FIXTURES / "embedding_inputs.npy.gz").read_bytes()
    reference = json.loads((FIXTURES / "embedding_reference.json").read_text())
    assert hashlib.sha256(raw).hexdigest() == reference["inputs_sha256"]
    crops = np.load(io.BytesIO(gzip.decompress(raw)))
    expected = np.asarray(reference["embeddings"])
    ours = embed_crops(embedder, crops)
    assert ours.shape == expected.shape == (4, 128)
    exact = np.asarray(embedder_exact(crops.astype(np.float64)))
    assert_matches_reference(ours, exact, expected)  # TensorFlow.js rounded in float32 as well
    assert_matches_reference(embed_crops(embedder, crops[0]), exact[0], expected[0])  # one crop → (128,)


def test_architecture_shapes_and_parameter_count():
    model = build_face_resnet(weights=False)
    assert model.count_params() == PARAMETER_COUNT == 5_614_592 - 2 * 3_552
    shapes = {
        name: model.get_layer(name).output.shape[1:]
        for name in (
            "conv32_down_conv",
            "pool",
            "conv64_down_add",
            "conv128_down_add",
            "conv256_down_add",
            "conv256_down_out_add",
            "embedding",
        )
    }
    assert shapes == {
        "conv32_down_conv": (72, 72, 32),
        "pool": (35, 35, 32),
        "conv64_down_add": (17, 17, 64),
        "conv128_down_add": (8, 8, 128),
        "conv256_down_add": (4, 4, 256),
        "conv256_down_out_add": (2, 2, 256),
        "embedding": (128,),
    }


def test_registered_in_the_zoo():
    entry = ZOO["face-resnet"]
    assert (entry.module, entry.builder) == ("cnn_core.zoo.face_resnet", "build_face_resnet")


def test_bad_crops(embedder):
    with pytest.raises(
        ShapeError, match=r"crops must be \(N, 150, 150, 3\) with N ≥ 1, got \(2, 112, 112, 3\)"
    ):
        embed_crops(embedder, np.zeros((2, 112, 112, 3)))
    with pytest.raises(ShapeError, match="got \\(0, 150, 150, 3\\)"):
        embed_crops(embedder, np.zeros((0, 150, 150, 3)))
