"""Fingerprints of pictures: BLAKE2b of the pixels, computed once for an array that cannot change."""

from __future__ import annotations

import hashlib

import numpy as np

from app_support.shared import visitor_cache
from app_support.shared.visitor_cache import fingerprint


def test_a_fingerprint_is_blake2b_of_the_bytes():
    pixels = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    assert fingerprint(pixels) == hashlib.blake2b(pixels.tobytes(), digest_size=6).hexdigest()
    assert fingerprint(b"abc") == hashlib.blake2b(b"abc", digest_size=6).hexdigest()


def test_a_read_only_array_is_hashed_once_a_writable_one_every_time(monkeypatch):
    hashed = []
    blake2b = visitor_cache._blake2b
    monkeypatch.setattr(visitor_cache, "_blake2b", lambda raw: hashed.append(len(raw)) or blake2b(raw))
    writable = np.zeros((8, 8, 3), np.uint8)
    first = fingerprint(writable)
    writable[0, 0, 0] = 1  # a writable array may change between two calls
    assert fingerprint(writable) != first
    assert len(hashed) == 2

    frozen = writable.copy()
    frozen.setflags(write=False)
    assert fingerprint(frozen) == fingerprint(frozen) == fingerprint(writable)
    assert len(hashed) == 4  # the writable one again, the frozen one once


def test_a_forgotten_array_leaves_no_entry_behind():
    frozen = np.ones((16, 16, 3), np.uint8)
    frozen.setflags(write=False)
    fingerprint(frozen)
    key = id(frozen)
    assert key in visitor_cache._READ_ONLY_FINGERPRINTS
    del frozen
    assert key not in visitor_cache._READ_ONLY_FINGERPRINTS


def test_a_visitors_kept_array_is_read_only_so_its_fingerprint_is_kept_too():
    kept = visitor_cache.session_memo("test_kept_array", "photo", lambda: np.zeros((4, 4, 3), np.uint8))
    assert not kept.flags.writeable
    assert visitor_cache.session_memo("test_kept_array", "photo", lambda: None) is kept
