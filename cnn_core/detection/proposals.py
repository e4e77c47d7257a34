"""Region proposals the R-CNN way: graph-based segmentation, then selective-search merging.

1. Felzenszwalb & Huttenlocher (IJCV 2004) cut a downscaled copy of the photo into regions of similar
   colour (``skimage.segmentation.felzenszwalb``; a larger ``scale`` gives fewer, larger regions).
2. Selective search (Uijlings et al., IJCV 2013) merges the two most similar neighbouring regions
   again and again until one region is left. Similarity of regions i, j (each term in [0, 1]):

       s(i, j) = Σ_k min(h_i[k], h_j[k])                 colour: intersection of 75-bin RGB histograms
               + 1 − (|i| + |j|) / |image|               size: merge small regions first
               + 1 − (|B_ij| − |i| − |j|) / |image|      fill: B_ij, the box around both, has few gaps

   The merged region's histogram is (|i|·h_i + |j|·h_j) / (|i| + |j|), its box the union of both boxes.
3. Every region of every level gives its bounding box: R initial regions + R − 1 merges. Boxes are
   ranked as the paper ranks one hierarchy, without its random factor: the last merge first, the
   initial regions last (largest first); near-duplicates (IoU > 0.95 with a better-ranked box) and
   boxes with a side under ``min_side`` working-copy pixels are dropped.

Boxes are (x1, y1, x2, y2) pixel edges of the original photo: a region covering columns c0..c1 has
x1 = c0 and x2 = c1 + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from cnn_core.detection.boxes import nms
from cnn_core.errors import ParameterError
from cnn_core.images import check_rgb

#: the proposals are computed on a copy whose longer side is at most this many pixels
WORKING_SIDE = 256
#: felzenszwalb's scale: larger → fewer, larger initial regions
DEFAULT_SCALE = 200
SIGMA = 0.8
#: felzenszwalb merges components smaller than this many pixels into a neighbour
MIN_REGION = 20
#: boxes with a side under this many working-copy pixels are dropped
MIN_SIDE = 8
DUPLICATE_IOU = 0.95
#: histogram bins per colour channel (the paper's 25)
BINS = 25


@dataclass(frozen=True)
class Regions:
    """Regions of a label image: ``sizes`` (R,) pixels, ``boxes`` (R, 4) x1, y1, x2, y2 edges,
    ``histograms`` (R, 3·BINS) colour histograms, each summing to 1, and the neighbouring pairs i < j."""

    sizes: np.ndarray
    boxes: np.ndarray
    histograms: np.ndarray
    pairs: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Hierarchy:
    """All regions of the merge hierarchy: the R initial ones, then one per merge, in merge order.

    ``boxes`` (2R − 1, 4); ``merges`` (R − 1) pairs (i, j): region R + t merged regions i and j."""

    boxes: np.ndarray
    merges: tuple[tuple[int, int], ...]


def region_features(image: np.ndarray, labels: np.ndarray) -> Regions:
    """Size, box, colour histogram and neighbours of each region of ``labels`` (H, W) ints 0..R−1 over
    ``image`` (H, W, 3) uint8; two regions are neighbours when they touch side by side or above/below.

    >>> labels = np.array([[0, 0, 1], [2, 2, 1]])
    >>> r = region_features(np.zeros((2, 3, 3), np.uint8), labels)
    >>> r.sizes.tolist(), r.boxes[1].tolist(), sorted(r.pairs)
    ([2, 2, 2], [2.0, 0.0, 3.0, 2.0], [(0, 1), (0, 2), (1, 2)])
    """
    count = int(labels.max()) + 1
    flat = labels.reshape(-1)
    sizes = np.bincount(flat, minlength=count)
    rows, cols = np.indices(labels.shape)
    boxes = np.zeros((count, 4))
    for axis, values in ((0, cols.reshape(-1)), (1, rows.reshape(-1))):
        low = np.full(count, np.iinfo(np.int64).max)
        high = np.full(count, -1)
        np.minimum.at(low, flat, values)
        np.maximum.at(high, flat, values)
        boxes[:, axis], boxes[:, axis + 2] = low, high + 1
    bins = (image.reshape(-1, 3).astype(np.int64) * BINS) // 256  # (H·W, 3) bin per channel
    histograms = np.stack(
        [
            np.bincount(flat * BINS + bins[:, c], minlength=count * BINS).reshape(count, BINS)
            for c in range(3)
        ],
        axis=1,
    ).reshape(count, 3 * BINS)  # (R, 75)
    histograms = histograms / histograms.sum(axis=1, keepdims=True)
    pairs = set()
    for a, b in ((labels[:, :-1], labels[:, 1:]), (labels[:-1, :], labels[1:, :])):
        touching = a != b
        low, high = np.minimum(a, b)[touching], np.maximum(a, b)[touching]
        pairs |= set(zip(low.tolist(), high.tolist(), strict=True))
    return Regions(sizes, boxes, histograms, frozenset(pairs))


def similarity(
    size_i: float, size_j: float, hist_i: np.ndarray, hist_j: np.ndarray, box: np.ndarray, area: float
) -> float:
    """s(i, j) = colour + size + fill (module docstring); ``box`` is B_ij, the box around both regions.

    Two 10-pixel regions of one colour filling their 4x5 box in a 100-pixel image: 1 + 0.8 + 1.

    >>> h = np.eye(75)[0]
    >>> round(similarity(10, 10, h, h, np.array([0, 0, 4, 5]), 100), 6)
    2.8
    """
    colour = float(np.minimum(hist_i, hist_j).sum())
    box_area = float((box[2] - box[0]) * (box[3] - box[1]))
    return colour + 1 - (size_i + size_j) / area + 1 - (box_area - size_i - size_j) / area


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.concatenate([np.minimum(a[:2], b[:2]), np.maximum(a[2:], b[2:])])


def merge_hierarchy(regions: Regions, area: float) -> Hierarchy:
    """Greedy selective-search merging: repeatedly join the most similar neighbouring pair (ties: the
    smallest pair of indices) into a new region, until no neighbours are left.

    Regions 0 and 1 have one colour, region 2 another, all three neighbours: 0 and 1 merge first (into 3),
    then 3 and 2.

    >>> labels = np.array([[0, 1, 2]]); image = np.array([[[0, 0, 0], [0, 0, 0], [255, 255, 255]]], np.uint8)
    >>> h = merge_hierarchy(region_features(image, labels), 3)
    >>> h.merges, h.boxes[3:].tolist()
    (((0, 1), (2, 3)), [[0.0, 0.0, 2.0, 1.0], [0.0, 0.0, 3.0, 1.0]])
    """
    sizes = [float(s) for s in regions.sizes]
    boxes = list(regions.boxes)
    hists = list(regions.histograms)
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(sizes))}
    for i, j in regions.pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)

    def score(i: int, j: int) -> float:
        return similarity(sizes[i], sizes[j], hists[i], hists[j], _union(boxes[i], boxes[j]), area)

    scores = {(i, j): score(i, j) for i, j in regions.pairs}
    merges = []
    while scores:
        i, j = max(scores, key=lambda pair: (scores[pair], -pair[0], -pair[1]))
        new = len(sizes)
        sizes.append(sizes[i] + sizes[j])
        hists.append((sizes[i] * hists[i] + sizes[j] * hists[j]) / sizes[new])
        boxes.append(_union(boxes[i], boxes[j]))
        merges.append((i, j))
        around = (neighbours.pop(i) | neighbours.pop(j)) - {i, j}
        scores = {pair: value for pair, value in scores.items() if i not in pair and j not in pair}
        neighbours[new] = around
        for k in around:
            neighbours[k] -= {i, j}
            neighbours[k].add(new)
            scores[(k, new)] = score(k, new)
    return Hierarchy(np.array(boxes).reshape(-1, 4), tuple(merges))


def ranked_boxes(hierarchy: Hierarchy, initial: int) -> np.ndarray:
    """The hierarchy's (M, 4) boxes in proposal order: the newest merge first, then the ``initial``
    regions by area, largest first.

    >>> h = Hierarchy(np.array([[0, 0, 1, 1], [1, 0, 3, 1], [0, 0, 3, 1]]), ((0, 1),))
    >>> ranked_boxes(h, 2).tolist()
    [[0, 0, 3, 1], [1, 0, 3, 1], [0, 0, 1, 1]]
    """
    boxes = hierarchy.boxes
    first = boxes[:initial]
    areas = (first[:, 2] - first[:, 0]) * (first[:, 3] - first[:, 1])
    order = np.concatenate([np.arange(len(boxes) - 1, initial - 1, -1), np.argsort(-areas, kind="stable")])
    return boxes[order]


def working_copy(image: np.ndarray, side: int = WORKING_SIDE) -> np.ndarray:
    """``image`` (H, W, 3) uint8 shrunk (bilinear) so that its longer side is at most ``side``."""
    height, width = image.shape[:2]
    factor = min(1.0, side / max(height, width))
    if factor == 1.0:
        return image
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR))


def check_scale(scale: float) -> float:
    """Felzenszwalb's scale as a number in 1..100000; ParameterError otherwise.

    >>> check_scale(0)
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: scale must be in 1..100000, got 0
    """
    if not 1 <= scale <= 100_000:
        raise ParameterError(f"scale must be in 1..100000, got {scale}")
    return scale


def propose_regions(
    image: np.ndarray,
    scale: float = DEFAULT_SCALE,
    *,
    min_side: int = MIN_SIDE,
    side: int = WORKING_SIDE,
    limit: int | None = None,
) -> np.ndarray:
    """Selective-search proposals for ``image`` (H, W, 3) uint8 → (N, 4) x1, y1, x2, y2 in its pixels,
    best-ranked first, at most ``limit`` (module docstring). Pure: same image and settings, same boxes.

    >>> image = np.full((60, 80, 3), 255, np.uint8); image[10:30, 20:50] = (200, 0, 0)
    >>> [20, 10, 50, 30] in propose_regions(image).tolist()
    True
    """
    image = check_rgb(image, min_side=8, purpose="region proposals")
    check_scale(scale)
    if limit is not None and limit < 1:
        raise ParameterError(f"limit must be ≥ 1, got {limit}")
    from skimage.segmentation import felzenszwalb

    small = working_copy(image, side)
    labels = felzenszwalb(small, scale=scale, sigma=SIGMA, min_size=MIN_REGION)  # (h, w) ints 0..R−1
    regions = region_features(small, labels)
    boxes = ranked_boxes(merge_hierarchy(regions, float(labels.size)), len(regions.sizes))  # (M, 4)
    big = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) >= min_side
    boxes = boxes[big]
    boxes = boxes[nms(boxes, -np.arange(len(boxes)), DUPLICATE_IOU)]  # keeps rank order
    height, width = image.shape[:2]
    factor = np.array([width / small.shape[1], height / small.shape[0]] * 2)
    boxes = np.clip(boxes * factor, 0, [width, height, width, height])
    return boxes[:limit]
