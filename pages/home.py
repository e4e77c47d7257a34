"""Home: what CNN Lab is and where to start."""

import streamlit as st

st.title("🧠 CNN Lab")
st.markdown(
    "Explore convolutional neural networks hands on: from the arithmetic of a single convolution to "
    "real pretrained networks running on your own photos. Every number on these pages is computed, "
    "not quoted, and every control can be shared as a link."
)

st.subheader("Start here")
st.page_link("pages/convolution.py", label="Convolution: padding, stride, filters, pooling", icon="🔲")
st.markdown(
    "- **Convolution** — how one layer turns an $n \\times n$ input into an "
    "$\\lfloor (n + 2p - f)/s \\rfloor + 1$ output, step by step, with edge detectors on your own photo."
)
st.caption(
    "Runs on the CPU of an ordinary laptop; uses a GPU automatically when TensorFlow finds one. "
    "Uploaded images stay in your browser session's memory and are never stored on the server."
)
