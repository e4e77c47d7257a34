"""Training: transfer learning on the visitor's photos, data augmentation, and why ResNets train deep."""

from app_support.shared.ui import page_header, run_tabs
from app_support.training.resnets import resnet_panel
from app_support.training.sections import augmentation_panel
from app_support.training.transfer import transfer_panel

page_header(
    "Training",
    "A network trained on ImageNet already knows edges, textures and parts: with little data, freeze it and "
    "train only a new softmax on its features; with more, fine-tune its last blocks too, and with lots, all "
    "of it. Augmentation makes more data from the photos you have, and shortcuts let deep networks train.",
    r"\hat y = \mathrm{softmax}\big(W\, f_{\text{frozen}}(x) + b\big),\qquad "
    r"a^{[l+2]} = g\big(z^{[l+2]} + a^{[l]}\big)",
)
run_tabs(
    [
        ("Transfer learning", transfer_panel),
        ("Data augmentation", augmentation_panel),
        ("Why ResNets work", resnet_panel),
    ],
    key="tr_tab",
)
