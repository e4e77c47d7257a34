"""Find faces and their five landmarks with the MTCNN cascade (Zhang et al., IEEE SPL 2016).

1. P-Net slides a 12x12 window over an image pyramid (scales ``12/min_face · 0.709^k``): every cell with
   face probability > t₁ proposes a box, calibrated by its predicted offsets
   ``(x₁, y₁, x₂, y₂) += (δ₁ w, δ₂ h, δ₃ w, δ₄ h)``; non-maximum suppression (NMS) thins them.
2. R-Net rescores each proposal (cropped, squared, resized to 24x24) and refines its box.
3. O-Net does the same at 48x48 and adds five landmarks: eyes, nose tip, mouth corners.

For speed the cascade runs on a copy whose longest side is at most ``detect_side`` pixels (area
interpolation), and boxes and landmarks are scaled back to the photo. ``best_score`` keeps the highest
face probability of the last stage any candidate reached, so a page can say how close it came.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from cnn_core.detection.boxes import nms
from cnn_core.errors import FaceError, ParameterError
from cnn_core.faces.mtcnn_nets import MTCNNNets, load_mtcnn_nets, onet, pnet, rnet
from cnn_core.faces.salient import candidate_faces
from cnn_core.images import check_rgb

#: landmark names in O-Net's order (left/right as seen in the image)
LANDMARK_NAMES = ("left_eye", "right_eye", "nose", "mouth_left", "mouth_right")
#: face-probability thresholds of P-, R- and O-Net (the mtcnn package's; Zhang et al. used 0.7 for O-Net)
THRESHOLDS = (0.6, 0.7, 0.8)
PYRAMID_FACTOR = 0.709
DETECT_SIDE = 640
#: a face smaller than this (shorter box side, photo pixels) is too small for a reliable descriptor
MIN_FACE_PX = 40


@dataclass(frozen=True)
class Face:
    """A detected face: ``box`` (x1, y1, x2, y2) in photo pixels, O-Net ``score`` in [0, 1], and
    ``landmarks`` (5, 2) as (x, y) rows in ``LANDMARK_NAMES`` order."""

    box: tuple[float, float, float, float]
    score: float
    landmarks: np.ndarray = field(compare=False)

    @property
    def size(self) -> float:
        """The shorter side of the box in pixels."""
        return min(self.box[2] - self.box[0], self.box[3] - self.box[1])

    def as_dict(self) -> dict:
        """JSON-ready: ``{"box": [x1, y1, x2, y2], "score": s, "landmarks": {name: [x, y]}}``."""
        return {
            "box": [round(float(v), 1) for v in self.box],
            "score": round(float(self.score), 4),
            "landmarks": {
                name: [round(float(x), 1), round(float(y), 1)]
                for name, (x, y) in zip(LANDMARK_NAMES, self.landmarks, strict=True)
            },
        }


@dataclass(frozen=True)
class Detection:
    """All faces in one photo, most confident first, with the best face probability seen anywhere."""

    faces: list[Face]
    best_score: float

    @property
    def candidates(self) -> list[int]:
        """Indices of the faces the photo is about (``salient.candidate_faces``): one for a portrait with
        clutter, several for a group."""
        return candidate_faces([face.box for face in self.faces], [face.score for face in self.faces])


def calibrate(boxes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Shift box edges by offsets in units of the box size: (N, 4) + (N, 4) · (w, h, w, h)."""
    sizes = np.stack([boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]] * 2, axis=1)  # (N, 4)
    return boxes + offsets * sizes


def square(boxes: np.ndarray) -> np.ndarray:
    """Grow each (N, 4) box to a square of side max(w, h) around its centre."""
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    half = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])[:, None] / 2
    return np.concatenate([centre - half, centre + half], axis=1)


def normalize(image: np.ndarray) -> np.ndarray:
    """RGB uint8 → MTCNN's input scale ``(x − 127.5) / 128`` as float32."""
    return (image.astype(np.float32) - 127.5) / 128.0


def crop_patches(image: np.ndarray, boxes: np.ndarray, size: int) -> np.ndarray:
    """Crop (N, 4) boxes from an (H, W, 3) image (zeros outside it), resized to (N, size, size, 3)."""
    height, width = image.shape[:2]
    patches = np.zeros((len(boxes), size, size, 3), dtype=np.float32)
    for i, (x1, y1, x2, y2) in enumerate(np.rint(boxes).astype(int)):
        if x2 <= x1 or y2 <= y1:
            continue
        canvas = np.zeros((y2 - y1, x2 - x1, 3), dtype=image.dtype)
        sx1, sy1, sx2, sy2 = max(x1, 0), max(y1, 0), min(x2, width), min(y2, height)
        if sx2 > sx1 and sy2 > sy1:
            canvas[sy1 - y1 : sy2 - y1, sx1 - x1 : sx2 - x1] = image[sy1:sy2, sx1:sx2]
        patches[i] = cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA)
    return normalize(patches)


def pyramid_scales(height: int, width: int, min_face: float) -> list[float]:
    """Scales ``12/min_face · 0.709^k`` while the scaled shorter side is still ≥ 12 pixels.

    >>> [round(s, 3) for s in pyramid_scales(40, 60, 20)]  # 40 · 0.302 = 12.1 is the last ≥ 12
    [0.6, 0.425, 0.302]
    """
    scale, scales = 12.0 / min_face, []
    while min(height, width) * scale >= 12:
        scales.append(scale)
        scale *= PYRAMID_FACTOR
    return scales


def _proposals(nets: MTCNNNets, image: np.ndarray, min_face: float) -> tuple[np.ndarray, float]:
    """Stage 1: squared candidate boxes (N, 5: x1, y1, x2, y2, p) and the best P-Net probability."""
    candidates, best = [], 0.0
    height, width = image.shape[:2]
    for scale in pyramid_scales(height, width, min_face):
        size = (int(np.ceil(width * scale)), int(np.ceil(height * scale)))
        scaled = normalize(cv2.resize(image, size, interpolation=cv2.INTER_AREA))
        offsets, probability = pnet(nets, scaled[None])
        best = max(best, float(probability.max()))
        ys, xs = np.nonzero(probability[0] > THRESHOLDS[0])
        cells = np.stack([xs, ys, xs, ys], axis=1) * 2.0 + np.array([0, 0, 12, 12])  # window in scaled px
        boxes = np.concatenate([cells / scale, probability[0, ys, xs, None]], axis=1)
        boxes[:, :4] = calibrate(boxes[:, :4], offsets[0, ys, xs])
        candidates.append(boxes[nms(boxes[:, :4], boxes[:, 4], 0.5)])
    boxes = np.concatenate(candidates) if candidates else np.zeros((0, 5))
    boxes = boxes[nms(boxes[:, :4], boxes[:, 4], 0.7)]
    return np.concatenate([square(boxes[:, :4]), boxes[:, 4:]], axis=1), best


def _refine(nets: MTCNNNets, image: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, float]:
    """Stage 2: R-Net rescoring; kept boxes squared (N, 5) and the best R-Net probability."""
    offsets, probability = rnet(nets, crop_patches(image, boxes[:, :4], 24))
    keep = probability > THRESHOLDS[1]
    boxes = np.concatenate([calibrate(boxes[keep, :4], offsets[keep]), probability[keep, None]], axis=1)
    boxes = boxes[nms(boxes[:, :4], boxes[:, 4], 0.7)]
    return np.concatenate([square(boxes[:, :4]), boxes[:, 4:]], axis=1), float(probability.max())


def _output(nets: MTCNNNets, image: np.ndarray, boxes: np.ndarray) -> tuple[list[Face], float]:
    """Stage 3: O-Net scores, final boxes and landmarks (landmarks are fractions of the input box)."""
    offsets, marks, probability = onet(nets, crop_patches(image, boxes[:, :4], 48))
    keep = probability > THRESHOLDS[2]
    origin, size = boxes[keep, None, :2], (boxes[keep, None, 2:4] - boxes[keep, None, :2])  # (N, 1, 2)
    landmarks = origin + np.stack([marks[keep, :5], marks[keep, 5:]], axis=2) * size  # (N, 5, 2)
    final = calibrate(boxes[keep, :4], offsets[keep])
    order = nms(final, probability[keep], 0.7, kind="min")
    faces = [Face(tuple(final[i]), float(probability[keep][i]), landmarks[i]) for i in order]
    return faces, float(probability.max())


def detect_faces(
    image: np.ndarray,
    *,
    min_face: float = 20.0,
    detect_side: int = DETECT_SIDE,
    nets: MTCNNNets | None = None,
) -> Detection:
    """Detect faces in an (H, W, 3) uint8 RGB photo.

    ``min_face``: smallest face side looked for, in pixels of the (downscaled) detection copy;
    ``detect_side``: longest side of that copy. Faces come most confident first.
    """
    image = check_rgb(image)
    if min_face < 12:
        raise ParameterError(f"min_face must be ≥ 12 pixels (P-Net's window), got {min_face}")
    if detect_side < 48:
        raise ParameterError(f"detect_side must be ≥ 48 pixels, got {detect_side}")
    nets = nets or load_mtcnn_nets()
    height, width = image.shape[:2]
    ratio = min(1.0, detect_side / max(height, width))
    small = image
    if ratio < 1.0:
        size = (max(1, round(width * ratio)), max(1, round(height * ratio)))
        small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    faces: list[Face] = []
    boxes, best = _proposals(nets, small, min_face)
    if len(boxes):
        boxes, best = _refine(nets, small, boxes)
    if len(boxes):
        faces, best = _output(nets, small, boxes)
    scale = np.array([small.shape[1] / width, small.shape[0] / height])  # (sx, sy)
    faces = [Face(tuple(np.asarray(f.box) / np.tile(scale, 2)), f.score, f.landmarks / scale) for f in faces]
    return Detection(faces, best)


def pick_face(detection: Detection, index: int | None = None, *, min_size: float = MIN_FACE_PX) -> Face:
    """The face to use: ``index`` into ``detection.faces`` or, when None, the largest one.

    Raises FaceError when there is no face (quoting the detector's best score) or the face is smaller
    than ``min_size`` pixels; ParameterError for an index out of range.
    """
    faces = detection.faces
    if not faces:
        raise FaceError(
            f"no face found (the detector's best face score was {detection.best_score:.2f}; a face needs "
            f"> {THRESHOLDS[2]}); use a sharper, frontal, well-lit photo"
        )
    if index is None:
        face = max(faces, key=lambda f: f.size)
    elif not 0 <= index < len(faces):
        raise ParameterError(f"face index must be in 0..{len(faces) - 1}, got {index}")
    else:
        face = faces[index]
    if face.size < min_size:
        raise FaceError(
            f"the face is too small ({face.size:.0f} px; at least {min_size:.0f} px is needed): "
            "use a closer or larger photo"
        )
    return face
