"""The detection page's pictures are drawn and encoded once per visitor and key, not on every rerun."""

from __future__ import annotations

import io

import numpy as np
import pytest
import streamlit as st
from PIL import Image

from app_support.detection.cache import drawn_once

#: JPEG at quality 90 keeps a flat colour field within a few levels (8x8 blocks of one value: only the
#: DC coefficient, quantised in steps of about 2–3 levels)
FLAT_FIELD_LEVELS = 3


@pytest.fixture(autouse=True)
def _fresh_memo():
    for key in [k for k in st.session_state if k.startswith("memo_det_test")]:
        del st.session_state[key]


def _picture() -> np.ndarray:
    """A 48x64 grey picture with a red 16x16 block in its top-left corner (both fields 8x8-aligned)."""
    picture = np.full((48, 64, 3), 120, np.uint8)
    picture[:16, :16] = (200, 30, 30)
    return picture


def test_a_key_is_drawn_once_and_a_new_key_again():
    calls: list[int] = []

    def draw() -> np.ndarray:
        calls.append(1)
        return _picture()

    first = drawn_once("det_test", ("photo", 0.25), draw)
    again = drawn_once("det_test", ("photo", 0.25), draw)
    assert again == first and len(calls) == 1
    drawn_once("det_test", ("photo", 0.30), draw)
    assert len(calls) == 2


def test_the_bytes_are_the_picture_as_jpeg():
    data = drawn_once("det_test", "one", _picture)
    decoded = Image.open(io.BytesIO(data))
    assert decoded.format == "JPEG"
    pixels = np.asarray(decoded.convert("RGB")).astype(int)
    assert pixels.shape == (48, 64, 3)
    assert np.abs(pixels[2:14, 2:14] - (200, 30, 30)).max() <= FLAT_FIELD_LEVELS  # inside the red block
    assert np.abs(pixels[20:46, 20:62] - 120).max() <= FLAT_FIELD_LEVELS  # the grey field
