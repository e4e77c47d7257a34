"""Architectures: how the classic CNNs are built and where their parameters and computation go."""

from app_support.architectures import calculators
from app_support.architectures import sections as views
from app_support.shared.ui import page_header, run_tabs
from app_support.shared.url import rename_legacy_params

rename_legacy_params(views.LEGACY_PARAMS)
page_header(
    "Architectures",
    "The classic networks of the course (LeNet-5, AlexNet, VGG, ResNet, Inception) stack the same few "
    "blocks: convolutions, pooling, fully connected layers, residual and Inception blocks. Counting every "
    "layer's parameters and multiply-adds shows where a network's size and its computation go.",
    r"\text{params} = (f \cdot f \cdot n_C^{[l-1]} + 1)\, n_C^{[l]} \qquad"
    r"\text{multiply-adds} = n_H^{[l]}\, n_W^{[l]}\, n_C^{[l]} \cdot f \cdot f \cdot n_C^{[l-1]}",
)

run_tabs(
    [
        ("Explore a model", views.explore),
        ("Residual & Inception blocks", views.blocks),
        ("1x1 bottleneck", calculators.bottleneck),
        ("Why convolutions", calculators.why_convolutions),
        ("Build your own", calculators.build_your_own),
        ("Open your own model", views.upload),
        ("Compare", views.compare),
    ],
    key="arch_tab",
)
