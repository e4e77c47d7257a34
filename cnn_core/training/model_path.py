"""Where a trained classifier may be written: a ``.keras`` file in an existing folder."""

from __future__ import annotations

from pathlib import Path

from cnn_core.errors import ParameterError


def model_path(text: str | Path) -> Path:
    """The checked path of a ``.keras`` file to write.

    >>> model_path("model.h5")
    Traceback (most recent call last):
    ...
    cnn_core.errors.ParameterError: the model file must end in .keras, got 'model.h5'
    """
    path = Path(text)
    if path.suffix != ".keras":
        raise ParameterError(f"the model file must end in .keras, got '{text}'")
    if not path.parent.is_dir():
        raise ParameterError(f"folder {path.parent} does not exist")
    return path
