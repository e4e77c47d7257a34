"""Home: what CNN Lab is, and its pages as cards in the order a course takes them."""

import streamlit as st

from app_support.shared.catalogue import CATALOGUE, script_path
from app_support.shared.url import check_link

#: each card is one link: the page link's anchor gets an empty ``::after`` box that fills the card (the
#: nearest positioned ancestor, once the link's own element container is static) above the blurb, so a
#: click anywhere on the card opens the page
CARD = '[class*="st-key-home_card_"]'
CARD_CSS = f"""
<style>
{CARD} {{ position: relative; }}
{CARD} [data-testid="stElementContainer"]:has([data-testid="stPageLink"]) {{ position: static; }}
{CARD} [data-testid="stPageLink"] p {{ font-size: 1.15rem; font-weight: 600; }}
{CARD} [data-testid="stPageLink"] a::after {{ content: ""; position: absolute; inset: 0; z-index: 1; }}
</style>
"""

check_link()  # as on every page: a link's out-of-bounds numbers are dropped and named
st.title("🧠 CNN Lab")
st.markdown(
    "Explore convolutional neural networks hands on: from the arithmetic of a single convolution to "
    "real pretrained networks running on your own photos. Every number on these pages is computed, "
    "not quoted, and the controls are mirrored in the address bar, so a link shows exactly what you see."
)
st.markdown(
    "The pages follow the course, in the menu's order too: "
    + " → ".join(["Start here", *(entry.title for entry in CATALOGUE)])
    + "."
)
st.html(CARD_CSS)
for number, entry in enumerate(CATALOGUE, start=1):
    with st.container(border=True, key=f"home_card_{entry.url_path}"):
        st.page_link(script_path(entry), label=f"{number} · {entry.title}", icon=entry.icon)
        st.markdown(entry.blurb[0].upper() + entry.blurb[1:])
st.caption(
    "Runs on the CPU of an ordinary laptop and uses a GPU automatically when TensorFlow finds one. "
    "Your uploads, and everything computed from them, are kept only in your own session: in the server's "
    "memory, never on disk, never shown to another visitor, and gone when you close the tab."
)
