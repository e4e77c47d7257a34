"""CNN Lab: the entry point. It sets up the page, the shared sidebar and the navigation; nothing else."""

import streamlit as st

from app_support.shared.catalogue import CATALOGUE, PAGE_DIR, script_path
from cnn_core.runtime import quiet_tensorflow

quiet_tensorflow()  # before any page imports TensorFlow: keeps its start-up lines out of the server log
st.set_page_config(page_title="CNN Lab", page_icon="🧠", layout="wide")

home = st.Page(f"{PAGE_DIR}/home.py", title="Home", icon="🏠", default=True)
pages = [st.Page(script_path(e), title=e.title, icon=e.icon, url_path=e.url_path) for e in CATALOGUE]
navigation = st.navigation([home, *pages])
st.sidebar.caption("CNN Lab · convolutional networks, hands on")
navigation.run()
