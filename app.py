"""CNN Lab: the entry point. It sets up the page, the shared sidebar and the navigation; nothing else."""

import streamlit as st

st.set_page_config(page_title="CNN Lab", page_icon="🧠", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/convolution.py", title="Convolution", icon="🔲", url_path="convolution"),
]

navigation = st.navigation(PAGES)
st.sidebar.caption("CNN Lab · convolutional networks, hands on")
navigation.run()
