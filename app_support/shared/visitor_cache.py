"""Where results computed from a visitor's pictures and files are kept.

A result computed from a shipped sample is the same for everyone, so it goes to Streamlit's server-wide
``st.cache_data``. A result computed from an upload or a camera photo belongs to that visitor: it is kept
in their ``st.session_state`` only (the last few per function), so the server never holds it on anyone
else's behalf, no other visitor can be served it, and it is gone when their session ends.
"""

from __future__ import annotations

import functools
import hashlib
import weakref
from collections.abc import Callable, Hashable
from contextlib import nullcontext
from typing import Any, TypeVar

import numpy as np
import streamlit as st

from cnn_core.errors import CNNLabError

T = TypeVar("T")
#: how many results of one function a visitor's session keeps (the oldest goes first)
VISITOR_ENTRIES = 4


#: fingerprints of read-only arrays, by ``id``: (a weak reference to the array, its fingerprint)
_READ_ONLY_FINGERPRINTS: dict[int, tuple[weakref.ref, str]] = {}


def fingerprint(data: np.ndarray | bytes) -> str:
    """A short id of an image's pixels (or a file's bytes), to key widgets and caches that belong to it:
    BLAKE2b of the bytes, 6 bytes long. A read-only array cannot change, so its fingerprint is computed
    once (a phone photo's 36 MB take ~55 ms, and every rerun keys its caches with it)."""
    if isinstance(data, np.ndarray) and not data.flags.writeable:
        known = _READ_ONLY_FINGERPRINTS.get(id(data))
        if known is not None and known[0]() is data:
            return known[1]
        key, digest = id(data), _blake2b(data.tobytes())
        gone = weakref.ref(data, lambda _: _READ_ONLY_FINGERPRINTS.pop(key, None))
        _READ_ONLY_FINGERPRINTS[key] = (gone, digest)
        return digest
    return _blake2b(data.tobytes() if isinstance(data, np.ndarray) else data)


def _blake2b(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=6).hexdigest()


def _hashable(value: Any) -> Hashable:
    """An argument as a memo key: arrays by shape, dtype and fingerprint, sequences item by item."""
    if isinstance(value, np.ndarray):
        return value.shape, value.dtype.str, fingerprint(value)
    if isinstance(value, tuple | list):
        return tuple(_hashable(item) for item in value)
    return value


def session_memo(namespace: str, key: Hashable, compute: Callable[[], T], size: int = VISITOR_ENTRIES) -> T:
    """``compute()`` once per visitor and key, keeping the last ``size`` results of ``namespace``; a
    CNNLabError is kept too and raised again on each later call (a bad file is read once, not per rerun).
    An array result is made read-only: every later run gets this same array, which no caller may change."""
    memo: dict[Hashable, Any] = st.session_state.setdefault(f"memo_{namespace}", {})
    if key not in memo:
        while len(memo) >= size:
            memo.pop(next(iter(memo)))
        try:
            memo[key] = compute()
            if isinstance(memo[key], np.ndarray):
                memo[key].setflags(write=False)
        except CNNLabError as err:
            memo[key] = err.with_traceback(None)  # without its frames, which hold the inputs
    if isinstance(memo[key], CNNLabError):
        raise memo[key]
    return memo[key]


def picture_cache(*, max_entries: int, show_spinner: bool | str = False) -> Callable:
    """Decorator for a function of a picture (or of something computed from one), called with
    ``sample=True`` when every picture in its arguments is a shipped sample: then it is cached server-wide
    (``st.cache_data`` with ``max_entries``), else only in this visitor's session (``session_memo``)."""

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        shared = st.cache_data(function, max_entries=max_entries, show_spinner=show_spinner)

        @functools.wraps(function)
        def cached(*args: Any, sample: bool) -> T:
            if sample:
                return shared(*args)

            def compute() -> T:
                with st.spinner(show_spinner) if isinstance(show_spinner, str) else nullcontext():
                    return function(*args)

            return session_memo(function.__qualname__, _hashable(args), compute)

        return cached

    return decorate
