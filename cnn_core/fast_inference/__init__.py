"""A faster CPU runtime for the Keras models, with the Keras model as the source of truth.

``batch_norm`` folds inference-mode batch norm into the convolution before it; ``keras_onnx`` walks a
functional Keras model and ``onnx_layers`` translates each of its layers (the handful of types our
networks use) into ONNX nodes; ``onnx_runner`` runs the graph with onnxruntime, and its ``predict``
is what the loaders' run functions call. Tests check each translation against the Keras model.
"""
