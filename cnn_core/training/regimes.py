"""The course's transfer-learning regimes on an EfficientNet-Lite0 base, and from scratch.

The classifier is ``image (N, 224, 224, 3) RGB 0..255 → [augmentation] → Lite0 base → (N, 1280) →
Dense softmax (N, C)``, where the base is Lite0 up to its global average pool (``avg_pool``). What is
trained depends on the regime (notes, "Transfer Learning"):

- ``head``: little data. The whole base is frozen; only the new softmax learns. Its input, the frozen
  base's activations, is computed once and cached (``trainer.base_features``), so training costs one
  dense layer per epoch instead of a forward pass through 4.0 M weights.
- ``partial:K``: more data. The stem and the first K of the 16 MBConv blocks are frozen, the rest and
  the 1x1 ``top_conv`` are fine-tuned from the ImageNet weights (K = 1..16, block boundaries).
- ``full``: lots of data. Every convolution is fine-tuned, starting from the ImageNet weights (never a
  random start).
- ``scratch``: the contrast the course implies: the same network from a random (He/Glorot) start, all
  layers trained.

In the three pretrained regimes every BatchNormalization layer stays frozen (inference mode, ImageNet
statistics and scales kept), as the Keras transfer-learning guide advises for small batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnn_core.errors import ParameterError
from cnn_core.zoo.efficientnet_lite import block_specs, build_efficientnet_lite0

if TYPE_CHECKING:
    import keras

REGIME_KINDS = ("head", "partial", "full", "scratch")
#: the real block boundaries: partial:K freezes the stem and blocks 1..K of these 16
BLOCKS = tuple(prefix.rstrip("_") for prefix, *_ in block_specs())
FEATURES = 1280
BASE_NAME = "lite0_base"
HEAD_NAME = "head"


@dataclass(frozen=True)
class Regime:
    """What is trained: ``kind`` in REGIME_KINDS and, for ``partial``, ``frozen_blocks`` = K."""

    kind: str
    frozen_blocks: int = 0

    def __post_init__(self) -> None:
        if self.kind not in REGIME_KINDS:
            raise ParameterError(f"regime must be one of {', '.join(REGIME_KINDS)}, got '{self.kind}'")
        if self.kind == "partial" and not 1 <= self.frozen_blocks <= len(BLOCKS):
            raise ParameterError(
                f"partial:K needs K in 1..{len(BLOCKS)} (frozen MBConv blocks), got {self.frozen_blocks}"
            )

    @property
    def pretrained(self) -> bool:
        return self.kind != "scratch"

    def __str__(self) -> str:
        return f"partial:{self.frozen_blocks}" if self.kind == "partial" else self.kind


def parse_regime(text: str) -> Regime:
    """'head', 'partial:K', 'full' or 'scratch' → Regime.

    >>> parse_regime("partial:5"), str(parse_regime("head"))
    (Regime(kind='partial', frozen_blocks=5), 'head')
    >>> parse_regime("partial:x")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: partial:K needs a whole number K, got 'partial:x'
    """
    kind, _, k = text.strip().partition(":")
    if kind == "partial":
        if not k.strip().isdigit():
            raise ParameterError(f"partial:K needs a whole number K, got '{text}'")
        return Regime("partial", int(k))
    if k:
        raise ParameterError(f"only partial takes ':K', got '{text}'")
    return Regime(kind)


def layer_is_frozen(name: str, regime: Regime) -> bool:
    """Whether the base layer ``name`` is frozen in ``regime`` (BN layers: see the module docstring).

    >>> [layer_is_frozen(n, Regime("partial", 2)) for n in ("stem_conv", "block2a_dwconv", "block2b_dwconv")]
    [True, True, False]
    """
    if regime.kind == "head":
        return True
    if regime.kind == "scratch":
        return False
    if name.endswith("_bn"):
        return True
    if regime.kind == "full":
        return False
    frozen_prefixes = ("stem_", *(f"{block}_" for block in BLOCKS[: regime.frozen_blocks]))
    return name.startswith(frozen_prefixes)


def build_base(pretrained: keras.Model | None, regime: Regime, image_size: int) -> keras.Model:
    """Lite0 from RGB 0..255 (N, S, S, 3) to its pooled features (N, 1280), frozen per ``regime``.

    ``pretrained`` is an ImageNet Lite0 (e.g. the page's cached one): its weights are copied, never the
    model itself, so it is not changed. None builds one from the weight file.
    """
    import keras

    lite = build_efficientnet_lite0((image_size, image_size, 3), weights=False)
    if regime.pretrained:
        source = pretrained if pretrained is not None else build_efficientnet_lite0(weights=True)
        lite.set_weights(source.get_weights())
    base = keras.Model(lite.input, lite.get_layer("avg_pool").output, name=BASE_NAME)
    for layer in base.layers:
        layer.trainable = not layer_is_frozen(layer.name, regime)
    return base


def build_head(num_classes: int, seed: int) -> keras.layers.Dense:
    """The new softmax layer: (N, 1280) → (N, C), Glorot-uniform kernel drawn with ``seed``, zero bias."""
    import keras

    return keras.layers.Dense(
        num_classes,
        activation="softmax",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        name=HEAD_NAME,
    )


def head_model(num_classes: int, seed: int) -> keras.Model:
    """The softmax alone, on cached features: (N, 1280) → (N, C)."""
    import keras

    inputs = keras.Input((FEATURES,), name="features")
    return keras.Model(inputs, build_head(num_classes, seed)(inputs), name="head_on_features")


def build_classifier(
    base: keras.Model, num_classes: int, seed: int, augmentation: keras.Layer | None = None
) -> keras.Model:
    """image (N, S, S, 3) RGB 0..255 → [augmentation, active only in training] → base → softmax (N, C)."""
    import keras

    inputs = keras.Input(base.input_shape[1:], name="photo")
    x = augmentation(inputs) if augmentation is not None else inputs
    outputs = build_head(num_classes, seed)(base(x))
    return keras.Model(inputs, outputs, name="transfer_classifier")


#: the last convolutional activation of the base: where Grad-CAM looks (7x7x1280 at 224 px)
CAM_LAYER = "top_activation"


def flat_classifier(classifier: keras.Model) -> keras.Model:
    """The classifier as one flat graph, image → softmax: the base's own layers (shared weights) and a copy
    of the head, so that an inner layer such as CAM_LAYER and the head's input can be reached by name
    (``activations.feature_maps.grad_cam``)."""
    import keras

    base, head = classifier.get_layer(BASE_NAME), classifier.get_layer(HEAD_NAME)
    copy = keras.layers.Dense(head.units, activation="softmax", name=HEAD_NAME)
    outputs = copy(base.output)
    copy.set_weights(head.get_weights())
    return keras.Model(base.input, outputs, name="transfer_classifier_flat")


@dataclass(frozen=True)
class ParameterCounts:
    """Trainable and frozen parameters (BN moving statistics count as frozen)."""

    trainable: int
    frozen: int

    @property
    def total(self) -> int:
        return self.trainable + self.frozen


def parameter_counts(model: keras.Model) -> ParameterCounts:
    """Count ``model``'s trainable and non-trainable weights.

    >>> import keras
    >>> dense = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> parameter_counts(dense)
    ParameterCounts(trainable=8, frozen=0)
    """
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    return ParameterCounts(trainable, frozen)


def frozen_table(base: keras.Model) -> list[tuple[str, int, bool]]:
    """One row per weighted base layer: (name, parameters, frozen?), in network order."""
    return [
        (layer.name, sum(int(w.numpy().size) for w in layer.weights), not layer.trainable)
        for layer in base.layers
        if layer.weights
    ]
