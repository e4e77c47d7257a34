"""Neural style transfer: the course's optimisation of J(G) live, and two feed-forward networks."""

from functools import partial

from app_support.shared.ui import page_header, run_tabs
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

pictures = views.inputs()
run_tabs(
    [
        ("Optimisation (Gatys)", partial(views.gatys_panel, pictures)),
        ("Fast methods", partial(fast_views.fast_panel, pictures)),
    ],
    key="st_tab",
)
