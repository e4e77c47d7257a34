"""Neural style transfer: the course's optimisation of J(G) live, and two feed-forward networks."""

import streamlit as st

from app_support.shared.image_picker import image_picker
from app_support.shared.ui import page_header
from app_support.style_transfer import fast as fast_views
from app_support.style_transfer import sections as views

page_header(
    "Neural style transfer",
    "A generated image G starts as the content photo (or noise), and gradient descent changes its pixels "
    "until a pretrained network sees the content of C in its middle-layer activations and the style of S "
    "in the correlations between channels (the Gram matrices G = FᵀF of several layers). Feed-forward "
    "networks learn to do the same in one pass.",
    r"J(G) = \alpha\, J_{content}(C,G) + \beta \sum_l \lambda^{[l]} J^{[l]}_{style}(S,G),\quad "
    r"J^{[l]}_{style} = \frac{1}{(2 n_H n_W n_C)^2}"
    r" \sum_{k,k'} \big(G^{[l](S)}_{kk'} - G^{[l](G)}_{kk'}\big)^2",
)

content_column, style_column = st.columns(2)
with content_column:
    content = views.checked(
        image_picker("st_content", camera=True, default_sample="chelsea", label="Content image C"),
        "content image",
    )
with style_column:
    style = views.checked(
        image_picker("st_style", camera=True, default_sample="flower", label="Style image S"), "style image"
    )

st.caption(
    "Features: EfficientNet-Lite0 (ImageNet). No VGG weights can be had offline, and non-VGG networks give "
    "noisier results: the softmax smoothing of Wang, Li & Vasconcelos (CVPR 2021) and total variation fix "
    "most of it."
)
tabs = st.tabs(["Optimisation (Gatys)", "Fast methods"], key="st_tab", on_change="rerun", bind="query-params")
with tabs[0]:
    if tabs[0].open:
        views.gatys_panel(content, style)
with tabs[1]:
    if tabs[1].open:
        fast_views.fast_panel(content, style)
