"""The documented range of every number a link can set, with the reason for its limits.

Each URL-bound number control has a ``Bound`` here, found by its key. The widgets take their min/max from
this table (``url.bound_number`` and ``url.bound_slider``), and ``url.check_link`` applies it to the
address bar before any widget reads it, so NaN, ±Infinity, text, 10³⁰ or a 50,000-digit number never
reaches Streamlit or cnn_core.

Two kinds of reason:

* meaning: a slider's useful range, an index into what the page shows;
* arithmetic: sizes, strides and paddings of the calculators take any whole number a browser holds
  exactly, |v| ≤ 2⁵³ − 1, so that a mistake such as stride 0 or n = 10⁹ is explained by cnn_core
  ("stride must be ≥ 1", "n must be ≤ 1,000,000") rather than silently refused. Where such a size costs
  memory, cnn_core caps it before allocating and the message states the cap: 64 MiB per array for the
  Convolution page's arrays (``cnn_core.conv.memory``), 20,000,000 parameters for the network builder.

Controls that offer a list (select boxes, radios, select sliders such as the image sizes) are bounded by
their list: Streamlit refuses any other value, and ``url.report_unused_link`` says so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: the largest whole number a browser holds exactly (JavaScript's Number.MAX_SAFE_INTEGER)
JS_SAFE = 2**53 - 1


@dataclass(frozen=True)
class Bound:
    """low ≤ value ≤ high; whole numbers only when both limits are ints."""

    low: int | float
    high: int | float
    reason: str

    @property
    def whole(self) -> bool:
        return isinstance(self.low, int) and isinstance(self.high, int)

    def refusal(self, text: str) -> str | None:
        """Why ``text`` (a value from the address bar) is not a value of this control, or None when it is.

        >>> Bound(1, 10, "meaning").refusal("Infinity"), Bound(1, 10, "meaning").refusal("4")
        ('it is not a finite number', None)
        """
        try:
            value = float(text)
        except ValueError:
            return "it is not a number"
        if not math.isfinite(value):
            return "it is not a finite number"
        if self.whole and not value.is_integer():
            return "it is not a whole number"
        if not self.low <= value <= self.high:
            return f"it must be between {self.low:,} and {self.high:,} ({self.reason})"
        return None


ARITHMETIC = Bound(-JS_SAFE, JS_SAFE, "the whole numbers a browser holds exactly")
#: the network builder's sizes: Keras allocates their weights, so cnn_core counts them first
BUILDER = Bound(
    -JS_SAFE, JS_SAFE, "the builder refuses more than 20,000,000 parameters (80 MB) before building"
)
#: a unit, channel or image of what the page shows; the widget narrows it to the layer or set at hand
INDEX = Bound(0, JS_SAFE, "an index: the control's own range follows the layer or image set shown")

#: key (a regular expression matched in full) → bounds, page by page
NUMBERS: dict[str, Bound] = {
    # Convolution
    r"conv_(n_h|n_w|f|s|d|pad_p)|pool_(f|s)|nd_(n|f|k1|k2)|vol_seed": ARITHMETIC,
    r"(why|arch_w)_(height|width|channels_in|f|filters|s|p)": ARITHMETIC,
    "anim_n": Bound(3, 10, "meaning: every step is drawn; a 10x10 input already takes up to 100 steps"),
    "anim_f": Bound(1, 5, "meaning: the numbers of a larger filter no longer fit its cells"),
    "anim_p": Bound(0, 3, "meaning: more padding than 3 only adds zeros to the animation"),
    "anim_s": Bound(1, 3, "meaning: a larger stride skips most of a 10x10 input"),
    r"vol_(filters|which)": Bound(1, 4, "meaning: one row of grids per filter"),
    r"one_(seed|shrink_(height|width|channels_in|filters))": ARITHMETIC,
    "one_filters": Bound(1, 8, "meaning: the example shows one filter at a time; eight make the point"),
    r"one_(row|col|k)": INDEX,
    r"(anim|pool)_step": Bound(1, JS_SAFE, "an index: the slider's own range is the steps of this animation"),
    # Architectures
    r"arch_b_(height|width|channels_in|f|filters|bottleneck)": ARITHMETIC,
    r"arch_in_[HWC]|arch_l(10|[1-9])_(size|f|s|p)": BUILDER,
    "arch_layers": Bound(1, 10, "meaning: ten rows of controls"),
    # Activations
    r"act_(channel|row|col|digit)": INDEX,
    # Detection
    "det_score": Bound(0.01, 0.95, "meaning: a probability threshold"),
    "det_iou": Bound(0.05, 0.95, "meaning: an overlap threshold"),
    "det_rp_scale": Bound(20, 2000, "meaning: felzenszwalb's scale; beyond 2000 one region covers the photo"),
    "det_rp_n": Bound(1, 100, "time: each proposal is one network pass of the classifier"),
    "det_rp_score": Bound(0.0, 0.95, "meaning: a probability threshold"),
    "det_sw_window": Bound(64, 1024, "meaning: a window of the photo; the page's largest photos are 1024 px"),
    "det_sw_stride": Bound(16, 512, "time: a smaller stride means more windows, each one network pass"),
    r"det_loc_(bx|by)": Bound(0.0, 1.0, "meaning: a midpoint inside the image, (0, 0) to (1, 1)"),
    r"det_loc_(bh|bw)": Bound(0.01, 1.0, "meaning: a box inside the image, at most its height or width"),
    r"det_loc_yhat_[0-7]": Bound(-1.0, 2.0, "meaning: targets lie in [0, 1]; a bit outside shows the loss"),
    r"det_iou_[AB]_[xy]": Bound(0, 99, "meaning: a corner on the playground's 100x100 canvas"),
    r"det_iou_[AB]_[wh]": Bound(1, 100, "meaning: a side on the playground's 100x100 canvas"),
    "det_anchor_k": Bound(1, 9, "meaning: YOLOv3 uses 9 anchors (6 in its tiny version)"),
    "det_tiny": Bound(0.001, 0.2, "meaning: a probability just above zero, to show the raw candidates"),
    r"det_(row|col)_[01]": INDEX,
    r"det_nms_round_\d+": Bound(1, JS_SAFE, "an index: the control's own range is the rounds of this photo"),
    "det_enc_grid": Bound(3, 19, "meaning: the course's 3x3 grid up to the 19x19 it recommends"),
    r"det_enc_(tall|wide)_(w|h)": Bound(0.01, 1.0, "meaning: an anchor as a fraction of the image"),
    # Faces
    "faces_tau": Bound(0.1, 1.2, "meaning: distances between dlib's descriptors lie in this range"),
    "faces_alpha": Bound(0.0, 1.0, "meaning: a margin between distances"),
    # Style transfer
    "st_ratio": Bound(-9.0, -2.0, "meaning: log₁₀(α/β) outside this range gives a copy of one picture"),
    "st_steps": Bound(5, 1000, "time: every step is a forward and backward pass of the network"),
    r"st_(t|strength|w\d+)": Bound(0.0, 1.0, "meaning: a blend weight"),
    # Training
    "tr_epochs": Bound(1, 50, "time: a fine-tuning epoch at 224x224 takes seconds to minutes on a CPU"),
    "tr_k": Bound(1, 16, "meaning: EfficientNet-Lite0 has 16 MBConv blocks"),
    "tr_val": Bound(0.1, 0.5, "meaning: the share of each class kept for validation"),
    r"tr_(seed|aug_seed)": Bound(0, 9999, "meaning: a random seed"),
    "tr_n": Bound(1, 16, "meaning: one grid of random draws"),
    "tr_sigma": Bound(0.0, 3.0, "meaning: σ of PCA colour augmentation (AlexNet: 0.1)"),
}


def bound_of(key: str) -> Bound | None:
    """The bounds of the number control ``key``, or None when ``key`` is not a number control.

    >>> bound_of("arch_l3_f") is BUILDER, bound_of("conv_tab")
    (True, None)
    """
    return next((bound for pattern, bound in NUMBERS.items() if re.fullmatch(pattern, key)), None)
