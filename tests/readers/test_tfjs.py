"""The tfjs weights reader against hand-computed bytes and the real face-api file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnn_core.errors import ModelFileError
from cnn_core.readers.tfjs import decode_weights, read_tfjs_weights
from cnn_core.weights import weight_path


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
    np.testing.assert_allclose(out["u8"], [[-1.0, 0.0], [1.0, 24.5]], atol=1e-6)
    assert out["u8"].dtype == np.float32
    np.testing.assert_allclose(out["u16"], [2.0, 3.0], atol=1e-6)
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
    expected = q * spec["quantization"]["scale"] + spec["quantization"]["min"]
    np.testing.assert_allclose(arrays["conv32_down/conv/filters"].ravel(), expected, rtol=1e-6, atol=1e-9)
