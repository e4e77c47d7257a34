"""Our own small readers for pretrained weight formats (no torch, no arbitrary unpickling)."""
