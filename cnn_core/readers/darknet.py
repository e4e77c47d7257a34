"""Darknet ``.cfg`` and ``.weights`` files, read with plain Python and numpy.

A cfg is a list of ``[section]`` blocks of ``key=value`` lines (``#`` starts a comment). A weights file
(Redmon, darknet ``parser.c``) is a header of three int32 (major, minor, revision) and the count of
images seen (int64 from version 0.2, int32 before), then float32 values per convolutional layer in cfg
order: ``[beta, gamma, mean, var]`` when the layer is batch-normalised, else the bias, then the kernel
as (out, in, kh, kw).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnn_core.errors import ModelFileError


@dataclass(frozen=True)
class CfgSection:
    """One ``[type]`` block of a cfg file; ``options`` keeps the raw strings."""

    type: str
    options: dict[str, str] = field(default_factory=dict)

    def as_int(self, key: str, default: int | None = None) -> int:
        """The option ``key`` as an int (``default`` when absent)."""
        return int(self._raw(key, default))

    def as_ints(self, key: str) -> list[int]:
        """The comma-separated option ``key`` as a list of ints, e.g. ``layers = -1, 8``."""
        return [int(part) for part in self._raw(key, None).split(",") if part.strip()]

    def as_str(self, key: str, default: str | None = None) -> str:
        """The option ``key`` as a string (``default`` when absent)."""
        return self._raw(key, default).strip()

    def _raw(self, key: str, default: object) -> str:
        if key in self.options:
            return self.options[key]
        if default is None:
            raise ModelFileError(f"[{self.type}] section has no '{key}' option")
        return str(default)


@dataclass(frozen=True)
class ConvWeights:
    """The parameters of one darknet convolutional layer, already in Keras layout.

    ``kernel``: (kh, kw, in, out). With batch norm: ``gamma, beta, mean, var`` of shape (out,) and
    ``bias`` is None; without: ``bias`` (out,) and the four BN arrays are None.
    """

    kernel: np.ndarray
    bias: np.ndarray | None = None
    gamma: np.ndarray | None = None
    beta: np.ndarray | None = None
    mean: np.ndarray | None = None
    var: np.ndarray | None = None


def parse_cfg(text: str) -> list[CfgSection]:
    """Parse cfg text into its sections, in order.

    >>> [s.type for s in parse_cfg("[net]\\nwidth=416 # input\\n[convolutional]\\nfilters=16\\n")]
    ['net', 'convolutional']
    >>> parse_cfg("[net]\\n[route]\\nlayers = -1, 8\\n")[1].as_ints("layers")
    [-1, 8]
    """
    sections: list[CfgSection] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            sections.append(CfgSection(line[1:-1].strip()))
        elif "=" in line and sections:
            key, value = line.split("=", 1)
            sections[-1].options[key.strip()] = value.strip()
        else:
            raise ModelFileError(f"cfg line {number} is neither '[section]' nor 'key=value': {raw_line!r}")
    if not sections or sections[0].type not in {"net", "network"}:
        raise ModelFileError("cfg must start with a [net] section")
    return sections


def read_cfg(path: str | Path) -> list[CfgSection]:
    """Read and parse a darknet cfg file."""
    return parse_cfg(Path(path).read_text(encoding="utf-8"))


def _conv_specs(sections: list[CfgSection]) -> list[tuple[int, int, int, bool]]:
    """One (in_channels, filters, size, batch_normalize) tuple per convolutional section.

    Input channels are traced through the network: maxpool, upsample and shortcut keep them, a route
    concatenates the layers it names (negative indices count back from the route itself).
    """
    channels: list[int] = []  # output channels of every layer after [net]
    specs = []
    current = sections[0].as_int("channels", 3)
    for index, section in enumerate(sections[1:]):
        if section.type == "convolutional":
            filters = section.as_int("filters")
            specs.append(
                (current, filters, section.as_int("size"), bool(section.as_int("batch_normalize", 0)))
            )
            current = filters
        elif section.type == "route":
            current = sum(
                channels[layer if layer >= 0 else index + layer] for layer in section.as_ints("layers")
            )
        elif section.type not in {"maxpool", "upsample", "yolo", "shortcut"}:
            raise ModelFileError(f"layer {index} has unsupported type [{section.type}]")
        channels.append(current)
    return specs


def read_weights(path: str | Path, sections: list[CfgSection]) -> list[ConvWeights]:
    """Read a darknet ``.weights`` file for the network ``sections``; one entry per conv layer.

    The kernel is stored (out, in, kh, kw) and returned as Keras's (kh, kw, in, out) by
    ``transpose(2, 3, 1, 0)``. The file must hold exactly the values the cfg asks for.
    """
    data = Path(path).read_bytes()
    if len(data) < 20:
        raise ModelFileError(f"weights file {path} is too short ({len(data)} bytes) for a darknet header")
    major, minor, _revision = np.frombuffer(data, dtype="<i4", count=3)
    seen_bytes = 8 if major * 10 + minor >= 2 and major < 1000 and minor < 1000 else 4
    values = np.frombuffer(data, dtype="<f4", offset=12 + seen_bytes)
    specs = _conv_specs(sections)
    needed = sum(k * k * cin * cout + cout * (4 if bn else 1) for cin, cout, k, bn in specs)
    if values.size != needed:
        raise ModelFileError(
            f"weights file {path} holds {values.size:,} floats but the cfg needs {needed:,}; "
            "the cfg and the weights do not belong together"
        )
    layers = []
    offset = 0

    def take(count: int) -> np.ndarray:
        nonlocal offset
        offset += count
        return values[offset - count : offset].copy()

    for cin, cout, k, bn in specs:
        head = [take(cout) for _ in range(4 if bn else 1)]
        kernel = take(cout * cin * k * k).reshape(cout, cin, k, k).transpose(2, 3, 1, 0)  # (k, k, in, out)
        if bn:
            beta, gamma, mean, var = head
            layers.append(ConvWeights(kernel, gamma=gamma, beta=beta, mean=mean, var=var))
        else:
            layers.append(ConvWeights(kernel, bias=head[0]))
    return layers
