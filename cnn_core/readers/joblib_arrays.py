"""Lists of numpy arrays saved with ``joblib.dump(..., compress="lz4")`` (the mtcnn package's weights).

Such a file is an LZ4 frame (magic ``04 22 4D 18``) around a pickle whose arrays are joblib
``NumpyArrayWrapper`` records, each followed by its raw bytes. We decompress the frame and unpickle
with an allow-list: only the wrapper, ``numpy.ndarray`` and ``numpy.dtype`` may be named, so the file
cannot run code; anything else raises ``ModelFileError``.
"""

from __future__ import annotations

import io
from pathlib import Path

import lz4.frame
import numpy as np
from joblib.numpy_pickle import NumpyUnpickler

from cnn_core.errors import ModelFileError

LZ4_MAGIC = b"\x04\x22\x4d\x18"
_ALLOWED = {("joblib.numpy_pickle", "NumpyArrayWrapper"), ("numpy", "ndarray"), ("numpy", "dtype")}


class _ArraysOnlyUnpickler(NumpyUnpickler):
    """joblib's array-aware unpickler that refuses every global outside ``_ALLOWED``."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise ModelFileError(f"the weights file names '{module}.{name}'; only numpy arrays are allowed")
        return super().find_class(module, name)


def read_joblib_arrays(path: str | Path) -> list[np.ndarray]:
    """Read an LZ4-compressed joblib file holding a list of numeric arrays; return the arrays in order."""
    path = Path(path)
    raw = path.read_bytes()
    if not raw.startswith(LZ4_MAGIC):
        raise ModelFileError(f"{path} is not an LZ4 frame (first bytes {raw[:4].hex()})")
    try:
        data = lz4.frame.decompress(raw)
        arrays = _ArraysOnlyUnpickler(str(path), io.BytesIO(data), ensure_native_byte_order=True).load()
    except ModelFileError:
        raise
    except Exception as err:  # a damaged stream can fail in lz4, pickle or numpy in many ways
        raise ModelFileError(f"{path} cannot be read as joblib arrays: {err}") from err
    if not isinstance(arrays, list) or not all(
        isinstance(a, np.ndarray) and a.dtype.kind in "fiu" for a in arrays
    ):
        raise ModelFileError(f"{path} does not hold a list of numeric arrays")
    return arrays
