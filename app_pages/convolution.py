"""Convolution: everything about one convolutional layer, interactive."""

from app_support.convolution import sections as views
from app_support.convolution.animation import animation, pooling
from app_support.convolution.one_by_one import one_by_one
from app_support.shared.ui import page_header, run_tabs
from app_support.shared.url import rename_legacy_params, rename_legacy_values

rename_legacy_params(views.LEGACY_PARAMS)
rename_legacy_values(views.LEGACY_VALUES)
page_header(
    "Convolution",
    "A convolutional layer slides small filters over its input and, at every position, sums the element-wise "
    "products. Padding, stride and dilation decide how many positions there are, and so the output size.",
    r"n_{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1",
)

run_tabs(
    [
        ("Calculator", views.calculator),
        ("Animation", animation),
        ("Edge detection", views.edge_detection),
        ("Correlation vs convolution", views.flipping),
        ("Over volumes", views.volume),
        ("Pooling", pooling),
        ("1x1 convolution", one_by_one),
        ("1-D & 3-D", views.other_dimensions),
    ],
    key="conv_tab",
)
