"""The exceptions CNN Lab raises for bad input.

Every error a user can cause is a ``CNNLabError``: pages show ``str(err)`` with ``st.error`` and the
command line prints it on one line and exits with status 2. Messages name the argument and echo the
value, e.g. "stride must be ≥ 1, got 0".
"""


class CNNLabError(ValueError):
    """Base class: bad input or a missing resource, explained in one sentence."""


class ParameterError(CNNLabError):
    """A numeric or named parameter is out of range or inconsistent with the others."""


class ShapeError(CNNLabError):
    """Shapes do not fit together (a filter larger than its padded input, a channel mismatch)."""


class ImageError(CNNLabError):
    """An upload is not a usable image: empty, corrupt, truncated, animated or too large."""


class WeightsError(CNNLabError):
    """A pretrained weight file is missing or does not match its recorded sha256."""


class ModelFileError(CNNLabError):
    """A user-supplied model file cannot be loaded safely."""


class FaceError(CNNLabError):
    """No usable face was found where one is needed."""
