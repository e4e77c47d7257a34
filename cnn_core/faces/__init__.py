"""Faces: MTCNN detection, alignment, dlib descriptors, verification (1:1), recognition (1:K), triplet loss.

``detect`` and ``embed`` run Keras networks (TensorFlow is imported by these modules); ``align``,
``salient`` (the default face pick), ``verify``, ``triplet`` and ``gallery`` are numpy (and OpenCV) only.
"""
