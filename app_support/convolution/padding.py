"""The padding control the Calculator and the Animation share: a number, or one of the named paddings."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_support.shared.url import IN_URL
from cnn_core.conv.arithmetic import Padding

#: the padding radio's options (in the URL) → cnn_core's padding modes (None: the number control)
PADDING_MODES: dict[str, Padding | None] = {
    "number": None,
    "valid": "valid",
    "same (course)": "course-same",
    "same (TensorFlow)": "same",
}


def padding_control(key: str, number: Callable[[], int]) -> Padding:
    """The padding radio (``?{key}=``); its "number" option shows the control ``number`` draws."""
    mode = st.radio("padding", list(PADDING_MODES), horizontal=True, key=key, bind=IN_URL)
    padding = PADDING_MODES[mode]
    return number() if padding is None else padding
