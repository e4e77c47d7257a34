"""Why convolutions: the parameters of one conv layer against a fully connected layer between the same
volumes. Two pages show it (Convolution › Over volumes, Architectures › Why convolutions), each with its own
key prefix; the numbers come from ``cnn_core.conv.costs.conv_vs_dense``.
"""

from __future__ import annotations

import streamlit as st

from app_support.shared.ui import number_row, show_error
from cnn_core.conv.costs import conv_vs_dense
from cnn_core.errors import CNNLabError

#: conv_vs_dense's arguments → (label, default: the course's 32x32x3 → 5x5 conv, 6 filters → 28x28x6)
CONTROLS = {
    "height": ("height n_H", 32),
    "width": ("width n_W", 32),
    "channels_in": ("channels n_C", 3),
    "f": ("filter f", 5),
    "filters": ("filters", 6),
    "s": ("stride s", 1),
    "p": ("padding p", 0),
}


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape))


def why_convolutions(prefix: str) -> None:
    """Conv vs fully connected parameters, (f·f·n_C + 1)·filters against (n_H·n_W·n_C + 1)·outputs.

    Every control is bound to the URL as ``?{prefix}_{name}=`` with ``name`` a key of ``CONTROLS``.
    """
    values = number_row(CONTROLS, prefix)
    try:
        result = conv_vs_dense(**values)
    except CNNLabError as err:
        show_error(err)
        return
    f, channels, filters = values["f"], values["channels_in"], values["filters"]
    shape_in, shape_out = _shape(result.input_shape), _shape(result.output_shape)
    output, conv, dense, ratio = st.columns(4)
    output.metric("output", shape_out)
    conv.metric(f"conv {shape_in} → {shape_out}", f"{result.conv_params:,}")
    dense.metric("fully connected, same shapes", f"{result.dense_params:,}")
    ratio.metric("ratio", f"{result.ratio:,.0f}x")
    st.markdown(
        f"Conv layer: {f}·{f}·{channels}·{filters} + {filters} = **{result.conv_params:,}** parameters. "
        f"Fully connected {shape_in} → {shape_out}: one weight per input–output pair plus a bias per output, "
        f"**{result.dense_params:,}** parameters.  \n"
        f"**Parameter sharing:** one {f}x{f}x{channels} filter (+ bias) per output channel is reused at "
        f"every position. **Sparse connections:** each output reads {result.conv_inputs_per_output:,} inputs "
        f"instead of all {result.dense_inputs_per_output:,}."
    )
