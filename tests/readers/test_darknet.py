"""Our darknet reader on hand-built files (layout known by construction) and on the real YOLOv3-tiny files."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ModelFileError
from cnn_core.readers.darknet import parse_cfg, read_cfg, read_weights
from cnn_core.weights import weight_path

TINY_CFG = """
[net]
channels=2   # two input channels
[convolutional]
batch_normalize=1
filters=3
size=3
activation=leaky
[maxpool]
size=2
stride=2
[convolutional]
filters=2
size=1
activation=linear
[route]
layers = -1, -3
[convolutional]
filters=1
size=1
"""


def _weights_file(tmp_path, values: np.ndarray, version=(0, 2, 0)) -> str:
    header = np.array(version, dtype="<i4").tobytes()
    seen = np.array([12345], dtype="<i8" if version[0] * 10 + version[1] >= 2 else "<i4").tobytes()
    path = tmp_path / "tiny.weights"
    path.write_bytes(header + seen + values.astype("<f4").tobytes())
    return str(path)


def test_parse_cfg_sections_options_and_comments():
    sections = parse_cfg(TINY_CFG)
    assert [s.type for s in sections] == [
        "net",
        "convolutional",
        "maxpool",
        "convolutional",
        "route",
        "convolutional",
    ]
    assert sections[0].as_int("channels") == 2
    assert sections[1].as_str("activation") == "leaky"
    assert sections[4].as_ints("layers") == [-1, -3]
    assert sections[5].as_int("batch_normalize", 0) == 0
    with pytest.raises(ModelFileError, match="no 'stride' option"):
        sections[1].as_int("stride")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[convolutional]\nfilters=1\n", "must start with a \\[net\\]"),
        ("", "must start with a \\[net\\]"),
        ("[net]\nthis line is wrong\n", "cfg line 2 is neither"),
    ],
)
def test_parse_cfg_rejects_malformed_text(text, message):
    with pytest.raises(ModelFileError, match=message):
        parse_cfg(text)


@pytest.mark.parametrize("version", [(0, 2, 0), (0, 1, 0)])  # int64 vs int32 "seen" counter
def test_read_weights_layout_and_order(tmp_path, version):
    # conv 3x3, 2 -> 3 with BN; conv 1x1, 3 -> 2 with bias; route concatenates 2 + 3 = 5; conv 1x1, 5 -> 1
    count = (4 * 3 + 3 * 2 * 3 * 3) + (2 + 2 * 3) + (1 + 1 * 5)
    values = np.arange(count, dtype=np.float32)
    layers = read_weights(_weights_file(tmp_path, values, version), parse_cfg(TINY_CFG))
    first, second, third = layers
    np.testing.assert_array_equal(first.beta, [0, 1, 2])
    np.testing.assert_array_equal(first.gamma, [3, 4, 5])
    np.testing.assert_array_equal(first.mean, [6, 7, 8])
    np.testing.assert_array_equal(first.var, [9, 10, 11])
    assert first.bias is None and first.kernel.shape == (3, 3, 2, 3)
    # darknet stores weight[out][in][ky][kx] consecutively: value = 12 + ((o·2 + i)·3 + ky)·3 + kx
    for o, i, ky, kx in [(0, 0, 0, 0), (2, 1, 2, 1), (1, 0, 1, 2)]:
        assert first.kernel[ky, kx, i, o] == 12 + ((o * 2 + i) * 3 + ky) * 3 + kx
    np.testing.assert_array_equal(second.bias, [66, 67])
    assert second.gamma is None and second.kernel.shape == (1, 1, 3, 2)
    assert second.kernel[0, 0, 2, 1] == 68 + 1 * 3 + 2
    assert third.kernel.shape == (1, 1, 5, 1) and third.bias.tolist() == [74]


def test_read_weights_refuses_wrong_length(tmp_path):
    with pytest.raises(ModelFileError, match="holds 10 floats but the cfg needs 80"):
        read_weights(_weights_file(tmp_path, np.zeros(10)), parse_cfg(TINY_CFG))
    short = tmp_path / "short.weights"
    short.write_bytes(b"\0" * 8)
    with pytest.raises(ModelFileError, match="too short"):
        read_weights(short, parse_cfg(TINY_CFG))


def test_unsupported_layer_type_is_named():
    with pytest.raises(ModelFileError, match="unsupported type \\[lstm\\]"):
        read_weights(weight_path("yolov3-tiny.weights"), parse_cfg("[net]\n[lstm]\nsize=1\n"))


def test_real_yolov3_tiny_files():
    sections = read_cfg(weight_path("yolov3-tiny.cfg"))
    layers = read_weights(weight_path("yolov3-tiny.weights"), sections)
    assert len(layers) == 13
    total = sum(
        sum(a.size for a in (w.kernel, w.bias, w.gamma, w.beta, w.mean, w.var) if a is not None)
        for w in layers
    )
    assert total == 8_858_734  # docs/weights.md: the file holds exactly this many floats
    assert layers[0].kernel.shape == (3, 3, 3, 16)
    assert layers[-1].kernel.shape == (1, 1, 256, 255) and layers[-1].bias.shape == (255,)
    assert all((w.var > 0).all() for w in layers if w.var is not None)  # variances are variances
