"""TensorFlow's start-up chatter, quietened; and the one line worth keeping: which GPU is in use.

Importing TensorFlow 2.21 writes C++ log lines to stderr before its own log level applies (absl's
"All log messages before absl::InitializeLog()", oneDNN and CUDA-driver notices), so an environment
variable alone cannot hide them. ``quiet_tensorflow`` therefore does three things, all before TensorFlow
is imported: it sets ``TF_CPP_MIN_LOG_LEVEL=3`` (later C++ lines such as "failed call to cuInit"), drops
Keras's and TensorFlow's Python warnings (``warnings`` and the "tensorflow" logger below ERROR), and
arranges for the first ``import tensorflow`` to run with file descriptor 2 captured, writing back every
captured line except TensorFlow's own log lines (so output from other threads of a server is kept).
TensorFlow is still imported lazily, by whoever needs it. A crash inside that import would take the
captured lines with it; the command line's ``--verbose`` skips all of this.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

#: A line TensorFlow's C++ side writes: absl's "before InitializeLog" notice or a glog-style
#: "I0000 00:00:1796135260.702494 9164 port.cc:153] ..." record (severity I, W or E).
TF_LOG_LINE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\)|[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]"
)


@contextlib.contextmanager
def _stderr_without_tf_lines() -> Iterator[None]:
    """Capture file descriptor 2 during the block, then write back the lines that TF_LOG_LINE misses."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            lines = capture.read().decode(errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if not TF_LOG_LINE.match(line)))


class _QuietLoader(importlib.abc.Loader):
    """Runs another loader's ``exec_module`` with TensorFlow's log lines filtered out of stderr."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        with _stderr_without_tf_lines():
            self.loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:  # resource readers and the like come from the real loader
        return getattr(self.loader, name)


class _QuietTensorFlowImport(importlib.abc.MetaPathFinder):
    """A finder that answers only for ``tensorflow``, once: the usual spec with a ``_QuietLoader``."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "tensorflow":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up logging; call it before TensorFlow is imported (harmless after)."""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    warnings.filterwarnings("ignore", module=r"(keras|tensorflow)(\.|$)")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    waiting = any(isinstance(finder, _QuietTensorFlowImport) for finder in sys.meta_path)
    if "tensorflow" not in sys.modules and not waiting:
        sys.meta_path.insert(0, _QuietTensorFlowImport())


def report_gpu() -> None:
    """Print "using GPU: <name>" on stderr when TensorFlow has been imported and sees a GPU; else nothing."""
    if "tensorflow" not in sys.modules:
        return
    import tensorflow as tf

    names = [
        tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
        for gpu in tf.config.list_physical_devices("GPU")
    ]
    if names:
        print(f"using GPU: {', '.join(names)}", file=sys.stderr)
