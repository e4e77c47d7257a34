"""The course's identity and convolutional blocks, the Inception module, and their drawings."""

from __future__ import annotations

import re

import pytest

from cnn_core.architectures.block_diagram import summary_to_dot
from cnn_core.architectures.summary import summarize
from cnn_core.errors import ParameterError
from cnn_core.zoo import inception, resnet


def _edges(dot: str) -> set[tuple[str, str, str]]:
    return set(re.findall(r'"([^"]+)" -> "([^"]+)" \[label="([^"]+)"\]', dot))


def test_identity_block_follows_the_notebook():
    spec = resnet.BottleneckSpec("2b", (64, 64, 256), f=3, s=1, shortcut="identity")
    summary = summarize(resnet.block_model(spec, (56, 56, 256)))
    rows = {row.name: row for row in summary.rows}
    assert [rows[f"res2b_branch2{c}"].kernel for c in "abc"] == ["1x1", "3x3", "1x1"]
    assert [rows[f"res2b_branch2{c}"].padding for c in "abc"] == ["valid", "same", "valid"]
    # by hand: 1x1 256→64, 3x3 64→64, 1x1 64→256 (with bias), and 4 numbers per BatchNorm channel
    convs = (256 * 64 + 64) + (9 * 64 * 64 + 64) + (64 * 256 + 256)
    assert summary.total_params == convs + 4 * (64 + 64 + 256)
    assert rows["res2b_out"].output_shape == (56, 56, 256)
    assert not any(name.endswith("branch1") for name in rows)
    edges = _edges(summary_to_dot(summary))
    assert ("input", "res2b_add", "56x56x256") in edges  # the shortcut skips the main path
    assert ("bn2b_branch2c", "res2b_add", "56x56x256") in edges


def test_convolutional_block_has_a_strided_shortcut_conv():
    spec = resnet.BottleneckSpec("3a", (128, 128, 512), f=3, s=2, shortcut="conv")
    summary = summarize(resnet.block_model(spec, (56, 56, 256)))
    rows = {row.name: row for row in summary.rows}
    assert rows["res3a_branch2a"].stride == "2" and rows["res3a_branch1"].stride == "2"
    assert rows["res3a_branch1"].params == 256 * 512 + 512
    assert rows["res3a_out"].output_shape == (28, 28, 512)
    edges = _edges(summary_to_dot(summary))
    assert ("input", "res3a_branch1", "56x56x256") in edges
    assert ("bn3a_branch1", "res3a_add", "28x28x512") in edges
    assert ("res3a_branch2a", "bn3a_branch2a", "28x28x128") in edges


def test_plain_block_has_no_shortcut():
    spec = resnet.BottleneckSpec("3a", (128, 128, 512), s=2, shortcut="none")
    edges = _edges(summary_to_dot(summarize(resnet.block_model(spec, (56, 56, 256)))))
    assert {target for source, target, _ in edges if source == "input"} == {"res3a_branch2a"}
    assert not any("add" in target for _, target, _ in edges)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"s": 2, "shortcut": "identity"}, "identity block keeps its shape, so s must be 1, got 2"),
        ({"shortcut": "skip"}, "shortcut must be 'identity', 'conv' or 'none', got 'skip'"),
        ({"f": 0}, "f and s must be ≥ 1, got f=0"),
    ],
)
def test_bad_block_specs(kwargs, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        resnet.BottleneckSpec("2a", (64, 64, 256), **kwargs)


def test_resnet50_blocks_and_their_input_shapes(zoo_model):
    blocks = resnet.resnet50_blocks()
    assert len(blocks) == 16 and [b.shortcut for b in blocks].count("conv") == 4
    model = zoo_model("resnet50")
    for spec, shape in zip(blocks, resnet.block_input_shapes(blocks), strict=True):
        assert tuple(model.get_layer(f"res{spec.name}_branch2a").input.shape[1:]) == shape


def test_inception_module_3a_is_the_course_example():
    spec = inception.MODULES[0]
    summary = summarize(inception.module_model(spec, (28, 28, 192)))
    rows = {row.name: row for row in summary.rows}
    assert rows["inception_3a_concat"].output_shape == (28, 28, 256)
    assert (
        rows["inception_3a_5x5"].kernel == "5x5"
    )  # the paper's module; the zoo model uses 3x3 (torchvision)
    assert rows["inception_3a_5x5_reduce"].output_shape == (28, 28, 16)
    # the 1x1 bottleneck in front of the 5x5 conv: 28·28·16·192 + 28·28·32·5·5·16 multiply-adds
    assert rows["inception_3a_5x5_reduce"].macs + rows["inception_3a_5x5"].macs == 2_408_448 + 10_035_200
    edges = _edges(summary_to_dot(summary))
    into_concat = {source for source, target, _ in edges if target == "inception_3a_concat"}
    assert into_concat == {f"inception_3a_{b}_relu" for b in ("1x1", "3x3", "5x5", "pool_proj")}
    assert ("inception_3a_5x5_relu", "inception_3a_concat", "28x28x32") in edges
    assert ("input", "inception_3a_pool", "28x28x192") in edges


def test_inception_module_input_shapes(zoo_model):
    model = zoo_model("inception-v1")
    modules = inception.inception_v1_modules()
    for spec, shape in zip(modules, inception.module_input_shapes(modules), strict=True):
        assert tuple(model.get_layer(f"inception_{spec.name}_1x1").input.shape[1:]) == shape
    with pytest.raises(ParameterError, match=r"wide_kernel must be 3 \(torchvision\) or 5 \(paper\), got 7"):
        inception.InceptionSpec("x", 1, 1, 1, 1, 1, 1, wide_kernel=7)


def test_dot_labels_and_escaping():
    from cnn_core.architectures.summary import LayerRow, ModelSummary

    row = LayerRow('a"b', "Conv2D", "conv", "3x3", "1", "same", "relu", ((8, 8, 4),), 10, 10, 5, 1)
    dot = summary_to_dot(ModelSummary("m", (row,), 10, 10), rankdir="TB")
    assert '"a\\"b" [label="Conv2D 3x3, s=1, same + relu\\na\\"b"' in dot
    assert "rankdir=TB" in dot
