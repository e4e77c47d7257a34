"""Activations & receptive fields: what a trained network computes on your own image, unit by unit."""

from functools import partial

from app_support.activations import multicrop
from app_support.activations import sections as views
from app_support.activations.inputs import chosen_input
from app_support.shared.ui import page_header, run_tabs

page_header(
    "Activations & receptive fields",
    "Every unit of a convolutional layer is one filter applied at one place, so it sees only a patch of "
    "the input, its receptive field, which grows with depth. Look at what each unit of a trained network "
    "responds to: its feature map on your image, its receptive field, and the patches that excite it most.",
    r"r_l = r_{l-1} + (k_l - 1)\,j_{l-1}, \qquad j_l = j_{l-1}\,s_l, \qquad "
    r"\text{start}_l = \text{start}_{l-1} + \left(\tfrac{k_l - 1}{2} - p_l\right) j_{l-1}",
)

chosen = chosen_input()  # the network, the picture and its prediction, above the tabs
run_tabs(
    [
        ("Feature maps", partial(views.feature_maps, chosen)),
        ("Top patches", partial(views.strongest_patches, chosen)),
        ("Grad-CAM", partial(views.gradcam, chosen)),
        ("Layer-1 filters", partial(views.first_filters, chosen)),
        ("Receptive-field table", views.rf_table),
        ("10-crop", partial(multicrop.ten_crop, chosen)),
        ("Ensemble", partial(multicrop.ensemble, chosen)),
    ],
    key="act_tab",
)
