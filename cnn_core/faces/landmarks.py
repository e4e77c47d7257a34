"""68 face landmarks: MTCNN's face box → a 112x112 network input → 68 (x, y) points in the photo's pixels.

Landmark detection (course notes, "Landmark Detection") makes a CNN output the coordinates of chosen
points instead of a class: here ŷ = (l₁ₓ, l₁ᵧ, …, l₆₈ₓ, l₆₈ᵧ), 136 numbers, from face-api's
``FaceLandmark68Net`` (``cnn_core.zoo.face_landmarks``). Its input is prepared as face-api does:

1. crop the face box, its corners floored to whole pixels and clipped to the photo: w x h pixels;
2. pad the crop with black to a square of side S = max(w, h), centred (face-api's ``padToSquare``: the
   far side gets round(|w − h| / 2) rows or columns, the near side the rest);
3. resize the square to 112x112 with tfjs's ``resizeBilinear`` (no half-pixel centres: output pixel i
   reads the source at i · S/112).

The network's outputs are fractions u of the square's side, so a point is, in photo pixels,

    x = x₀ + u_x · S − pad_left,    y = y₀ + u_y · S − pad_top

with (x₀, y₀) the crop's corner. MTCNN's own five points come with the detection and are kept beside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.errors import FaceError, ShapeError
from cnn_core.faces.detect import Detection, Face, detect_faces, pick_face
from cnn_core.fast_inference.onnx_runner import predict
from cnn_core.images import check_rgb

if TYPE_CHECKING:
    import keras

#: side of the landmark network's square input (``cnn_core.zoo.face_landmarks`` builds it for this size)
NET_SIZE = 112
#: the points of the iBUG 300-W markup the network outputs, x and y of each
POINTS = 68


@dataclass(frozen=True)
class CropBox:
    """The photo pixels a face's crop covers: columns x .. x + width − 1, rows y .. y + height − 1."""

    x: int
    y: int
    width: int
    height: int

    @property
    def side(self) -> int:
        """S = max(w, h): the side of the square the crop is padded to."""
        return max(self.width, self.height)

    @property
    def padding(self) -> tuple[int, int]:
        """Black columns added on the left and rows added on top (``padToSquare`` with centring)."""
        before = abs(self.width - self.height) - int(np.floor(abs(self.width - self.height) / 2 + 0.5))
        return (before, 0) if self.width < self.height else (0, before)


def crop_box(box: tuple[float, float, float, float], width: int, height: int) -> CropBox:
    """The whole-pixel crop of box (x1, y1, x2, y2) in a ``width`` x ``height`` photo, as face-api cuts it:
    x, y, w, h floored, then clipped to the photo (``Box.floor().clipAtImageBorders``).

    >>> crop_box((10.7, -3.2, 50.1, 40.0), 45, 100)
    CropBox(x=10, y=0, width=35, height=39)
    """
    x1, y1, x2, y2 = (float(v) for v in box)
    x, y = int(np.floor(x1)), int(np.floor(y1))
    right, bottom = x + int(np.floor(x2 - x1)), y + int(np.floor(y2 - y1))
    x_in, y_in = max(x, 0), max(y, 0)
    clipped = CropBox(x_in, y_in, min(right, width) - x_in, min(bottom, height) - y_in)
    if clipped.width <= 0 or clipped.height <= 0:
        raise FaceError(
            f"the face box {tuple(round(v, 1) for v in box)} lies outside the {width}x{height} photo"
        )
    return clipped


def pad_to_square(crop: np.ndarray) -> np.ndarray:
    """(h, w, 3) → (S, S, 3) float32, S = max(h, w), black bands on both sides of the shorter axis.

    >>> pad_to_square(np.ones((1, 4, 3), np.uint8))[:, 0, 0].tolist()  # 3 rows: 1 above, 2 below
    [0.0, 1.0, 0.0, 0.0]
    """
    height, width = crop.shape[:2]
    box = CropBox(0, 0, width, height)
    left, top = box.padding
    square = np.zeros((box.side, box.side, crop.shape[2]), np.float32)
    square[top : top + height, left : left + width] = crop
    return square


def resize_bilinear(image: np.ndarray, size: int) -> np.ndarray:
    """(H, W, C) → (size, size, C) float32 as tfjs's ``resizeBilinear(alignCorners=false,
    halfPixelCenters=false)``: output pixel i reads the source at s = i · H/size, blending rows
    ⌊s⌋ and min(⌈s⌉, H − 1) by s − ⌊s⌋ (and the same along x).

    >>> resize_bilinear(np.float32([[0, 10], [20, 30]])[..., None], 4)[..., 0].tolist()[0]
    [0.0, 5.0, 10.0, 10.0]
    """

    def taps(old: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        source = np.arange(size) * (old / size)
        low = np.floor(source).astype(int)
        return low, np.minimum(np.ceil(source).astype(int), old - 1), source - low

    image = np.asarray(image, np.float64)
    rows, rows_up, row_frac = taps(image.shape[0])
    cols, cols_up, col_frac = taps(image.shape[1])
    col_frac = col_frac[None, :, None]  # (1, size, 1)
    top = image[rows][:, cols] + (image[rows][:, cols_up] - image[rows][:, cols]) * col_frac
    bottom = image[rows_up][:, cols] + (image[rows_up][:, cols_up] - image[rows_up][:, cols]) * col_frac
    return (top + (bottom - top) * row_frac[:, None, None]).astype(np.float32)


def net_input(image: np.ndarray, box: CropBox) -> np.ndarray:
    """The (112, 112, 3) float32 RGB 0..255 input for the face in ``box`` of an (H, W, 3) uint8 photo."""
    crop = image[box.y : box.y + box.height, box.x : box.x + box.width]
    square = pad_to_square(crop)
    return square if box.side == NET_SIZE else resize_bilinear(square, NET_SIZE)


def to_photo(outputs: np.ndarray, box: CropBox) -> np.ndarray:
    """The network's 136 outputs (fractions u of the square's side, x₁, y₁, …) → (68, 2) photo pixels:
    (x₀, y₀) + u · S − (pad_left, pad_top).

    >>> to_photo(np.tile([0.5, 0.5], 68), CropBox(100, 50, 80, 100))[0].tolist()  # S = 100, 10 px left
    [140.0, 100.0]
    """
    fractions = np.asarray(outputs, np.float64).reshape(-1, 2)  # (68, 2) x, y
    if fractions.shape != (POINTS, 2):
        raise ShapeError(f"outputs must hold {2 * POINTS} numbers, got shape {np.shape(outputs)}")
    return fractions * box.side - np.array(box.padding) + np.array([box.x, box.y])


@dataclass(frozen=True)
class FaceLandmarks:
    """One face: its MTCNN ``face`` (box, score, 5 points) and ``index`` among the photo's faces, the
    ``crop`` the network read, what it saw (``seen``: (112, 112, 3) float32 RGB 0..255) and the 68
    ``points`` (68, 2) x, y in photo pixels."""

    face: Face
    index: int
    crop: CropBox
    seen: np.ndarray
    points: np.ndarray

    @property
    def vector(self) -> np.ndarray:
        """ŷ = (l₁ₓ, l₁ᵧ, …, l₆₈ₓ, l₆₈ᵧ) as the course writes it: (136,) photo pixels."""
        return self.points.reshape(-1)

    def as_dict(self) -> dict:
        """JSON-ready, in photo pixels (1 decimal): MTCNN's ``box``, ``score`` and 5 points
        (``mtcnn_landmarks``), the ``crop`` the network read, and the 68 points ``landmarks_68`` as [x, y]."""
        mtcnn = self.face.as_dict()
        return {
            "box": mtcnn["box"],
            "score": mtcnn["score"],
            "mtcnn_landmarks": mtcnn["landmarks"],
            "crop": {
                "x": self.crop.x,
                "y": self.crop.y,
                "width": self.crop.width,
                "height": self.crop.height,
            },
            "landmarks_68": [[round(float(x), 1), round(float(y), 1)] for x, y in self.points],
        }


def load_landmark_net() -> keras.Model:
    """face-api's landmark network with its verified weights (build once and share; never mutated)."""
    from cnn_core.zoo import build_model

    return build_model("face-landmarks")


def run_net(model: keras.Model, inputs: np.ndarray) -> np.ndarray:
    """(N, 112, 112, 3) RGB 0..255 → (N, 136) float32 fractions of the input's side."""
    inputs = np.asarray(inputs, np.float32)
    if inputs.ndim != 4 or inputs.shape[1:] != (NET_SIZE, NET_SIZE, 3) or len(inputs) == 0:
        raise ShapeError(f"inputs must be (N, {NET_SIZE}, {NET_SIZE}, 3) with N ≥ 1, got {inputs.shape}")
    return np.asarray(predict(model, inputs)[0], np.float32)  # onnxruntime on the model's ONNX twin


def face_landmarks(
    image: np.ndarray, model: keras.Model, detection: Detection | None = None
) -> list[FaceLandmarks]:
    """The 68 points of every face MTCNN finds in an (H, W, 3) uint8 RGB photo (one batch for all faces),
    in ``detection.faces`` order. Raises FaceError when there is no face."""
    image = check_rgb(image)
    detection = detection if detection is not None else detect_faces(image)
    if not detection.faces:
        pick_face(detection)  # raises the detector's "no face found" message
    height, width = image.shape[:2]
    boxes = [crop_box(face.box, width, height) for face in detection.faces]
    seen = np.stack([net_input(image, box) for box in boxes])  # (N, 112, 112, 3)
    outputs = run_net(model, seen)  # (N, 136)
    return [
        FaceLandmarks(face, i, box, seen[i], to_photo(outputs[i], box))
        for i, (face, box) in enumerate(zip(detection.faces, boxes, strict=True))
    ]
