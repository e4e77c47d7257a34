"""The whole detector, stage by stage: letterbox → network → decode → score threshold → per-class NMS.

``run_network`` does the threshold-free part once per image and size; ``select`` applies the score
threshold, class filter and NMS (cheap, so a page can rerun it on every slider move); ``detect`` runs
both. Each stage's time is recorded in milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cnn_core.detection.boxes import NmsStep, nms_steps
from cnn_core.detection.yolo import (
    Candidates,
    Letterbox,
    check_size,
    class_scores,
    decode,
    letterbox,
    to_original,
)
from cnn_core.detection.yolov3_tiny import DEFAULT_SIZE, YoloV3Tiny
from cnn_core.errors import ParameterError

DEFAULT_SCORE = 0.25
DEFAULT_IOU = 0.45


@dataclass(frozen=True)
class Detection:
    """One detected object; ``box`` is x1, y1, x2, y2 in pixels of the original image."""

    label: str
    class_id: int
    score: float
    box: tuple[float, float, float, float]

    def as_dict(self) -> dict:
        """The JSON form: {"label", "class_id", "score", "box": [x1, y1, x2, y2]}."""
        return {
            "label": self.label,
            "class_id": self.class_id,
            "score": round(self.score, 4),
            "box": [round(value, 1) for value in self.box],
        }


@dataclass(frozen=True)
class NetworkPass:
    """The threshold-free part of a detection: input blob, raw head outputs and all decoded anchors."""

    blob: np.ndarray  # (size, size, 3) float32 letterboxed RGB in [0, 1]
    placement: Letterbox
    outputs: list[np.ndarray]  # one (S, S, A, 5 + C) raw array per head
    candidates: Candidates
    ms: dict[str, float]  # preprocess, network, decode


@dataclass(frozen=True)
class Selection:
    """The (box, class) pairs above the score threshold, the NMS rounds over them, and what survived.

    ``box_index``, ``class_id``, ``score``: (K,) pairs sorted by score; NMS step indices point into them.
    """

    box_index: np.ndarray
    class_id: np.ndarray
    score: np.ndarray
    steps: list[NmsStep]
    detections: list[Detection]
    ms: dict[str, float]  # nms (threshold + suppression)


@dataclass(frozen=True)
class DetectionResult:
    """Everything ``detect`` computed; ``ms`` has preprocess, network, decode, nms and total."""

    network: NetworkPass
    selection: Selection

    @property
    def detections(self) -> list[Detection]:
        return self.selection.detections

    @property
    def ms(self) -> dict[str, float]:
        return stage_ms(self.network, self.selection)


def stage_ms(network: NetworkPass, selection: Selection) -> dict[str, float]:
    """Milliseconds of preprocess, network, decode and nms, and their total."""
    stages = {**network.ms, **selection.ms}
    return {**stages, "total": sum(stages.values())}


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def run_network(detector: YoloV3Tiny, image: np.ndarray, size: int = DEFAULT_SIZE) -> NetworkPass:
    """Letterbox ``image`` ((H, W, 3) uint8 RGB) to ``size``, run the network and decode every anchor."""
    start = time.perf_counter()
    blob, placement = letterbox(image, check_size(size))
    preprocess = _ms_since(start)
    start = time.perf_counter()
    outputs = detector.forward(blob)
    network = _ms_since(start)
    start = time.perf_counter()
    candidates = decode(outputs, detector.heads, size)
    ms = {"preprocess": preprocess, "network": network, "decode": _ms_since(start)}
    return NetworkPass(blob, placement, outputs, candidates, ms)


def select(
    network: NetworkPass,
    names: tuple[str, ...],
    score: float = DEFAULT_SCORE,
    iou: float = DEFAULT_IOU,
    classes: Iterable[int] | None = None,
) -> Selection:
    """Keep the pairs scoring above ``score`` (of the ``classes`` ids, all when None), then per-class NMS."""
    start = time.perf_counter()
    box_index, class_id, scores = class_scores(network.candidates, score)
    if classes is not None:
        wanted = np.array(sorted(set(classes)), dtype=np.int64)
        if wanted.size and (wanted.min() < 0 or wanted.max() >= len(names)):
            raise ParameterError(f"classes must be ids in [0, {len(names) - 1}], got {wanted.tolist()}")
        mask = np.isin(class_id, wanted)
        box_index, class_id, scores = box_index[mask], class_id[mask], scores[mask]
    boxes = network.candidates.boxes[box_index]  # (K, 4) network pixels
    steps = nms_steps(boxes, scores, iou, class_id)
    kept = np.array([step.kept for step in steps], dtype=np.int64)
    originals = to_original(boxes[kept], network.placement)
    detections = [
        Detection(names[class_id[k]], int(class_id[k]), float(scores[k]), tuple(box.tolist()))
        for k, box in zip(kept, originals, strict=True)
    ]
    return Selection(box_index, class_id, scores, steps, detections, {"nms": _ms_since(start)})


def detect(
    detector: YoloV3Tiny,
    image: np.ndarray,
    score: float = DEFAULT_SCORE,
    iou: float = DEFAULT_IOU,
    size: int = DEFAULT_SIZE,
    classes: Iterable[int] | None = None,
) -> DetectionResult:
    """Detect objects in ``image`` ((H, W, 3) uint8 RGB): all stages, with their times in ms."""
    network = run_network(detector, image, size)
    return DetectionResult(network, select(network, detector.names, score, iou, classes))


def detection_shapes(
    network: NetworkPass, selection: Selection, reference_size: int = DEFAULT_SIZE
) -> np.ndarray:
    """(K, 2) w, h of the boxes NMS kept, in network pixels of a ``reference_size`` input.

    Anchors are sizes in network-input pixels (416 for YOLOv3-tiny's), so shapes from any input size
    are rescaled by reference_size / size before they are compared with anchors or clustered.
    """
    kept = selection.box_index[[step.kept for step in selection.steps]]
    boxes = network.candidates.boxes[kept]  # (K, 4)
    shapes = np.column_stack([boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]])
    return shapes * (reference_size / network.placement.size)


def payload(detections: list[Detection], ms: dict[str, float]) -> dict:
    """The JSON the command line prints and the page offers for download.

    >>> payload([Detection("cup", 41, 0.64321, (1.0, 2.0, 3.04, 4.0))], {"network": 61.234})
    {'detections': [{'label': 'cup', 'class_id': 41, 'score': 0.6432, 'box': [1.0, 2.0, 3.0, 4.0]}],
     'ms': {'network': 61.2}}
    """
    return {
        "detections": [detection.as_dict() for detection in detections],
        "ms": {stage: round(value, 1) for stage, value in ms.items()},
    }


#: the advice when nothing at all is above the score threshold
LOWER = "try a lower score threshold"


def _either(names: Sequence[str]) -> str:
    """'person', 'person or dog', 'person, dog or cat'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def no_objects_message(score: float, wanted: Sequence[str] = (), others: int = 0) -> str:
    """What to say when nothing survives the score threshold and the class filter ``wanted`` (empty: every
    class); ``others``: how many boxes of the filtered-out classes survived the threshold and NMS.

    >>> no_objects_message(0.5)
    'no objects above the threshold: no box scored more than 0.50; try a lower score threshold'
    >>> print(no_objects_message(0.4, ["person"], 3))
    no person scored above 0.40; 3 boxes of other classes did — widen the class filter or lower the threshold
    >>> no_objects_message(0.4, ["person", "dog"], 0)
    'no person or dog scored above 0.40, and no box of another class did either; try a lower score threshold'
    """
    if not wanted:
        return f"no objects above the threshold: no box scored more than {score:.2f}; " + LOWER
    head = f"no {_either(list(wanted))} scored above {score:.2f}"
    if others == 0:
        return f"{head}, and no box of another class did either; " + LOWER
    boxes = "1 box of another class" if others == 1 else f"{others} boxes of other classes"
    return f"{head}; {boxes} did — widen the class filter or lower the threshold"
