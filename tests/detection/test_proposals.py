"""Region proposals (felzenszwalb + selective-search merging) and R-CNN's classification of the regions,
against hand-built images, hand-computed merges and hand-counted multiply-adds."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from cnn_core.detection.proposals import (
    merge_hierarchy,
    propose_regions,
    ranked_boxes,
    region_features,
    similarity,
)
from cnn_core.errors import ImageError, ParameterError
from cnn_core.images import sample_image

#: three flat rectangles (x1, y1, x2, y2) and their colours on a grey 240 x 320 background
RECTANGLES = [
    ((30, 40, 110, 150), (200, 30, 30)),
    ((150, 20, 290, 90), (30, 160, 40)),
    ((170, 130, 260, 220), (40, 60, 210)),
]
#: ImageNet's cat classes: tabby, tiger cat, Persian, Siamese, Egyptian cat
CATS = set(range(281, 286))


def _iou(a, b) -> float:
    """Intersection over union of two x1, y1, x2, y2 boxes, written out."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(w, 0) * max(h, 0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def _rectangles_image() -> np.ndarray:
    image = np.full((240, 320, 3), 128, np.uint8)
    for (x1, y1, x2, y2), colour in RECTANGLES:
        image[y1:y2, x1:x2] = colour
    return image


@pytest.mark.parametrize("scale", [50, 200, 800])
def test_each_flat_rectangle_is_proposed(scale):
    boxes = propose_regions(_rectangles_image(), scale)
    for rectangle, _ in RECTANGLES:
        assert max(_iou(rectangle, box) for box in boxes) > 0.9, rectangle


@pytest.mark.parametrize("name", ["astronaut", "coffee", "stereo_motorcycle", "chelsea"])
def test_boxes_lie_inside_the_photo(name):
    image = sample_image(name)
    height, width = image.shape[:2]
    boxes = propose_regions(image)
    assert len(boxes) > 10
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 1] >= 0).all()
    assert (boxes[:, 2] <= width).all() and (boxes[:, 3] <= height).all()
    assert (boxes[:, 2] > boxes[:, 0]).all() and (boxes[:, 3] > boxes[:, 1]).all()
    assert len(np.unique(boxes.round(3), axis=0)) == len(boxes)  # no two alike
    assert (propose_regions(image) == boxes).all()  # pure: the same boxes again
    assert (propose_regions(image, limit=7) == boxes[:7]).all()


def test_bad_arguments_are_named():
    with pytest.raises(ParameterError, match=r"scale must be in 1\.\.100000, got 0"):
        propose_regions(_rectangles_image(), 0)
    with pytest.raises(ParameterError, match="limit must be ≥ 1, got 0"):
        propose_regions(_rectangles_image(), limit=0)
    with pytest.raises(ImageError, match="uint8"):
        propose_regions(np.zeros((40, 40), np.uint8))


def test_region_features_by_hand():
    labels = np.array([[0, 0, 1, 1], [0, 2, 2, 1], [3, 3, 3, 3]])
    image = np.zeros((3, 4, 3), np.uint8)
    image[labels == 1] = 255  # region 1 white: bin 24 of each channel
    regions = region_features(image, labels)
    assert regions.sizes.tolist() == [3, 3, 2, 4]
    assert regions.boxes.tolist() == [[0, 0, 2, 2], [2, 0, 4, 2], [1, 1, 3, 2], [0, 2, 4, 3]]
    assert sorted(regions.pairs) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    white = np.zeros(75)
    white[[24, 49, 74]] = 1 / 3
    assert regions.histograms[1].tolist() == white.tolist()
    assert regions.histograms[0][[0, 25, 50]].tolist() == [1 / 3] * 3


def test_similarity_by_hand():
    """Half the colour mass shared (0.5), sizes 10 + 30 of 200 (0.8), box 8x10 = 80 with 40 gaps (0.8)."""
    a, b = np.zeros(75), np.zeros(75)
    a[[0, 1]] = 0.5
    b[[1, 2]] = 0.5
    assert similarity(10, 30, a, b, np.array([0, 0, 8, 10]), 200) == pytest.approx(0.5 + 0.8 + 0.8)


def test_merge_order_by_hand():
    """Four regions in a row, colours black, black, white, white: each same-coloured pair merges first
    (left pair first: equal scores go to the smaller indices), then the two halves."""
    labels = np.array([[0, 0, 1, 1, 2, 2, 3, 3]])
    image = np.zeros((1, 8, 3), np.uint8)
    image[0, 4:] = 255
    hierarchy = merge_hierarchy(region_features(image, labels), labels.size)
    assert hierarchy.merges == ((0, 1), (2, 3), (4, 5))
    assert hierarchy.boxes[4:].tolist() == [[0, 0, 4, 1], [4, 0, 8, 1], [0, 0, 8, 1]]
    assert ranked_boxes(hierarchy, 4)[:3].tolist() == [[0, 0, 8, 1], [4, 0, 8, 1], [0, 0, 4, 1]]


def test_only_neighbours_merge():
    """Regions 0 and 2 share their colour but not a border: 0 first joins its neighbour 1 (colour 0 +
    size 1 − 2/3 + fill 1 = 1.33 for the pair (0, 1), equal to (1, 2), so the smaller pair wins)."""
    labels = np.array([[0, 1, 2]])
    image = np.array([[[0, 0, 0], [255, 255, 255], [0, 0, 0]]], np.uint8)
    hierarchy = merge_hierarchy(region_features(image, labels), 3)
    assert hierarchy.merges == ((0, 1), (2, 3))


@pytest.fixture(scope="module")
def lite0():
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    return build_efficientnet_lite0()


def test_classify_regions_finds_the_cat(lite0):
    from cnn_core.detection.rcnn import classify_regions, keep_regions

    image = sample_image("chelsea")  # 451 x 300, the cat's head left of the middle
    boxes = np.array([[0, 0, 451, 300], [60, 0, 330, 300]])
    labels = classify_regions(lite0, image, boxes)
    assert labels.probabilities.shape == (2, 1000)
    for p in labels.probabilities:
        assert CATS & set(np.argsort(-p)[:5].tolist())
        assert p.sum() == pytest.approx(1, abs=1e-4)
    assert labels.class_id.tolist() == labels.probabilities.argmax(axis=1).tolist()
    # both boxes see the same cat: per-class NMS keeps the better one when they overlap (IoU 270/451)
    assert len(keep_regions(labels, 0.0, 0.5)) == (2 if labels.class_id[0] != labels.class_id[1] else 1)
    with pytest.raises(ParameterError, match=r"score threshold must be in \[0, 1\)"):
        keep_regions(labels, 1.5, 0.5)


def test_crop_spans_by_hand():
    from cnn_core.detection.rcnn import _span, crops

    assert _span(10.2, 50.7, 100) == (10, 51)
    assert _span(3, 5, 100) == (3, 19)  # widened to 16 pixels
    assert _span(90, 99, 100) == (84, 100)  # widened to the left at the border
    image = np.zeros((60, 80, 3), np.uint8)
    image[20:40, 30:60] = 90
    assert (crops(image, np.array([[30, 20, 60, 40]]), 32) == 90).all()


def _lite0_macs(height: int, width: int) -> tuple[int, int]:
    """Multiply-adds of EfficientNet-Lite0 written out from its stage table: (trunk up to the last block
    with its BN, head = 1x1 conv 320→1280 + BN + dense 1280→1000 at 7x7), TF "same" sizes ⌈n/s⌉, one
    per BN output value."""
    from cnn_core.zoo.efficientnet_lite import STAGES

    h, w = math.ceil(height / 2), math.ceil(width / 2)
    total = h * w * 27 * 32 + h * w * 32  # stem 3x3x3 → 32, BN
    for repeats, kernel, stride, expand, c_in, c_out in STAGES:
        for r in range(repeats):
            cin = c_in if r == 0 else c_out
            hidden = cin * expand
            if expand != 1:
                total += h * w * cin * hidden + h * w * hidden
            if r == 0 and stride == 2:
                h, w = math.ceil(h / 2), math.ceil(w / 2)
            total += h * w * kernel * kernel * hidden + h * w * hidden  # depthwise, BN
            total += h * w * hidden * c_out + h * w * c_out  # project, BN
    head = 49 * 320 * 1280 + 49 * 1280 + 1280 * 1000
    return total, head


def test_rcnn_costs_by_hand():
    from cnn_core.architectures.keras_graph import weightless
    from cnn_core.architectures.summary import summarize
    from cnn_core.detection.rcnn import rcnn_costs
    from cnn_core.zoo.efficientnet_lite import build_efficientnet_lite0

    with weightless():
        crop = summarize(build_efficientnet_lite0(weights=False))
        whole = summarize(build_efficientnet_lite0((None, None, 3), weights=False), (300, 451, 3))
    costs = rcnn_costs(crop, whole, 20)
    trunk_224, head = _lite0_macs(224, 224)
    trunk, _ = _lite0_macs(300, 451)
    assert head == 21_413_120
    assert (costs.per_crop, costs.head, costs.trunk) == (trunk_224 + head, head, trunk)
    assert costs.feature_map == (10, 15)  # ⌈300/32⌉, ⌈451/32⌉
    assert costs.rpn == 10 * 15 * (3 * 3 * 320 * 256 + 256 * (2 + 4) * 9)
    assert costs.rcnn == 20 * (trunk_224 + head)
    assert costs.fast_rcnn == trunk + 20 * head
    assert costs.faster_rcnn == costs.fast_rcnn + costs.rpn


def _command(capsys, *argv: str) -> tuple[int, str, str]:
    from cnn_core.__main__ import main

    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code)
    out, err = capsys.readouterr()
    return code, out, err


def test_proposals_command_json(capsys, tmp_path):
    from PIL import Image

    path = tmp_path / "chelsea.png"
    Image.fromarray(sample_image("chelsea")).save(path)
    code, out, err = _command(capsys, "proposals", str(path), "--regions", "4", "--score", "0.2", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert set(payload) == {"proposals", "boxes", "labels", "class_ids", "scores", "kept", "ms"}
    assert set(payload["ms"]) == {"proposals", "classify", "per_crop"}
    assert len(payload["boxes"]) == len(payload["labels"]) == len(payload["scores"]) == 4
    assert payload["proposals"] >= 4
    assert payload["boxes"][0] == [0.0, 0.0, 451.0, 300.0]  # the last merge: the whole 451 x 300 photo
    assert payload["class_ids"][0] in CATS
    assert all(0 <= k < 4 and payload["scores"][k] >= 0.2 for k in payload["kept"])
    code, out, _ = _command(capsys, "proposals", str(path), "--regions", "2")
    assert code == 0 and "2 crops classified" in out


def test_proposals_command_refuses_bad_options(capsys, tmp_path):
    code, _, err = _command(capsys, "proposals", str(tmp_path / "x.png"), "--regions", "500")
    assert code == 2 and "regions must be 1..100" in err
    code, _, err = _command(capsys, "proposals", str(tmp_path / "x.png"), "--scale", "0")
    assert code == 2 and "scale must be in 1..100000, got 0" in err
