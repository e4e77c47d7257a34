"""Project-wide test settings: quiet TensorFlow and keep its threads to the machine's two cores."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
