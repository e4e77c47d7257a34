"""Object detection: box overlap and NMS, anchor clustering, YOLOv3-tiny and its decoding.

Modules: ``boxes`` (IoU, NMS), ``anchors`` (k-means with 1 − IoU), ``sliding_windows`` (the course's
convolutional sliding windows), ``yolo`` (letterbox, decode), ``yolov3_tiny`` (the Keras model),
``pipeline`` (all stages with timings), ``localization`` (the course's target y and its losses),
``grid_targets`` (the course's S x S x 8 / x 16 YOLO target), ``annotate`` (detections drawn with their
labels), ``photo_pixels`` (the working copy, and boxes back in the
photo's pixels). TensorFlow is imported only when a model is built or run.
"""
