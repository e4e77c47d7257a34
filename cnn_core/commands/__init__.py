"""One module per command of ``python -m cnn_core``."""
