"""Classification with localization: the target vector y and its losses (course: "Object localization").

For the course's 3 classes (1 pedestrian, 2 car, 3 motorcycle; anything else is background) a network
outputs 8 numbers, and a labelled image has the target

    y = [p_c, b_x, b_y, b_h, b_w, c_1, c_2, c_3]

p_c = 1 when one of the classes is in the image; (b_x, b_y) is the box midpoint and (b_h, b_w) its height
and width, all relative to the image ((0, 0) top-left, (1, 1) bottom-right); c_k is 1 for the object's
class. With p_c = 0 (background) the other entries are "?" (don't care), stored here as NaN.

The course's squared-error loss for a prediction ŷ:

    L(ŷ, y) = Σ_i (ŷ_i − y_i)²   if y_1 = p_c = 1,      L(ŷ, y) = (ŷ_1 − y_1)²   if p_c = 0,

and the variant it mentions for practice: logistic (binary cross-entropy) loss for p_c, squared error for
the box, and log-likelihood (categorical cross-entropy over the softmax probabilities) for the classes:

    L = −[y_1 log ŷ_1 + (1 − y_1) log(1 − ŷ_1)] + p_c·[Σ_box (ŷ_i − y_i)² − Σ_k c_k log q_k],
    q_k = ŷ_{c_k} / Σ_j ŷ_{c_j}   (the class entries as a distribution, as keras's categorical_crossentropy
                                  does with probabilities).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cnn_core.errors import ParameterError, ShapeError

#: the course's classes, in the order of c_1, c_2, c_3
NOTES_CLASSES = ("pedestrian", "car", "motorcycle")
#: COCO label (YOLOv3-tiny's) → class id of the course's classes (0 = c_1)
COCO_TO_NOTES = {"person": 0, "car": 1, "motorbike": 2}
#: names of the entries of y, for 3 classes
ENTRIES = ("p_c", "b_x", "b_y", "b_h", "b_w", "c_1", "c_2", "c_3")
#: probabilities are clipped to [EPS, 1 − EPS] before a log, as keras.backend.epsilon() does
EPS = 1e-7


@dataclass(frozen=True)
class RelativeBox:
    """A box as the course writes it: midpoint (b_x, b_y) and height, width (b_h, b_w), all relative to the
    image, (0, 0) top-left and (1, 1) bottom-right."""

    bx: float
    by: float
    bh: float
    bw: float

    @classmethod
    def from_corners(cls, box: tuple[float, float, float, float], width: int, height: int) -> RelativeBox:
        """From x1, y1, x2, y2 in pixels of a ``width`` x ``height`` image.

        >>> RelativeBox.from_corners((20, 10, 60, 90), 100, 100)
        RelativeBox(bx=0.4, by=0.5, bh=0.8, bw=0.4)
        """
        x1, y1, x2, y2 = (float(v) for v in box)
        if width <= 0 or height <= 0:
            raise ParameterError(f"image width and height must be positive, got {width}x{height}")
        return cls((x1 + x2) / 2 / width, (y1 + y2) / 2 / height, (y2 - y1) / height, (x2 - x1) / width)

    def corners(self, width: float, height: float) -> tuple[float, float, float, float]:
        """x1, y1, x2, y2 in pixels of a ``width`` x ``height`` image.

        >>> RelativeBox(0.25, 0.5, 0.5, 0.5).corners(100, 200)
        (0.0, 50.0, 50.0, 150.0)
        """
        return (
            (self.bx - self.bw / 2) * width,
            (self.by - self.bh / 2) * height,
            (self.bx + self.bw / 2) * width,
            (self.by + self.bh / 2) * height,
        )


def notes_class(label: str) -> int | None:
    """The course's class id (0 pedestrian, 1 car, 2 motorcycle) of a COCO label, None for the others.

    >>> notes_class("person"), notes_class("motorbike"), notes_class("cup")
    (0, 2, None)
    """
    return COCO_TO_NOTES.get(label)


def target_vector(
    box: RelativeBox | None, class_id: int | None, classes: int = len(NOTES_CLASSES)
) -> np.ndarray:
    """The target y, (5 + classes,): [1, b_x, b_y, b_h, b_w, one-hot class] for an object of class
    ``class_id`` (0-based) in ``box``; [0, ?, …, ?] (NaN for "?") when ``box`` or ``class_id`` is None.

    >>> target_vector(RelativeBox(0.5, 0.7, 0.3, 0.4), 1).tolist()
    [1.0, 0.5, 0.7, 0.3, 0.4, 0.0, 1.0, 0.0]
    >>> target_vector(None, None).tolist()
    [0.0, nan, nan, nan, nan, nan, nan, nan]
    """
    y = np.full(5 + classes, np.nan)
    if box is None or class_id is None:
        y[0] = 0.0
        return y
    if (
        isinstance(class_id, bool)
        or not isinstance(class_id, int | np.integer)
        or not 0 <= class_id < classes
    ):
        raise ParameterError(f"class_id must be a whole number in [0, {classes - 1}], got {class_id!r}")
    values = np.array([box.bx, box.by, box.bh, box.bw], dtype=np.float64)
    if not np.isfinite(values).all() or not (0 <= box.bx <= 1 and 0 <= box.by <= 1):
        raise ParameterError(f"the midpoint b_x, b_y must lie in the image [0, 1], got {box.bx}, {box.by}")
    if not (0 < box.bh <= 1 and 0 < box.bw <= 1):
        raise ParameterError(f"b_h and b_w must be in (0, 1] of the image, got {box.bh}, {box.bw}")
    y[0], y[1:5] = 1.0, values
    y[5:] = np.eye(classes)[class_id]
    return y


@dataclass(frozen=True)
class LossTerms:
    """One loss, entry by entry: ``terms`` (n,) the contribution of each entry of y (NaN where the loss
    ignores it), ``kinds`` (n,) how each was computed ("squared", "logistic", "log-likelihood", "ignored"),
    and ``total`` their sum."""

    terms: np.ndarray
    kinds: tuple[str, ...]
    total: float


def _pair(y: ArrayLike, y_hat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate y (with NaN for "?") and ŷ, both (5 + C,); return them as float64."""
    y, y_hat = np.asarray(y, dtype=np.float64), np.asarray(y_hat, dtype=np.float64)
    if y.ndim != 1 or y.shape[0] < 6 or y_hat.shape != y.shape:
        raise ShapeError(f"y and ŷ must both have shape (5 + C,) with C ≥ 1, got {y.shape} and {y_hat.shape}")
    if y[0] not in (0.0, 1.0):
        raise ParameterError(f"the target's p_c must be 0 or 1, got {y[0]}")
    if y[0] == 1.0 and not np.isfinite(y).all():
        raise ParameterError("a target with p_c = 1 must have every entry set (no '?')")
    if not np.isfinite(y_hat).all():
        raise ParameterError(f"ŷ must be finite numbers, got {y_hat.tolist()}")
    return y, y_hat


def squared_error_loss(y: ArrayLike, y_hat: ArrayLike) -> LossTerms:
    """The course's loss: Σ_i (ŷ_i − y_i)² over all entries when p_c = 1, only (ŷ_1 − y_1)² when p_c = 0.

    ``y``, ``y_hat``: (5 + C,); y's "?" entries are NaN.

    >>> loss = squared_error_loss([1, 0.5, 0.5, 0.2, 0.2, 0, 1, 0], [0.9, 0.5, 0.6, 0.2, 0.2, 0, 0.8, 0])
    >>> round(loss.total, 6)
    0.06
    >>> squared_error_loss([0] + [np.nan] * 7, [0.3, 1, 1, 1, 1, 1, 1, 1]).total
    0.09
    """
    y, y_hat = _pair(y, y_hat)
    squares = (y_hat - y) ** 2
    if y[0] == 1.0:
        return LossTerms(squares, ("squared",) * len(y), float(squares.sum()))
    terms = np.full(len(y), np.nan)
    terms[0] = squares[0]
    return LossTerms(terms, ("squared",) + ("ignored",) * (len(y) - 1), float(terms[0]))


def mixed_loss(y: ArrayLike, y_hat: ArrayLike) -> LossTerms:
    """Logistic loss for p_c, squared error for the box, log-likelihood for the classes (module docstring).

    ``y``, ``y_hat``: (5 + C,); ŷ_1 and the class entries of ŷ are probabilities, the classes' sum > 0.

    >>> loss = mixed_loss([1, 0.5, 0.5, 0.2, 0.2, 0, 1, 0], [0.9, 0.5, 0.6, 0.2, 0.2, 0.1, 0.8, 0.1])
    >>> loss.terms.round(4).tolist(), round(loss.total, 4)
    ([0.1054, 0.0, 0.01, 0.0, 0.0, 0.0, 0.2231, 0.0], 0.3385)
    """
    y, y_hat = _pair(y, y_hat)
    classes = y_hat[5:]
    if not 0.0 <= y_hat[0] <= 1.0:
        raise ParameterError(f"ŷ's p_c must be a probability in [0, 1] for the logistic loss, got {y_hat[0]}")
    if (classes < 0).any() or (classes > 1).any() or classes.sum() <= 0:
        raise ParameterError(f"ŷ's class entries must be probabilities, not all 0, got {classes.tolist()}")
    p = np.clip(y_hat[0], EPS, 1 - EPS)
    terms = np.full(len(y), np.nan)
    terms[0] = -(y[0] * np.log(p) + (1 - y[0]) * np.log(1 - p))
    kinds = ["logistic"] + ["ignored"] * (len(y) - 1)
    if y[0] == 1.0:
        q = np.clip(classes / classes.sum(), EPS, 1 - EPS)  # (C,) a distribution over the classes
        terms[1:5] = (y_hat[1:5] - y[1:5]) ** 2
        terms[5:] = -y[5:] * np.log(q)
        kinds = ["logistic"] + ["squared"] * 4 + ["log-likelihood"] * (len(y) - 5)
    return LossTerms(terms, tuple(kinds), float(np.nansum(terms)))


def near_miss(y: ArrayLike) -> np.ndarray:
    """A plausible prediction close to target ``y`` (5 + C,): p_c 0.9 (0.2 when y has none), the box
    moved by +0.05, −0.03 and 10% too small, 0.8 on the true class and the rest spread over the others.

    >>> near_miss([1, 0.5, 0.5, 0.2, 0.4, 0, 1, 0]).round(3).tolist()
    [0.9, 0.55, 0.47, 0.18, 0.36, 0.1, 0.8, 0.1]
    >>> near_miss([0] + [np.nan] * 7).round(3).tolist()
    [0.2, 0.5, 0.5, 0.3, 0.3, 0.34, 0.33, 0.33]
    """
    y = np.asarray(y, dtype=np.float64)
    classes = len(y) - 5
    if y[0] != 1.0:
        spread = np.full(classes, 0.33)
        spread[0] = round(1 - 0.33 * (classes - 1), 2)
        return np.concatenate([[0.2, 0.5, 0.5, 0.3, 0.3], spread])
    box = np.clip(y[1:5] + np.array([0.05, -0.03, 0.0, 0.0]), 0.0, 1.0) * np.array([1, 1, 0.9, 0.9])
    others = 0.2 / max(classes - 1, 1)
    return np.concatenate([[0.9], box, np.where(y[5:] == 1.0, 0.8, others)])
