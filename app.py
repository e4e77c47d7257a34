"""CNN Lab: the entry point. It sets up the page, the shared sidebar and the navigation; nothing else."""

import streamlit as st

from app_support.shared.catalogue import CATALOGUE, PAGE_DIR, script_path
from app_support.shared.layout import house_style
from app_support.shared.share_link import link_to_this_view
from app_support.shared.warmup import warming_notice
from cnn_core.runtime import quiet_tensorflow

quiet_tensorflow()  # before any page imports TensorFlow: keeps its start-up lines out of the server log
st.set_page_config(page_title="CNN Lab", page_icon="🧠", layout="wide")

home = st.Page(f"{PAGE_DIR}/home.py", title="Home", icon="🏠", default=True)
pages = [st.Page(script_path(e), title=e.title, icon=e.icon, url_path=e.url_path) for e in CATALOGUE]
navigation = st.navigation([home, *pages])
st.sidebar.caption("CNN Lab · convolutional networks, hands on")
# not in the link: a projector's large type would be wrong on the students' phones that open it
house_style(st.sidebar.toggle("Presenter mode", key="presenter", help="Larger type for a projector."))
warming_notice(navigation.url_path)  # while serve.py is still loading the networks this page needs
navigation.run()
link_to_this_view()  # under the page's own sidebar controls, if any
