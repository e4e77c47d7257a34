"""Open a user's ``.keras`` file without running code from it.

A ``.keras`` file is a zip archive holding ``config.json`` (the architecture), ``metadata.json`` and
``model.weights.h5``. Before Keras sees it, the archive is checked: size cap, a real zip, the expected
members, no zip bomb, and a config that only names classes from Keras itself (or registered CNN Lab
layers) and no Lambda layer. Then ``keras.saving.load_model(..., safe_mode=True, compile=False)`` loads it;
any failure becomes a ``ModelFileError`` with a one-sentence reason.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnn_core.errors import ModelFileError

if TYPE_CHECKING:
    import keras

#: the app's upload limit (.streamlit/config.toml maxUploadSize)
MAX_FILE_BYTES = 25 * 1024 * 1024
#: weights are stored uncompressed in practice; anything far larger than the file is a zip bomb
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
REQUIRED_MEMBERS = ("config.json", "model.weights.h5")
#: classes a config may name: Keras's own and CNN Lab's registered layers
ALLOWED_PACKAGES = ("keras", "cnn_core")


def _walk(config: Any):
    """Every dict nested anywhere in ``config``."""
    if isinstance(config, dict):
        yield config
        for value in config.values():
            yield from _walk(value)
    elif isinstance(config, list):
        for value in config:
            yield from _walk(value)


def check_config(config: dict) -> None:
    """Refuse configs that would run Python code: Lambda layers, and classes from outside Keras.

    >>> check_config({"module": "keras.layers", "class_name": "Dense", "config": {}})
    >>> check_config({"module": "os", "class_name": "system", "config": {}})
    Traceback (most recent call last):
    ...
    cnn_core.errors.ModelFileError: the model names 'system' from module 'os'; only Keras layers ...
    """
    for item in _walk(config):
        if item.get("class_name") in ("Lambda", "__lambda__"):
            raise ModelFileError(
                "the model contains a Lambda layer, i.e. Python code; it is refused (Keras safe mode) "
                "because loading it could run anything"
            )
        module = item.get("module")
        if isinstance(module, str) and module.split(".")[0] not in ALLOWED_PACKAGES:
            raise ModelFileError(
                f"the model names {item.get('class_name')!r} from module {module!r}; only Keras layers "
                "and CNN Lab's own layers can be opened"
            )


def _check_archive(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ModelFileError("the model file is empty")
    if len(data) > max_bytes:
        raise ModelFileError(f"the model file has {len(data):,} bytes; the limit is {max_bytes:,}")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ModelFileError(
            "this is not a .keras file: a .keras file is a zip archive (saved with model.save)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            missing = [name for name in REQUIRED_MEMBERS if name not in members]
            if missing:
                raise ModelFileError(f"the .keras archive lacks {', '.join(missing)}; is it a Keras 3 model?")
            unpacked = sum(info.file_size for info in members.values())
            if unpacked > MAX_UNPACKED_BYTES:
                raise ModelFileError(
                    f"the .keras archive unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,}"
                )
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, OSError) as err:
        raise ModelFileError(f"the .keras archive is corrupt: {err}") from None
    if not isinstance(config, dict):
        raise ModelFileError("the .keras archive's config.json does not describe a model")
    check_config(config)


def load_keras_model(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> keras.Model:
    """Load the bytes of a ``.keras`` file as a Keras model, safely (see the module docstring)."""
    _check_archive(data, max_bytes)
    import keras

    import cnn_core.zoo.lenet5  # noqa: F401  (registers CNN Lab's own layers for models saved from the zoo)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.keras"
        path.write_bytes(data)
        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as err:  # any failure of an untrusted file is the file's fault
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise ModelFileError(f"Keras could not load the model: {reason}") from None
    if not isinstance(model, keras.Model):
        raise ModelFileError(f"the file holds a {type(model).__name__}, not a Keras model")
    return model
