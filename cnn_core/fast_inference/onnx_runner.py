"""An ONNX graph run by onnxruntime on the CPU, called like a function of numpy arrays."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import keras
    import onnx


class OnnxRunner:
    """``runner(*inputs) → [outputs]`` for one in-memory ONNX graph, inputs in the graph's input order.

    ``threads``: onnxruntime's intra-op threads (0: one per physical core, its default). One runner may
    serve every visitor of the app: its calls take turns. A run already spreads over every core, and each
    run at the same time would hold buffers of its own in the session's memory arena, which keeps its
    largest size for good (ten visitors' threads at once left ~300 MiB there). The pool threads sleep
    between a run's parallel steps instead of spinning, so the visitors' own Python work between runs gets
    the cores: thirty visitors' network calls on 2 cores finished in about half the time.
    """

    def __init__(self, model: onnx.ModelProto, threads: int = 0) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = [i.name for i in self.session.get_inputs()]
        self._turn = threading.Lock()

    def __call__(self, *inputs: np.ndarray) -> list[np.ndarray]:
        """The graph's outputs for float32 ``inputs`` (converted if needed), in the graph's output order."""
        feed = {
            name: np.ascontiguousarray(x, np.float32)
            for name, x in zip(self.input_names, inputs, strict=True)
        }
        with self._turn:
            return self.session.run(None, feed)


@lru_cache(maxsize=8)
def onnx_twin(model: keras.Model) -> OnnxRunner | None:
    """onnxruntime on ``model`` translated to ONNX (cnn_core.fast_inference.keras_onnx), made once per model.

    Only for models that are never mutated after their first call (the app's rule for shared models):
    later weight changes would not reach the translation. None for a model that is not float32 (e.g.
    the float64 twins tests use as references) or has a layer without a translation; its callers keep
    to Keras.
    """
    from cnn_core.errors import ModelFileError
    from cnn_core.fast_inference.keras_onnx import keras_to_onnx

    try:
        return OnnxRunner(keras_to_onnx(model))
    except ModelFileError:
        return None


@lru_cache(maxsize=8)
def _tf_function(model: keras.Model):
    """One tf.function of ``model`` in inference mode, shape-general (no retrace per image size)."""
    import tensorflow as tf

    return tf.function(
        lambda *x: model(list(x) if len(x) > 1 else x[0], training=False), reduce_retracing=True
    )


def predict(model: keras.Model, *inputs: np.ndarray) -> list[np.ndarray]:
    """All outputs of ``model`` on one batch of ``inputs`` (in the model's input order), as numpy arrays:
    on the model's onnxruntime twin (``onnx_twin``) where it has one, else through one cached tf.function
    of the Keras model. On a 2-core CPU the twin takes 0.3–0.8 of the tf.function's time for every
    network of the app (benchmarks/bench_networks.py).
    """
    runner = onnx_twin(model)
    if runner is not None:
        return runner(*inputs)
    outputs = _tf_function(model)(*(np.asarray(x, model.dtype) for x in inputs))
    return [np.asarray(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]
