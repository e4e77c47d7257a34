"""Photo → face → aligned crop → descriptor, and the 1:1 comparison of two photos.

This is the whole chain the page and the command line run: MTCNN detection (``detect``), alignment to
dlib's template (``align``), the 128-d descriptor (``embed``), and d ≤ τ (``verify``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cnn_core.faces.align import align_face
from cnn_core.faces.detect import MIN_FACE_PX, Detection, Face, detect_faces, pick_face
from cnn_core.faces.embed import embed_crops
from cnn_core.faces.verify import DEFAULT_THRESHOLD, Verdict, check_threshold, verify

if TYPE_CHECKING:
    import keras


@dataclass(frozen=True)
class FaceSample:
    """One face of one photo: the detection it came from, which face, its aligned crop (150, 150, 3)
    uint8 and its descriptor (128,)."""

    detection: Detection
    face: Face
    index: int
    crop: np.ndarray
    embedding: np.ndarray


def describe_face(
    image: np.ndarray, model: keras.Model, *, index: int | None = None, detection: Detection | None = None
) -> FaceSample:
    """Detect (unless ``detection`` is given), pick face ``index`` (default: the largest), align, embed.

    image: (H, W, 3) uint8 RGB. Raises FaceError for no face or a face that is too small.
    """
    detection = detection if detection is not None else detect_faces(image)
    face = pick_face(detection, index)
    crop = align_face(image, face.landmarks)
    return FaceSample(detection, face, detection.faces.index(face), crop, embed_crops(model, crop))


def describe_all(image: np.ndarray, model: keras.Model) -> list[FaceSample]:
    """Every usable face of a photo (detected, large enough), aligned and embedded in one batch."""
    detection = detect_faces(image)
    pick_face(detection)  # raises a clear FaceError when there is no usable face at all
    faces = [(i, f) for i, f in enumerate(detection.faces) if f.size >= MIN_FACE_PX]
    crops = np.stack([align_face(image, f.landmarks) for _, f in faces])
    vectors = embed_crops(model, crops)
    return [FaceSample(detection, f, i, c, v) for (i, f), c, v in zip(faces, crops, vectors, strict=True)]


@dataclass(frozen=True)
class PairResult:
    """Two described faces, their verdict, and the wall time of the whole comparison in ms."""

    first: FaceSample
    second: FaceSample
    verdict: Verdict
    ms: float


def verify_photos(
    first: np.ndarray,
    second: np.ndarray,
    model: keras.Model,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    indices: tuple[int | None, int | None] = (None, None),
) -> PairResult:
    """Compare the chosen (default: largest) face of each photo: d = ‖f(x₁) − f(x₂)‖₂ against τ."""
    check_threshold(threshold)
    start = time.perf_counter()
    samples = [
        describe_face(image, model, index=i) for image, i in zip((first, second), indices, strict=True)
    ]
    verdict = verify(samples[0].embedding, samples[1].embedding, threshold)
    return PairResult(samples[0], samples[1], verdict, (time.perf_counter() - start) * 1000)
