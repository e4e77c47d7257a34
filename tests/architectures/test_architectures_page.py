"""AppTest of every section of the Architectures page, including bad input and uploads."""

from __future__ import annotations

import json

import keras
import pytest
from keras import layers
from streamlit.testing.v1 import AppTest

from tests.apptest import PAGES, url_param

PAGE = str(PAGES / "architectures.py")


def _open(section: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    if section:
        at.query_params["arch_tab"] = section
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _errors(at: AppTest) -> str:
    return " | ".join(error.value for error in at.error)


@pytest.fixture(scope="module")
def keras_files(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("uploads")
    inputs = keras.Input((None, None, 3))
    x = layers.Conv2D(8, 3, name="conv")(inputs)
    open_size = keras.Model(inputs, layers.GlobalAveragePooling2D(name="gap")(x), name="open_size")
    lam = keras.Sequential([keras.Input((3,)), layers.Lambda(lambda t: t + 1)])
    files = {}
    for name, model in (("open_size", open_size), ("lambda", lam)):
        model.save(folder / f"{name}.keras")
        files[name] = (folder / f"{name}.keras").read_bytes()
    return files


def test_default_is_the_course_lenet5():
    at = _open()
    assert _metrics(at)["parameters"] == "62,006"
    picker = at.selectbox(key="arch_model")
    assert (picker.value, url_param(picker)) == ("lenet5", "arch_model")
    table = at.dataframe[0].value
    assert table.loc[table["name"] == "fc3", "params"].item() == 48_120


@pytest.mark.parametrize(
    ("name", "total", "trainable"),
    [("lenet5-1998", "60,840", "60,000"), ("plain50", "22,848,616", "22,803,176")],
)
def test_pick_a_model(name, total, trainable):
    at = _open()
    at.selectbox(key="arch_model").set_value(name).run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["parameters"] == total
    assert metrics["trainable"] == trainable
    picker = at.selectbox(key="arch_model")
    assert (picker.value, url_param(picker)) == (name, "arch_model")


def test_url_opens_a_model():
    assert _metrics(_open(arch_model="plain50"))["parameters"] == "22,848,616"


def test_block_drawings_come_from_the_builders():
    at = _open("Residual & Inception blocks")
    spec = at.get("graphviz_chart")[0].proto.spec
    assert '"input" -> "res3a_branch1" [label="56x56x256"]' in spec
    at.radio(key="arch_block").set_value("Inception module 3a (paper, 5x5)").run()
    spec = at.get("graphviz_chart")[0].proto.spec
    assert '"inception_3a_5x5_relu" -> "inception_3a_concat" [label="28x28x32"]' in spec


def test_bottleneck_calculator_course_numbers_and_errors():
    at = _open("1x1 bottleneck")
    metrics = _metrics(at)
    assert (metrics["direct"], metrics["with the 1x1 bottleneck"]) == ("120.4 M", "12.4 M")
    at.number_input(key="arch_b_bottleneck").set_value(0).run()
    assert "bottleneck must be ≥ 1, got 0" in _errors(at)
    control = at.number_input(key="arch_b_bottleneck")
    assert (control.value, url_param(control)) == (0, "arch_b_bottleneck")


def test_why_convolutions_course_numbers():
    at = _open("Why convolutions")
    assert _metrics(at)["conv 32x32x3 → 28x28x6"] == "456"
    assert _metrics(at)["fully connected, same shapes"] == "14,455,392"
    at.number_input(key="arch_w_f").set_value(40).run()
    assert "the filter spans 40 pixels but the padded input has only 32" in _errors(at)


def test_build_your_own_gives_an_immediate_precise_error():
    at = _open("Build your own")
    assert _metrics(at)["parameters"] == "62,006"
    at.number_input(key="arch_l3_f").set_value(15).run()
    assert (
        "layer 3 (conv 15x15, s=1, p=0, 16 filters) gets a 14x14x6 input: the filter spans 15 pixels but "
        "the padded input has only 14"
    ) in _errors(at)
    assert not at.metric
    at.number_input(key="arch_l3_p").set_value(5).run()  # (14 + 10 - 15) + 1 = 10: the same shape again
    conv3 = 15 * 15 * 6 * 16 + 16
    assert "14x14x6 → 10x10x16 → 5x5x16" in at.caption[0].value
    assert _metrics(at)["parameters"] == f"{62_006 - 2416 + conv3:,}"
    at.selectbox(key="arch_l2_kind").set_value("avgpool").run()
    at.number_input(key="arch_layers").set_value(8).run()
    assert _metrics(at)["parameters"] == f"{62_006 - 2416 + conv3 + 10 * 10 + 10:,}"


def test_upload_with_an_open_input_size(keras_files):
    at = _open("Open your own model")
    at.file_uploader(key="arch_upload").set_value(
        ("open.keras", keras_files["open_size"], "application/zip")
    ).run()
    assert not at.exception
    assert _metrics(at)["parameters"] == "224"
    assert _metrics(at)["multiply-adds"] == f"{222 * 222 * 8 * 27 / 1e6:.1f} M"
    at.number_input(key="arch_upload_axis0").set_value(10).run()
    at.number_input(key="arch_upload_axis1").set_value(10).run()
    assert _metrics(at)["multiply-adds"] == f"{8 * 8 * 8 * 27 / 1e3:.1f} k"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("lambda", "Lambda layer, i.e. Python code; it is refused"),
        (b"not a zip at all", "this is not a .keras file"),
        ("truncated", "this is not a .keras file"),
    ],
)
def test_bad_uploads_show_a_clear_message(keras_files, content, message):
    data = {"lambda": keras_files["lambda"], "truncated": keras_files["open_size"][:300]}.get(
        content, content
    )
    at = _open("Open your own model")
    at.file_uploader(key="arch_upload").set_value(("bad.keras", data, "application/zip")).run()
    assert not at.exception
    assert message in _errors(at)


def test_compare_two_models():
    at = _open("Compare", arch_cmp_a="lenet5", arch_cmp_b="lenet5-1998")
    table = at.table[0].value
    assert list(table.columns) == ["LeNet-5 (course version)", "LeNet-5 (1998 original)"]  # not ids
    assert table.loc["parameters"].tolist() == ["62,006", "60,840"]


@pytest.mark.parametrize(("name", "longest"), [("vgg16", "block1_conv1"), ("resnet50", "res2a_branch2a")])
def test_layer_names_are_never_cut(name, longest):
    """Issue 13: the table showed "block1_co". The name column is pinned and, at the 14-px font's ~7 px a
    character plus ~16 px of cell padding, wide enough for the model's longest layer name."""
    at = _open(arch_model=name)
    names = at.dataframe[0].value["name"].tolist()
    assert longest in names and max(map(len, names)) == len(longest)
    config = json.loads(at.dataframe[0].proto.columns)["name"]
    assert config["pinned"] and config["width"] >= 7 * len(longest) + 16


def _view(at: AppTest) -> dict:
    """What the open tab shows: its metrics, tables, block drawings and error messages."""
    return {
        "metrics": _metrics(at),
        "tables": [table.value.to_dict() for table in at.table],
        "drawings": [chart.proto.spec for chart in at.get("graphviz_chart")],
        "errors": _errors(at),
    }


@pytest.mark.parametrize(
    ("old_link", "new_link", "expected"),
    [
        ({"model": "lenet5-1998"}, {"arch_model": "lenet5-1998"}, {"parameters": "60,840"}),
        (  # 28·28·8·192 + 28·28·32·5·5·8 = 1,204,224 + 5,017,600 multiplies
            {"tab": "1x1 bottleneck", "b_bottleneck": "8"},
            {"arch_tab": "1x1 bottleneck", "arch_b_bottleneck": "8"},
            {"with the 1x1 bottleneck": "6.2 M"},
        ),
        (  # 3x3 filters: 30x30x6 out; 3·3·3·6 + 6 and 3072·5400 + 5400 parameters
            {"tab": "Why convolutions", "w_f": "3"},
            {"arch_tab": "Why convolutions", "arch_w_f": "3"},
            {"conv 32x32x3 → 30x30x6": "168", "fully connected, same shapes": "16,594,200"},
        ),
        (
            {"tab": "Residual & Inception blocks", "block": "Inception module 3a (paper, 5x5)"},
            {"arch_tab": "Residual & Inception blocks", "arch_block": "Inception module 3a (paper, 5x5)"},
            {},
        ),
        (
            {"tab": "Compare", "a": "lenet5", "b": "lenet5-1998"},
            {"arch_tab": "Compare", "arch_cmp_a": "lenet5", "arch_cmp_b": "lenet5-1998"},
            {},
        ),
    ],
)
def test_an_old_link_opens_the_same_view(old_link, new_link, expected):
    old, new = _view(_open(**old_link)), _view(_open(**new_link))
    assert old == new
    assert expected.items() <= old["metrics"].items()
    if "block" in old_link:
        assert '"inception_3a_5x5_relu" -> "inception_3a_concat" [label="28x28x32"]' in old["drawings"][0]
    if "a" in old_link:
        assert old["tables"][0]["LeNet-5 (course version)"]["parameters"] == "62,006"
        assert old["tables"][0]["LeNet-5 (1998 original)"]["parameters"] == "60,840"


def _infos(at: AppTest) -> str:
    return " | ".join(info.value for info in at.info)


@pytest.mark.parametrize(
    ("name", "total", "note"),
    [
        ("alexnet-2012", "60,965,224", "groups=2 convolutions"),
        ("inception-v1-paper", "6,998,552", "auxiliary classifiers"),
        ("inception-v1", "6,639,464", "the inception_*_5x5 layers are 3x3 here"),
        ("alexnet", "61,100,840", "alexnet-2012 (60,965,224)"),
    ],
)
def test_paper_versions_and_their_notes_in_explore(name, total, note):
    at = _open(arch_model=name)
    assert _metrics(at)["parameters"] == total
    assert note in _infos(at)


def test_compare_shows_both_inception_versions_with_their_notes():
    at = _open("Compare", arch_cmp_a="inception-v1", arch_cmp_b="inception-v1-paper")
    table = at.table[0].value
    assert table.loc["parameters"].tolist() == ["6,639,464", "6,998,552"]
    assert "are 3x3 here" in _infos(at) and "auxiliary classifiers" in _infos(at)


def _course_table(at: AppTest):
    return at.dataframe[0].value


def test_builder_presets_load_the_notes_stacks():
    at = _open("Build your own")
    picker = at.selectbox(key="arch_preset")
    assert (picker.value, url_param(picker)) == ("CNN Example (drawing)", "arch_preset")
    table = _course_table(at)
    assert table["# parameters"].tolist() == [0, 456, 0, 2416, 0, 48_120, 10_164, 850]
    assert set(table["notes (CNN Example)"]) == {"✓"}

    picker.set_value("CNN Example (table)").run()
    assert not at.exception
    assert _metrics(at)["parameters"] == "62,958"  # 608 + 3,216 + 48,120 + 10,164 + 850
    table = _course_table(at)
    assert table["activation size"].tolist() == [3072, 6272, 1568, 1600, 400, 120, 84, 10]
    assert table["notes (CNN Example)"].tolist()[:2] == ["✓", "✗ # parameters 208 → 608"]
    assert (
        "has 5 wrong rows" in at.warning[0].value
        and "FC3: # parameters 48,001 → 48,120" in at.warning[0].value
    )

    at.selectbox(key="arch_preset").set_value("Simple ConvNet (39x39x3)").run()
    assert at.caption[0].value == "39x39x3 → 37x37x10 → 17x17x20 → 7x7x40 → 1"
    assert _metrics(at)["parameters"] == f"{280 + 5020 + 20_040 + 1961:,}"
    assert _course_table(at)["activation size"].tolist() == [4563, 13_690, 5780, 1960, 1]

    at.number_input(key="arch_l2_size").set_value(30).run()  # edited: the notes' column goes
    assert "notes (Simple Convolutional Network Example)" not in _course_table(at).columns
    assert "changed from the preset" in at.caption[1].value
    assert _metrics(at)["parameters"] == f"{280 + (25 * 10 + 1) * 30 + (25 * 30 + 1) * 40 + 1961:,}"


def test_a_link_naming_a_preset_opens_its_stack():
    at = _open("Build your own", arch_preset="Simple ConvNet (39x39x3)")
    assert at.caption[0].value == "39x39x3 → 37x37x10 → 17x17x20 → 7x7x40 → 1"
    assert _metrics(at)["parameters"] == "27,301"
