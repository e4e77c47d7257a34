"""Activations & receptive fields: what a trained network computes on your own image, unit by unit."""

from app_support.activations import multicrop
from app_support.activations import sections as views
from app_support.shared.ui import page_header, run_tabs

page_header(
    "Activations & receptive fields",
    "Every unit of a convolutional layer is one filter applied at one place, so it sees only a patch of "
    "the input, its receptive field, which grows with depth. Look at what each unit of a trained network "
    "responds to: its feature map on your image, its receptive field, and the patches that excite it most.",
    r"r_l = r_{l-1} + (k_l - 1)\,j_{l-1}, \qquad j_l = j_{l-1}\,s_l, \qquad "
    r"\text{start}_l = \text{start}_{l-1} + \left(\tfrac{k_l - 1}{2} - p_l\right) j_{l-1}",
)
# every tab but the receptive-field table draws the network and picture choice beside its result
run_tabs(
    [
        ("Feature maps", views.feature_maps),
        ("Top patches", views.strongest_patches),
        ("Grad-CAM", views.gradcam),
        ("Layer-1 filters", views.first_filters),
        ("Receptive-field table", views.rf_table),
        ("10-crop", multicrop.ten_crop),
        ("Ensemble", multicrop.ensemble),
    ],
    key="act_tab",
)
