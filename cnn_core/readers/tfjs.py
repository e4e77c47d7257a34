"""TensorFlow.js layers/graph weights: a JSON manifest plus binary shard files, read with numpy.

The manifest (``*-weights_manifest.json``) is a list of groups ``{"paths": [shard, ...], "weights":
[spec, ...]}``. A group's shards are concatenated; its specs list the tensors in byte order, each with
``name``, ``shape`` and ``dtype``. A spec with ``"quantization": {"dtype": "uint8", "scale": s, "min":
m}`` stores one byte (two for uint16) per value and decodes affinely as ``value = q * s + m``
(tfjs ``io.decodeWeights``); ``{"dtype": "float16"}`` stores half floats. Every byte of the shards must
be used, no more and no less.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cnn_core.errors import ModelFileError

#: tfjs storage dtypes we read, by their manifest name
_STORED: dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "int32": np.dtype("<i4"),
    "uint8": np.dtype("u1"),
    "uint16": np.dtype("<u2"),
    "float16": np.dtype("<f2"),
}


def _stored_dtype(spec: dict) -> np.dtype:
    """The on-disk dtype of one weight spec (its quantization dtype when quantized)."""
    quantization = spec.get("quantization")
    name = quantization["dtype"] if quantization else spec["dtype"]
    if name not in _STORED:
        raise ModelFileError(
            f"weight '{spec['name']}' is stored as '{name}'; supported: {', '.join(_STORED)}"
        )
    return _STORED[name]


def decode_weights(data: bytes, specs: list[dict]) -> dict[str, np.ndarray]:
    """Decode the concatenated shard bytes ``data`` of one group into named arrays.

    Quantized uint8/uint16 values decode as ``q * scale + min`` (computed in float64, stored float32,
    as tfjs does); float16 widens to float32.

    >>> specs = [{"name": "w", "shape": [2], "dtype": "float32",
    ...           "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
    ...          {"name": "b", "shape": [1], "dtype": "float32"}]
    >>> out = decode_weights(bytes([0, 4]) + np.float32(2.5).tobytes(), specs)
    >>> out["w"].tolist(), out["b"].tolist()
    ([-1.0, 1.0], [2.5])
    """
    arrays: dict[str, np.ndarray] = {}
    offset = 0
    for spec in specs:
        stored = _stored_dtype(spec)
        shape = tuple(int(d) for d in spec["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        end = offset + count * stored.itemsize
        if end > len(data):
            raise ModelFileError(
                f"weight '{spec['name']}' {shape} needs bytes {offset}..{end} but the shards hold "
                f"only {len(data)} bytes"
            )
        values = np.frombuffer(data, dtype=stored, count=count, offset=offset)
        quantization = spec.get("quantization")
        if quantization and quantization["dtype"] in {"uint8", "uint16"}:
            scale, minimum = float(quantization["scale"]), float(quantization["min"])
            values = (values.astype(np.float64) * scale + minimum).astype(np.float32)
        elif stored == _STORED["float16"]:
            values = values.astype(np.float32)
        arrays[spec["name"]] = values.reshape(shape).copy()
        offset = end
    if offset != len(data):
        raise ModelFileError(f"the manifest describes {offset} bytes but the shards hold {len(data)} bytes")
    return arrays


def read_tfjs_weights(
    manifest_path: str | Path, shard_paths: list[Path] | None = None
) -> dict[str, np.ndarray]:
    """Read every tensor named in a tfjs weights manifest; shards default to the manifest's ``paths``
    (relative to the manifest's folder). Returns ``{name: array}`` in manifest order."""
    manifest_path = Path(manifest_path)
    try:
        groups = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelFileError(f"cannot read the tfjs manifest {manifest_path}: {err}") from err
    if not isinstance(groups, list) or not all(isinstance(g, dict) and "weights" in g for g in groups):
        raise ModelFileError(f"{manifest_path} is not a tfjs weights manifest (a list of weight groups)")
    if shard_paths is not None and len(groups) != 1:
        raise ModelFileError(
            f"shard_paths can only replace the shards of a one-group manifest, got {len(groups)}"
        )
    arrays: dict[str, np.ndarray] = {}
    for group in groups:
        paths = shard_paths if shard_paths is not None else [manifest_path.parent / p for p in group["paths"]]
        data = b"".join(Path(p).read_bytes() for p in paths)
        arrays.update(decode_weights(data, group["weights"]))
    return arrays
