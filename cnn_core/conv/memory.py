"""The memory cap on every array this package allocates for a size the user chose.

Sizes may go up to ``MAX_SIZE`` (1,000,000) because the arithmetic needs nothing more than integers, but
an array of n x n float64 values takes 8·n² bytes: n = 15,000 is already 1.8 GB. So every routine here
counts the bytes of what it is about to allocate, with Python integers (no overflow), and refuses before
allocating anything larger than ``MAX_ARRAY_BYTES`` = 64 MiB. The largest array the pages need is a
640 x 640 photo filtered as float64 (3.1 MiB), so the cap leaves room twentyfold, while a dozen visitors
hitting it at once stay well inside the 2 GB the server is sized for.
"""

from __future__ import annotations

import math

from cnn_core.errors import ParameterError

#: the most bytes one array may take
MAX_ARRAY_BYTES = 64 * 2**20
#: bytes of a float64
FLOAT64 = 8


def require_fits(what: str, shape: tuple[int, ...], item_bytes: int = FLOAT64) -> int:
    """Bytes of ``shape`` items of ``item_bytes`` each: prod(shape)·item_bytes. Raise ParameterError,
    naming ``what``, its size and the cap, when that is more than MAX_ARRAY_BYTES.

    >>> require_fits("the padded input", (6, 6))
    288
    >>> require_fits("the padded input", (20_000, 20_000))
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: the padded input would take 3,200,000,000 bytes (20000x20000 x 8 ...
    """
    size = math.prod(shape) * item_bytes
    if size > MAX_ARRAY_BYTES:
        dims = "x".join(map(str, shape))
        raise ParameterError(
            f"{what} would take {size:,} bytes ({dims} x {item_bytes} bytes); the cap is "
            f"{MAX_ARRAY_BYTES // 2**20} MiB ({MAX_ARRAY_BYTES:,} bytes) per array, so choose smaller sizes"
        )
    return size
