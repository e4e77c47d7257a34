"""Two cost comparisons from the course: the 1x1 bottleneck, and a conv layer vs a fully connected one.

Bottleneck (Szegedy et al. 2015; Lin et al. 2013, "Network in network"): a stride-1 "same" f x f
convolution (output H x W: at stride 1 the course's and TensorFlow's "same" agree) with C_out filters on
an H x W x C_in volume costs H·W·C_out·f·f·C_in multiplies; squeezing the volume to C_mid channels with a
1x1 convolution first costs H·W·C_mid·C_in + H·W·C_out·f·f·C_mid. The course's example, 28x28x192 → 5x5
conv with 32 filters, is 120.4 M directly and 12.4 M with a 16-channel bottleneck.

Conv vs fully connected: the conv layer shares one f x f x C_in filter (plus bias) per output channel
over every position, (f·f·C_in + 1)·C_out parameters, while a fully connected layer between the same
two volumes has one weight per input-output pair: the course's 32x32x3 → 28x28x6 is 456 vs 14,455,392.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnn_core.conv.arithmetic import Padding, output_size, require_positive_int
from cnn_core.conv.parameters import conv_multiplies, conv_params, dense_params


@dataclass(frozen=True)
class BottleneckCost:
    """Multiplies and parameters of the direct f x f conv and of the 1x1-then-f x f pair."""

    direct_multiplies: int
    reduce_multiplies: int
    expand_multiplies: int
    direct_params: int
    bottleneck_params: int

    @property
    def bottleneck_multiplies(self) -> int:
        return self.reduce_multiplies + self.expand_multiplies

    @property
    def saving(self) -> float:
        """How many times fewer multiplies the bottleneck needs."""
        return self.direct_multiplies / self.bottleneck_multiplies


def bottleneck_cost(
    height: int, width: int, channels_in: int, f: int, filters: int, bottleneck: int
) -> BottleneckCost:
    """Costs of a stride-1 "same" f x f conv with ``filters`` filters on height x width x channels_in,
    directly and through a 1x1 conv to ``bottleneck`` channels.

    >>> cost = bottleneck_cost(28, 28, 192, 5, 32, 16)
    >>> cost.direct_multiplies, cost.reduce_multiplies, cost.expand_multiplies
    (120422400, 2408448, 10035200)
    >>> round(cost.saving, 2)
    9.68
    """
    require_positive_int("bottleneck", bottleneck)
    reduce = conv_multiplies(height, width, bottleneck, 1, channels_in)
    expand = conv_multiplies(height, width, filters, f, bottleneck)
    return BottleneckCost(
        direct_multiplies=conv_multiplies(height, width, filters, f, channels_in),
        reduce_multiplies=reduce,
        expand_multiplies=expand,
        direct_params=conv_params(f, channels_in, filters),
        bottleneck_params=conv_params(1, channels_in, bottleneck) + conv_params(f, bottleneck, filters),
    )


@dataclass(frozen=True)
class ConvVsDense:
    """Parameters and per-output connections of a conv layer and of a dense layer on the same shapes."""

    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    conv_params: int
    dense_params: int
    conv_inputs_per_output: int
    dense_inputs_per_output: int

    @property
    def ratio(self) -> float:
        """How many times more parameters the dense layer needs."""
        return self.dense_params / self.conv_params


def conv_vs_dense(
    height: int, width: int, channels_in: int, f: int, filters: int, s: int = 1, p: Padding = 0
) -> ConvVsDense:
    """Compare a conv layer (f, s, p, ``filters``) on height x width x channels_in with a dense layer
    mapping the same input volume to the same output volume.

    >>> result = conv_vs_dense(32, 32, 3, 5, 6)
    >>> result.output_shape, result.conv_params, result.dense_params
    ((28, 28, 6), 456, 14455392)
    """
    out_h, out_w = output_size(height, f, p, s), output_size(width, f, p, s)
    inputs = height * width * channels_in
    return ConvVsDense(
        input_shape=(height, width, channels_in),
        output_shape=(out_h, out_w, filters),
        conv_params=conv_params(f, channels_in, filters),
        dense_params=dense_params(inputs, out_h * out_w * filters),
        conv_inputs_per_output=f * f * channels_in,
        dense_inputs_per_output=inputs,
    )
