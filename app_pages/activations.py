"""Activations & receptive fields: what a trained network computes on your own image, unit by unit."""

import streamlit as st

from app_support.activations import cache as models
from app_support.activations import sections as views
from app_support.shared.image_picker import image_picker
from app_support.shared.ui import page_header, show_error
from cnn_core.errors import CNNLabError

page_header(
    "Activations & receptive fields",
    "Every unit of a convolutional layer is one filter applied at one place, so it sees only a patch of "
    "the input, its receptive field, which grows with depth. Look at what each unit of a trained network "
    "responds to: its feature map on your image, its receptive field, and the patches that excite it most.",
    r"r_l = r_{l-1} + (k_l - 1)\,j_{l-1}, \qquad j_l = j_{l-1}\,s_l, \qquad "
    r"\text{start}_l = \text{start}_{l-1} + \left(\tfrac{k_l - 1}{2} - p_l\right) j_{l-1}",
)

key = st.radio(
    "Network",
    list(models.MODELS),
    captions=[m.title for m in models.MODELS.values()],
    horizontal=True,
    key="act_model",
    bind="query-params",
)
model = models.MODELS[key]

picker, result = st.columns([1, 1])
with picker:
    image = image_picker("act", camera=True) if key == "efficientnet-lite0" else views.pick_digit()
x = None
if image is not None:
    try:
        x = model.to_input(image)
    except CNNLabError as err:
        show_error(err)
if x is not None:
    with result:
        st.image(views.zoomed(models.shown(x), 192), caption="What the network sees")
        top5 = views.prediction(model, x)
    own = views.remember(key, x)

sections = ["Feature maps", "Top patches", "Grad-CAM", "Layer-1 filters", "Receptive-field table"]
tabs = st.tabs(sections, key="act_tab", on_change="rerun", bind="query-params")
with tabs[0]:
    if tabs[0].open:
        if x is None:
            st.info("Pick, upload or draw an image above to see its feature maps.")
        else:
            views.feature_maps(model, x)
with tabs[1]:
    if tabs[1].open:
        views.strongest_patches(model, own if x is not None else ())
with tabs[2]:
    if tabs[2].open:
        if x is None:
            st.info("Pick an image above to see where the network looks.")
        else:
            st.markdown(
                "Grad-CAM weighs each map $A^k$ of the last convolutional layer by the mean gradient of the "
                "class score, $\\alpha_k = \\frac{1}{Z}\\sum_{ij} \\partial y^c / \\partial A^k_{ij}$, and "
                "shows $\\mathrm{ReLU}(\\sum_k \\alpha_k A^k)$ (Selvaraju et al., 2017)."
            )
            views.gradcam(model, x, top5)
with tabs[3]:
    if tabs[3].open:
        st.markdown("Layer 1 learns edges and colours: each filter below is one first-layer kernel.")
        views.first_filters(model)
with tabs[4]:
    if tabs[4].open:
        st.markdown(
            "Receptive field r, jump j (distance between neighbouring units, in input pixels) and start "
            "(centre of the first unit) of every layer of a zoo model, by the recurrences above "
            "(Araujo et al., Distill 2019); where paths merge, the union of their fields."
        )
        views.rf_table()
