"""Benchmarks: scripts that print figures and assert nothing; run each as ``python -m benchmarks.<name>``.

TensorFlow's start-up log lines are kept out of the figures, as in the command line.
"""

from cnn_core.runtime import quiet_tensorflow

quiet_tensorflow()
