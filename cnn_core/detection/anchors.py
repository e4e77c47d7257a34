"""Choosing anchor boxes by k-means on box shapes (Redmon & Farhadi 2017, "YOLO9000", §2 Dimension Clusters).

Only shapes (w, h) matter, so two shapes are compared as if they shared a centre:

    IoU((w₁, h₁), (w₂, h₂)) = min(w₁, w₂)·min(h₁, h₂) / (w₁h₁ + w₂h₂ − min(w₁, w₂)·min(h₁, h₂))

and k-means uses the distance d = 1 − IoU, so large and small boxes weigh alike (Euclidean distance
would let big boxes dominate). Each round assigns every shape to its nearest centroid and moves each
centroid to the mean shape of its members.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_core.errors import ParameterError, ShapeError


@dataclass(frozen=True)
class AnchorClusters:
    """k-means result: ``anchors`` (k, 2) w, h sorted by area; ``labels`` (N,) cluster of each shape;
    ``mean_iou`` the average IoU of each shape with its anchor; ``iterations`` rounds run."""

    anchors: np.ndarray
    labels: np.ndarray
    mean_iou: float
    iterations: int


def shape_iou(shapes: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """IoU of (N, 2) shapes against (K, 2) anchor shapes, all centred alike → (N, K).

    >>> shape_iou(np.array([[2.0, 2.0]]), np.array([[1.0, 1.0], [2.0, 2.0], [4.0, 1.0]])).round(3)
    array([[0.25 , 1.   , 0.333]])
    """
    inter = np.minimum(shapes[:, None, 0], anchors[None, :, 0]) * np.minimum(
        shapes[:, None, 1], anchors[None, :, 1]
    )  # (N, K)
    union = (shapes[:, 0] * shapes[:, 1])[:, None] + (anchors[:, 0] * anchors[:, 1])[None, :] - inter
    return inter / union


def mean_best_iou(shapes: np.ndarray, anchors: np.ndarray) -> float:
    """Average over the (N, 2) shapes of the IoU with their best (K, 2) anchor: how well anchors fit."""
    return float(shape_iou(_as_shapes(shapes), _as_shapes(anchors, "anchors")).max(axis=1).mean())


def _as_shapes(shapes: np.ndarray, name: str = "shapes") -> np.ndarray:
    array = np.asarray(shapes, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ShapeError(f"{name} must have shape (N, 2) as width, height; got {array.shape}")
    if not (np.isfinite(array).all() and (array > 0).all()):
        raise ShapeError(f"{name} must have positive finite widths and heights")
    return array


def kmeans_anchors(shapes: np.ndarray, k: int, *, seed: int = 0, max_iterations: int = 300) -> AnchorClusters:
    """Cluster (N, 2) box shapes (w, h) into ``k`` anchors with the 1 − IoU distance.

    Centroids start at k distinct shapes drawn by k-means++ (with 1 − IoU as the distance) from a
    seeded generator, so a given input always gives the same anchors.

    >>> shapes = np.array([[10, 10], [11, 9], [9, 11], [100, 50], [110, 55], [90, 45]])
    >>> result = kmeans_anchors(shapes, 2)
    >>> result.anchors.round(1).tolist(), result.labels.tolist()
    ([[10.0, 10.0], [100.0, 50.0]], [0, 0, 0, 1, 1, 1])
    """
    shapes = _as_shapes(shapes)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ParameterError(f"k must be a whole number ≥ 1, got {k!r}")
    distinct = np.unique(shapes, axis=0)
    if k > len(distinct):
        raise ParameterError(f"k must be at most the number of distinct shapes ({len(distinct)}), got {k}")
    rng = np.random.default_rng(seed)
    centroids = distinct[[rng.integers(len(distinct))]]  # (1, 2)
    while len(centroids) < k:  # k-means++: next centroid drawn with probability ∝ d²
        distance = 1.0 - shape_iou(distinct, centroids).max(axis=1)
        centroids = np.vstack(
            [centroids, distinct[rng.choice(len(distinct), p=distance**2 / (distance**2).sum())]]
        )
    labels = np.full(len(shapes), -1)
    iterations = 0
    while iterations < max_iterations:
        new_labels = shape_iou(shapes, centroids).argmax(axis=1)  # nearest = largest IoU
        if np.array_equal(new_labels, labels):
            break
        labels, iterations = new_labels, iterations + 1
        centroids = np.array(
            [shapes[labels == j].mean(axis=0) if (labels == j).any() else centroids[j] for j in range(k)]
        )
    order = np.argsort(centroids[:, 0] * centroids[:, 1], kind="stable")
    rank = np.argsort(order)  # old cluster id → position after sorting by area
    return AnchorClusters(centroids[order], rank[labels], mean_best_iou(shapes, centroids), iterations)
