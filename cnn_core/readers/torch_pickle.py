"""A restricted reader for the legacy (pre-1.6) torch ``.pth`` format: tensors only, no arbitrary code.

The legacy file is five pickles in a row followed by raw storages (torch/serialization.py, ``_legacy_save``):

1. the magic number 0x1950a86a20f9469cfc6c, 2. the protocol version 1001, 3. ``sys_info`` (endianness,
type sizes), 4. the object itself — here a state dict whose tensors are
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`` calls and whose storages are
persistent ids ``("storage", torch.FloatStorage, key, location, numel, view_metadata)``, 5. the list of
storage keys in file order. Each storage then follows as an int64 element count and its raw
little-endian bytes.

Our unpickler resolves only the four names such a file needs (``collections.OrderedDict``, the tensor
rebuild function and the ``torch.*Storage`` type tags) to harmless stand-ins; any other global — say
``os.system`` — is refused with a ``ModelFileError`` before anything runs. Reader convention shared with
the other readers: ``read_*(path) -> dict[str, np.ndarray]`` in the file's own layout, and every
malformed or hostile file raises ``ModelFileError``.
"""

from __future__ import annotations

import collections
import io
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnn_core.errors import ModelFileError

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001

#: torch storage type name -> numpy dtype of its elements (little-endian)
STORAGE_DTYPES: dict[str, np.dtype] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


@dataclass(frozen=True)
class _StorageType:
    """Stands in for a ``torch.<Name>Storage`` class: only its element dtype matters."""

    dtype: np.dtype


@dataclass(frozen=True)
class _StorageRef:
    """A storage named by a persistent id; its bytes come after the pickles."""

    key: str
    dtype: np.dtype
    numel: int


@dataclass(frozen=True)
class _TensorRef:
    """A strided view of a storage, as ``_rebuild_tensor_v2`` describes it."""

    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor(storage, offset, shape, stride, *_ignored) -> _TensorRef:
    """Our ``_rebuild_tensor_v2``: records the view, validating every field's type."""
    if not isinstance(storage, _StorageRef):
        raise ModelFileError(f"tensor record names no storage, got {type(storage).__name__}")
    ints = (offset, *shape, *stride)
    if not all(isinstance(value, int) and value >= 0 for value in ints) or len(shape) != len(stride):
        raise ModelFileError(f"bad tensor record: offset={offset!r}, size={shape!r}, stride={stride!r}")
    return _TensorRef(storage, offset, tuple(shape), tuple(stride))


class _TensorsOnlyUnpickler(pickle.Unpickler):
    """An Unpickler that knows four names; every other global is refused."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(STORAGE_DTYPES[name])
        raise ModelFileError(f"refusing to load '{module}.{name}': a weights file may only hold tensors")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage"):
            raise ModelFileError(f"unknown persistent record {pid!r:.80}")
        _, storage_type, key, _location, numel, view_metadata = pid
        if not isinstance(storage_type, _StorageType) or not isinstance(numel, int) or numel < 0:
            raise ModelFileError(f"bad storage record {pid!r:.80}")
        if view_metadata is not None:
            raise ModelFileError(f"storage views are not supported (storage {key!r})")
        return _StorageRef(str(key), storage_type.dtype, numel)


def _load_pickle(stream: io.BytesIO, what: str):
    try:
        return _TensorsOnlyUnpickler(stream).load()
    except ModelFileError:
        raise
    except Exception as err:  # any malformed pickle: truncated, bad opcode, wrong arguments
        raise ModelFileError(f"cannot read the {what} of the torch file: {err}") from err


def _read_storages(stream: io.BytesIO, refs: dict[str, _StorageRef], keys: object) -> dict[str, np.ndarray]:
    """Read each storage (int64 element count + raw bytes) in the order the key list gives."""
    if not isinstance(keys, list) or set(keys) != set(refs):
        raise ModelFileError("the torch file's storage key list does not match its tensors")
    data: dict[str, np.ndarray] = {}
    for key in keys:
        ref = refs[key]
        header = stream.read(8)
        numel = int(np.frombuffer(header, "<i8")[0]) if len(header) == 8 else -1
        if numel != ref.numel:
            raise ModelFileError(f"storage {key!r} holds {numel} elements, its record says {ref.numel}")
        raw = stream.read(numel * ref.dtype.itemsize)
        if len(raw) != numel * ref.dtype.itemsize:
            raise ModelFileError(f"the torch file is truncated inside storage {key!r}")
        data[key] = np.frombuffer(raw, ref.dtype)
    if stream.read(1):
        raise ModelFileError("the torch file has unexpected bytes after its last storage")
    return data


def _materialise(ref: _TensorRef, storage: np.ndarray) -> np.ndarray:
    """Copy the strided view out of its storage, after checking that it stays inside it."""
    last = ref.offset + sum((n - 1) * s for n, s in zip(ref.shape, ref.stride, strict=True) if n > 0)
    if 0 not in ref.shape and last >= storage.size:
        raise ModelFileError(f"tensor of size {ref.shape} reaches past its storage of {storage.size}")
    item = storage.itemsize
    view = np.lib.stride_tricks.as_strided(
        storage[ref.offset :], shape=ref.shape, strides=[s * item for s in ref.stride], writeable=False
    )
    return np.array(view, dtype=storage.dtype.newbyteorder("="))


def read_torch_legacy(path: str | Path) -> dict[str, np.ndarray]:
    """Read a legacy torch state dict: ``{name: array}`` in torch layout, e.g. conv ``(out, in, kh, kw)``.

    >>> import pathlib, pickle, tempfile
    >>> evil = pickle.dumps(MAGIC_NUMBER, 2) + pickle.dumps(PROTOCOL_VERSION, 2)
    >>> evil += b"cos\\nsystem\\n(S'echo hi'\\ntR."
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "evil.pth"; _ = file.write_bytes(evil)
    >>> read_torch_legacy(file)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ModelFileError: refusing to load 'os.system': a weights file may only hold tensors
    """
    try:
        stream = io.BytesIO(Path(path).read_bytes())
    except OSError as err:
        raise ModelFileError(f"cannot open torch file {path}: {err}") from err
    if _load_pickle(stream, "magic number") != MAGIC_NUMBER:
        raise ModelFileError(f"{path} is not a legacy torch file (bad magic number)")
    if _load_pickle(stream, "protocol version") != PROTOCOL_VERSION:
        raise ModelFileError(f"{path} has an unsupported torch protocol version")
    sys_info = _load_pickle(stream, "system info")
    if not isinstance(sys_info, dict) or sys_info.get("little_endian") is not True:
        raise ModelFileError(f"{path} was not written on a little-endian machine")
    state = _load_pickle(stream, "state dict")
    if not isinstance(state, dict) or not all(isinstance(v, _TensorRef) for v in state.values()):
        raise ModelFileError(f"{path} does not hold a state dict of tensors")
    refs = {tensor.storage.key: tensor.storage for tensor in state.values()}
    storages = _read_storages(stream, refs, _load_pickle(stream, "storage key list"))
    return {str(name): _materialise(ref, storages[ref.storage.key]) for name, ref in state.items()}
