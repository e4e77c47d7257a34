"""The tfjs weights reader against hand-computed bytes and the real face-api file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.errors import ModelFileError
from cnn_core.readers.tfjs import decode_weights, read_tfjs_weights
from cnn_core.weights import weight_path
from tests.numerics import U32, U64, assert_within, gamma


def _spec(name, shape, quantized=None, dtype="float32", **quantization):
    spec = {"name": name, "shape": shape, "dtype": dtype}
    if quantized:
        spec["quantization"] = {"dtype": quantized, **quantization}
    return spec


def test_every_storage_dtype_decodes_as_tfjs_does():
    specs = [
        _spec("u8", [2, 2], "uint8", scale=0.1, min=-1.0),
        _spec("u16", [2], "uint16", scale=0.001, min=2.0),
        _spec("f16", [2], "float16"),
        _spec("f32", [1]),
        _spec("i32", [1], dtype="int32"),
    ]
    data = (
        bytes([0, 10, 20, 255])
        + np.array([0, 1000], "<u2").tobytes()
        + np.array([0.5, -2.0], "<f2").tobytes()
        + np.array([3.25], "<f4").tobytes()
        + np.array([-7], "<i4").tobytes()
    )
    out = decode_weights(data, specs)
    # q·scale + min in float64 is within γ_2·(|q·scale| + |min|) of the hand value, float32 rounds once more
    q8, by_hand8 = np.array([[0, 10], [20, 255]]), np.array([[-1.0, 0.0], [1.0, 24.5]])
    assert_within(out["u8"], by_hand8, gamma(2, U64) * (q8 * 0.1 + 1.0) + U32 * np.abs(by_hand8))
    assert out["u8"].dtype == np.float32
    q16, by_hand16 = np.array([0, 1000]), np.array([2.0, 3.0])
    assert_within(out["u16"], by_hand16, gamma(2, U64) * (q16 * 0.001 + 2.0) + U32 * by_hand16)
    assert out["f16"].tolist() == [0.5, -2.0] and out["f16"].dtype == np.float32
    assert out["f32"].tolist() == [3.25]
    assert out["i32"].tolist() == [-7]


def test_byte_count_must_match():
    specs = [_spec("w", [3])]
    with pytest.raises(ModelFileError, match=r"needs bytes 0\.\.12 but the shards hold only 8 bytes"):
        decode_weights(bytes(8), specs)
    with pytest.raises(ModelFileError, match="describes 12 bytes but the shards hold 16 bytes"):
        decode_weights(bytes(16), specs)


def test_unsupported_storage_dtype_is_refused():
    with pytest.raises(ModelFileError, match="weight 'w' is stored as 'int8'"):
        decode_weights(bytes(2), [_spec("w", [2], "int8", scale=1, min=0)])


def test_manifest_on_disk_with_shards_relative_to_it(tmp_path):
    (tmp_path / "shard1").write_bytes(np.array([1.5, 2.5], "<f4").tobytes())
    (tmp_path / "m.json").write_text(json.dumps([{"paths": ["shard1"], "weights": [_spec("a", [2])]}]))
    assert read_tfjs_weights(tmp_path / "m.json")["a"].tolist() == [1.5, 2.5]
    (tmp_path / "bad.json").write_text('{"weights": []}')
    with pytest.raises(ModelFileError, match="is not a tfjs weights manifest"):
        read_tfjs_weights(tmp_path / "bad.json")


def test_face_api_file_is_read_completely():
    manifest = weight_path("face_recognition_model-weights_manifest.json")
    binary = weight_path("face_recognition_model.bin")
    arrays = read_tfjs_weights(manifest, [binary])
    assert len(arrays) == 117
    assert sum(a.size for a in arrays.values()) == 5_614_592
    assert arrays["conv32_down/conv/filters"].shape == (7, 7, 3, 32)
    assert arrays["fc"].shape == (256, 128)
    # the first tensor by hand from the raw bytes: q · scale + min
    spec = json.loads(manifest.read_text())[0]["weights"][0]
    q = np.frombuffer(binary.read_bytes()[: 7 * 7 * 3 * 32], dtype=np.uint8)
    scale, minimum = spec["quantization"]["scale"], spec["quantization"]["min"]
    expected = q * scale + minimum
    # each float64 side rounds the product and the sum, the stored float32 once more
    bound = 2 * gamma(2, U64) * (q * abs(scale) + abs(minimum)) + U32 * np.abs(expected)
    assert_within(arrays["conv32_down/conv/filters"].ravel(), expected, bound)
