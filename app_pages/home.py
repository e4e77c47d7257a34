"""Home: what CNN Lab is and where to go."""

import streamlit as st

from app_support.shared.catalogue import CATALOGUE, script_path
from app_support.shared.ui import page_header

page_header(
    "🧠 CNN Lab",
    "Explore convolutional neural networks hands on: from the arithmetic of a single convolution to "
    "real pretrained networks running on your own photos. Every number on these pages is computed, "
    "not quoted, and the controls are mirrored in the address bar, so a link shows exactly what you see.",
)
for entry in CATALOGUE:  # one card per page, in menu order
    with st.container(border=True):
        st.page_link(script_path(entry), label=entry.title, icon=entry.icon)
        st.markdown(entry.blurb[0].upper() + entry.blurb[1:])
st.caption(
    "Runs on the CPU of an ordinary laptop and uses a GPU automatically when TensorFlow finds one. "
    "Your uploads, and everything computed from them, are kept only in your own session: in the server's "
    "memory, never on disk, never shown to another visitor, and gone when you close the tab."
)
