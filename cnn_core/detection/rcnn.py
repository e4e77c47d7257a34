"""R-CNN with an ImageNet classifier (Girshick et al., CVPR 2014): crop each proposal, resize it to the
classifier's 224x224 input, classify it; keep the regions whose best class scores above a threshold,
after per-class non-max suppression. The classifier has no "background" class, so the threshold plays
its part.

Cost, in multiply-adds of EfficientNet-Lite0 (its per-layer counts from ``architectures.summary``):

* R-CNN: N proposals × one whole network pass at 224x224.
* Fast R-CNN (Girshick, ICCV 2015): one pass of the convolutional trunk over the whole image, then for
  each proposal RoI pooling of its part of the shared feature map to 7x7 and the head (the layers after
  the trunk, exactly as at 224x224, where the trunk's output is 7x7).
* Faster R-CNN (Ren et al., NeurIPS 2015): Fast R-CNN plus a region proposal network on the same
  feature map: a 3x3 convolution (``RPN_CHANNELS`` filters) and 1x1 convolutions giving 2 scores and 4
  box offsets for each of k = 9 anchors at every position, in place of the separate proposal algorithm.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.activations.classify import MIN_SIDE, classifier_input
from cnn_core.activations.imagenet import imagenet_labels
from cnn_core.detection.boxes import as_boxes, nms
from cnn_core.detection.yolo import check_score_threshold
from cnn_core.errors import ParameterError
from cnn_core.images import check_rgb

if TYPE_CHECKING:
    import keras

    from cnn_core.architectures.summary import ModelSummary

#: proposals classified by default, and at most
DEFAULT_REGIONS = 20
MAX_REGIONS = 100
#: proposals per image in R-CNN's paper (selective search, "fast mode")
PAPER_REGIONS = 2000
DEFAULT_RCNN_SCORE = 0.3
#: crops per network call
BATCH = 10
#: the last layer of EfficientNet-Lite0's trunk (stride 32); the head follows it
TRUNK_END = "block7a_project_bn"
#: Ren et al. use 256 (ZF) or 512 (VGG-16) channels in the RPN's 3x3 convolution
RPN_CHANNELS = 256
RPN_ANCHORS = 9


@dataclass(frozen=True)
class RegionLabels:
    """The classifier's verdict on each region: ``boxes`` (N, 4), ``probabilities`` (N, 1000), and the
    best class ``class_id`` (N,) with its ``score`` (N,); ``ms`` the time of all N crops."""

    boxes: np.ndarray
    probabilities: np.ndarray
    class_id: np.ndarray
    score: np.ndarray
    ms: float

    @property
    def labels(self) -> list[str]:
        names = imagenet_labels()
        return [names[k] for k in self.class_id]

    @property
    def ms_per_crop(self) -> float:
        return self.ms / max(len(self.boxes), 1)


def crops(image: np.ndarray, boxes: np.ndarray, size: int = 224) -> np.ndarray:
    """Each box of ``boxes`` (N, 4) cut from ``image`` (H, W, 3) uint8 (edges rounded outwards, at least
    MIN_SIDE pixels) and resized bilinearly to (size, size) → (N, size, size, 3) float32 in 0..255.

    >>> image = np.zeros((40, 40, 3), np.uint8); image[:20] = 200
    >>> float(crops(image, np.array([[0, 0, 40, 20]]), 8)[0, :, :, 0].min())
    200.0
    """
    image = check_rgb(image, min_side=MIN_SIDE, purpose="cropping regions for the classifier")
    boxes = as_boxes(boxes)
    height, width = image.shape[:2]
    out = np.empty((len(boxes), size, size, 3), np.float32)
    for k, (x1, y1, x2, y2) in enumerate(boxes):
        left, right = _span(x1, x2, width)
        top, bottom = _span(y1, y2, height)
        out[k] = classifier_input(image[top:bottom, left:right], size)
    return out


def _span(low: float, high: float, side: int) -> tuple[int, int]:
    """Pixel range [start, stop) covering low..high within 0..side, widened to at least MIN_SIDE pixels
    (the classifier's smallest input).

    >>> _span(2.5, 10.2, 100), _span(95, 99, 100)
    ((2, 18), (84, 100))
    """
    start, stop = max(int(np.floor(low)), 0), min(int(np.ceil(high)), side)
    stop = min(max(stop, start + MIN_SIDE), side)
    return max(min(start, stop - MIN_SIDE), 0), stop


def classify_crops(
    model: keras.Model,
    batch: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
    step: int = BATCH,
) -> np.ndarray:
    """ImageNet probabilities (N, 1000) of N classifier inputs (N, 224, 224, 3), ``step`` at a time;
    ``progress(done, N)`` is called after each step."""
    out = []
    for start in range(0, len(batch), step):
        out.append(np.asarray(model(batch[start : start + step], training=False)))
        if progress is not None:
            progress(min(start + step, len(batch)), len(batch))
    return np.concatenate(out) if out else np.zeros((0, 1000), np.float32)


def check_regions(count: int, minimum: int = 1) -> int:
    """How many regions to classify: a whole number in minimum..MAX_REGIONS; ParameterError otherwise.

    >>> check_regions(101)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: regions must be 1..100 (each is one network pass), got 101
    """
    if isinstance(count, bool) or not isinstance(count, int) or not minimum <= count <= MAX_REGIONS:
        raise ParameterError(
            f"regions must be {minimum}..{MAX_REGIONS} (each is one network pass), got {count}"
        )
    return count


def classify_regions(
    model: keras.Model,
    image: np.ndarray,
    boxes: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
) -> RegionLabels:
    """R-CNN's second stage: classify every region of ``boxes`` (N, 4) of ``image`` (H, W, 3) uint8 with
    ``model`` (224x224 RGB 0..255 → (N, 1000) probabilities); the time covers cropping and the network."""
    boxes = as_boxes(boxes)
    check_regions(len(boxes), minimum=0)
    start = time.perf_counter()
    probabilities = classify_crops(model, crops(image, boxes), progress)
    ms = (time.perf_counter() - start) * 1000
    best = probabilities.argmax(axis=1) if len(boxes) else np.zeros(0, np.int64)
    return RegionLabels(boxes, probabilities, best, probabilities.max(axis=1, initial=0.0), ms)


def keep_regions(labels: RegionLabels, score: float, iou: float) -> np.ndarray:
    """Indices of the regions whose best class scores at least ``score``, after per-class NMS at ``iou``,
    best first.

    >>> p = np.zeros((3, 1000)); p[0, 285], p[1, 285], p[2, 967] = 0.9, 0.8, 0.2
    >>> boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]])
    >>> keep_regions(RegionLabels(boxes, p, p.argmax(1), p.max(1), 0.0), 0.3, 0.5).tolist()
    [0]
    """
    check_score_threshold(score)
    above = np.flatnonzero(labels.score >= score)
    kept = nms(labels.boxes[above], labels.score[above], iou, labels.class_id[above])
    return above[kept]


@dataclass(frozen=True)
class RcnnCosts:
    """Multiply-adds of the three detectors for ``regions`` proposals (module docstring)."""

    regions: int
    per_crop: int  # one whole network pass at 224x224
    trunk: int  # the trunk over the whole image
    head: int  # the layers after the trunk on one 7x7 RoI
    rpn: int  # the region proposal network over the whole feature map
    feature_map: tuple[int, int]

    def with_regions(self, regions: int) -> RcnnCosts:
        """The same photo's costs for another number of proposals (only the per-proposal terms change)."""
        return replace(self, regions=regions)

    @property
    def rcnn(self) -> int:
        return self.regions * self.per_crop

    @property
    def fast_rcnn(self) -> int:
        return self.trunk + self.regions * self.head

    @property
    def faster_rcnn(self) -> int:
        return self.fast_rcnn + self.rpn


def _split(summary: ModelSummary, layer: str) -> tuple[int, int]:
    """Multiply-adds of the rows up to and including ``layer``, and of the rows after it."""
    names = [row.name for row in summary.rows]
    if layer not in names:
        raise ParameterError(f"{summary.name} has no layer {layer!r}")
    end = names.index(layer) + 1
    return sum(r.macs or 0 for r in summary.rows[:end]), sum(r.macs or 0 for r in summary.rows[end:])


def rpn_macs(height: int, width: int, channels: int, hidden: int = RPN_CHANNELS, k: int = RPN_ANCHORS) -> int:
    """Multiply-adds of an RPN on an (height, width, channels) feature map: h·w·(3·3·C·hidden + hidden·6k).

    >>> rpn_macs(7, 7, 320)  # 49 · (737,280 + 13,824)
    36804096
    """
    return height * width * (9 * channels * hidden + hidden * 6 * k)


def rcnn_costs(
    crop: ModelSummary, whole: ModelSummary, regions: int, trunk_end: str = TRUNK_END
) -> RcnnCosts:
    """Compare R-CNN, Fast and Faster R-CNN for ``regions`` proposals from the per-layer multiply-adds of
    the classifier at 224x224 (``crop``) and of the same network on the whole image (``whole``)."""
    if regions < 0:
        raise ParameterError(f"regions must be ≥ 0, got {regions}")
    _, head = _split(crop, trunk_end)
    trunk, _ = _split(whole, trunk_end)
    shape = next(row.output_shape for row in whole.rows if row.name == trunk_end)
    height, width, channels = (int(v) for v in shape)  # type: ignore[arg-type]
    return RcnnCosts(regions, crop.macs, trunk, head, rpn_macs(height, width, channels), (height, width))


def region_rows(labels: RegionLabels, kept: Sequence[int]) -> list[dict]:
    """One record per region: rank, best class, probability, box, and whether it survived."""
    names, kept_set = labels.labels, {int(k) for k in kept}
    return [
        {
            "proposal": k + 1,
            "class": names[k],
            "p": round(float(labels.score[k]), 3),
            "box x1, y1, x2, y2": ", ".join(f"{v:.0f}" for v in labels.boxes[k]),
            "kept": k in kept_set,
        }
        for k in range(len(labels.boxes))
    ]
