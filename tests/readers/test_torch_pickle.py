"""The restricted legacy-torch reader: synthetic files written the way torch's ``_legacy_save`` writes them,
the real EfficientNet-Lite0 file, and hostile or broken files that must be refused without running code."""

from __future__ import annotations

import collections
import pickle
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from cnn_core.errors import ModelFileError
from cnn_core.readers.torch_pickle import MAGIC_NUMBER, PROTOCOL_VERSION, read_torch_legacy
from cnn_core.weights import weight_path


class _Storage:
    def __init__(self, key: str, values: np.ndarray):
        self.key, self.values = key, values


class _Tensor:
    def __init__(self, storage: _Storage, offset: int, size: tuple, stride: tuple):
        self.args = (storage, offset, size, stride)

    def __reduce__(self):
        from torch._utils import _rebuild_tensor_v2  # the stand-in module installed below

        return _rebuild_tensor_v2, (*self.args, False, collections.OrderedDict())


@pytest.fixture
def fake_torch(monkeypatch):
    """Modules named like torch's so that ``pickle`` writes the same GLOBAL opcodes torch does."""
    torch, utils = types.ModuleType("torch"), types.ModuleType("torch._utils")
    for name in ("FloatStorage", "LongStorage"):
        setattr(torch, name, type(name, (), {"__module__": "torch"}))

    def _rebuild_tensor_v2(*args):
        raise AssertionError("only pickled, never called")

    _rebuild_tensor_v2.__module__, _rebuild_tensor_v2.__qualname__ = "torch._utils", "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return torch


def write_legacy(path: Path, torch, state: dict[str, _Tensor], storages: list[_Storage], **overrides) -> None:
    """Five pickles then the raw storages, as torch/serialization.py ``_legacy_save``."""
    types_by_dtype = {np.dtype("float32"): torch.FloatStorage, np.dtype("int64"): torch.LongStorage}

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, _Storage):
                return ("storage", types_by_dtype[obj.values.dtype], obj.key, "cpu", obj.values.size, None)
            return None

    with path.open("wb") as handle:
        pickle.dump(overrides.get("magic", MAGIC_NUMBER), handle, protocol=2)
        pickle.dump(PROTOCOL_VERSION, handle, protocol=2)
        pickle.dump({"protocol_version": 1001, "little_endian": True, "type_sizes": {}}, handle, protocol=2)
        Pickler(handle, protocol=2).dump(collections.OrderedDict(state))
        pickle.dump([s.key for s in storages], handle, protocol=2)
        for storage in storages:
            handle.write(np.int64(overrides.get("numel", storage.values.size)).tobytes())
            handle.write(storage.values.astype(storage.values.dtype.newbyteorder("<")).tobytes())


def test_round_trip_with_offsets_strides_and_shared_storage(tmp_path, fake_torch):
    flat = np.arange(10, dtype=np.float32)
    counts = np.array([7], dtype=np.int64)
    shared, other = _Storage("1", flat), _Storage("2", counts)
    state = {
        "weight": _Tensor(shared, 0, (2, 3), (3, 1)),  # rows of 3
        "weight_t": _Tensor(shared, 0, (3, 2), (1, 3)),  # the same memory, transposed
        "bias": _Tensor(shared, 6, (4,), (1,)),  # an offset view
        "num_batches_tracked": _Tensor(other, 0, (), ()),
    }
    path = tmp_path / "model.pth"
    write_legacy(path, fake_torch, state, [shared, other])
    tensors = read_torch_legacy(path)
    assert list(tensors) == list(state)
    np.testing.assert_array_equal(tensors["weight"], [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(tensors["weight_t"], [[0, 3], [1, 4], [2, 5]])
    np.testing.assert_array_equal(tensors["bias"], [6, 7, 8, 9])
    assert tensors["num_batches_tracked"].dtype == np.int64 and tensors["num_batches_tracked"] == 7
    assert tensors["weight"].flags.writeable and tensors["weight"].dtype == np.float32


def test_efficientnet_lite0_file_has_296_tensors_and_every_byte_accounted_for():
    path = weight_path("efficientnet-lite0.pth")
    tensors = read_torch_legacy(path)
    assert len(tensors) == 296
    assert tensors["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert tensors["_fc.weight"].shape == (1000, 1280)
    assert sum(t.size for t in tensors.values() if t.dtype == np.float32) == 4_694_024
    # file = five pickles (the storage key list ends at byte 47,176) + per storage an int64 count + data
    storage_bytes = sum(8 + t.nbytes for t in tensors.values())  # no two tensors share a storage here
    assert path.stat().st_size == 47_176 + storage_bytes


@pytest.mark.parametrize(
    "payload",
    [
        b"cos\nsystem\n(S'touch {marker}'\ntR.",  # os.system("touch …")
        b"cposix\nsystem\n(S'touch {marker}'\ntR.",
        b"csubprocess\ncall\n((S'touch'\nS'{marker}'\nltR.",
        b'cbuiltins\neval\n(S\'open("{marker}", "w")\'\ntR.',
    ],
)
def test_hostile_globals_are_refused_before_anything_runs(tmp_path, payload):
    marker = tmp_path / "pwned"
    evil = pickle.dumps(MAGIC_NUMBER, 2) + pickle.dumps(PROTOCOL_VERSION, 2)
    evil += payload.replace(b"{marker}", str(marker).encode())
    path = tmp_path / "evil.pth"
    path.write_bytes(evil)
    with pytest.raises(ModelFileError, match=r"refusing to load .*a weights file may only hold tensors"):
        read_torch_legacy(path)
    assert not marker.exists()


def test_hostile_global_inside_the_state_dict_is_refused(tmp_path, fake_torch):
    class Evil:
        def __reduce__(self):
            import os

            return os.system, ("true",)

    path = tmp_path / "evil.pth"
    write_legacy(path, fake_torch, {"x": Evil()}, [])
    with pytest.raises(ModelFileError, match=r"refusing to load '(os|posix)\.system'"):
        read_torch_legacy(path)


def test_broken_files_give_clear_messages(tmp_path, fake_torch):
    storage = _Storage("1", np.arange(4, dtype=np.float32))
    state = {"w": _Tensor(storage, 0, (4,), (1,))}
    cases = {
        "magic": ({"magic": 42}, "not a legacy torch file"),
        "count": ({"numel": 5}, "holds 5 elements, its record says 4"),
    }
    for name, (overrides, message) in cases.items():
        path = tmp_path / f"{name}.pth"
        write_legacy(path, fake_torch, state, [storage], **overrides)
        with pytest.raises(ModelFileError, match=message):
            read_torch_legacy(path)
    good = tmp_path / "good.pth"
    write_legacy(good, fake_torch, state, [storage])
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(good.read_bytes()[:-3])
    with pytest.raises(ModelFileError, match="truncated inside storage '1'"):
        read_torch_legacy(truncated)
    overreach = tmp_path / "overreach.pth"
    write_legacy(overreach, fake_torch, {"w": _Tensor(storage, 2, (4,), (1,))}, [storage])
    with pytest.raises(ModelFileError, match="reaches past its storage"):
        read_torch_legacy(overreach)
    with pytest.raises(ModelFileError, match="cannot open torch file"):
        read_torch_legacy(tmp_path / "missing.pth")
    (tmp_path / "text.pth").write_text("hello")
    with pytest.raises(ModelFileError, match="cannot read the magic number"):
        read_torch_legacy(tmp_path / "text.pth")
