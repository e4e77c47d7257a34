"""YOLOv3-tiny in the zoo: its architecture from darknet's cfg, untrained (cnn_core.detection.yolov3_tiny)."""

from cnn_core.detection.yolov3_tiny import build_yolov3_tiny

__all__ = ["build_yolov3_tiny"]
