"""Open a user's ``.keras`` file without running code from it or letting it claim gigabytes.

A ``.keras`` file is a zip archive holding ``config.json`` (the architecture), ``metadata.json`` and
``model.weights.h5``. Before Keras sees it, the archive is checked: size cap, a real zip, the expected
members, no zip bomb, a config.json read within limits (``cnn_core.safe_json``), a config that only
names classes from Keras itself (or registered CNN Lab layers) and no Lambda layer, and at most
``MAX_PARAMS`` parameters, counted from the config before any weight is allocated. Then
``keras.saving.load_model(..., safe_mode=True, compile=False)`` loads it; any failure becomes a
``ModelFileError`` with a one-sentence reason.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnn_core.errors import ModelFileError
from cnn_core.safe_json import JSONFileError, read_json

if TYPE_CHECKING:
    import keras

#: the app's upload limit (.streamlit/config.toml maxUploadSize)
MAX_FILE_BYTES = 25 * 1024 * 1024
#: weights are stored uncompressed in practice; anything far larger than the file is a zip bomb
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: config.json of the zoo's largest architecture (Inception-v1) is 190 kB; 20x that is plenty
MAX_CONFIG_BYTES = 4_000_000
#: the zoo's configs nest 10 or 11 levels deep; each model nested inside another adds about 4
MAX_CONFIG_DEPTH = 64
#: parameters a model may declare: above VGG-19's 143,667,240, the largest in the zoo (600 MB as float32)
MAX_PARAMS = 150_000_000
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


def _keras_failed(err: Exception) -> ModelFileError:
    """Keras's complaint about an untrusted file, as one line: any failure there is the file's fault."""
    text = str(err).strip()
    return ModelFileError(
        f"Keras could not load the model: {text.splitlines()[0] if text else type(err).__name__}"
    )


def _skeleton_params(config: dict) -> int:
    import keras

    with keras.StatelessScope(initialize_variables=False):
        model = keras.saving.deserialize_keras_object({**config, "compile_config": None}, safe_mode=True)
    return int(model.count_params())


def count_parameters(config: dict) -> int:
    """The parameters of the model a ``.keras`` config describes, Σ over its weights of ∏ shape (as
    ``summarize`` counts them), found without allocating a single weight.

    Keras builds the layers inside a ``keras.StatelessScope``, where a new variable records its shape and
    initialiser but defers its values. Keras keeps the deferred variables in a per-thread list and would
    fill them when a later scope closes, so the skeleton is built in a thread of its own and dies with it.

    >>> def layer(kind, **config):
    ...     return {"module": "keras.layers", "class_name": kind, "config": config}
    >>> layers = [layer("InputLayer", batch_shape=[None, 1000]), layer("Dense", units=400_000)]
    >>> model = {"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": layers}}
    >>> count_parameters(model)  # 1000·400,000 weights + 400,000 biases: 1.6 GB, never allocated
    400400000
    """
    import cnn_core.zoo.lenet5  # noqa: F401  (registers CNN Lab's own layers for models saved from the zoo)

    with ThreadPoolExecutor(max_workers=1) as worker:
        try:
            return worker.submit(_skeleton_params, config).result()
        except Exception as err:
            raise _keras_failed(err) from None


def _read_config(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict:
    """config.json, refused by its declared size before it is inflated, then read within limits."""
    if info.file_size > MAX_CONFIG_BYTES:
        raise ModelFileError(
            f"the .keras archive's config.json is {info.file_size:,} bytes; the limit is {MAX_CONFIG_BYTES:,}"
        )
    try:
        config = read_json(
            archive.read(info), name="config.json", max_bytes=MAX_CONFIG_BYTES, max_depth=MAX_CONFIG_DEPTH
        )
    except JSONFileError as err:
        raise ModelFileError(f"the .keras archive is corrupt: {err}") from None
    if not isinstance(config, dict):
        raise ModelFileError("the .keras archive's config.json does not describe a model")
    return config


def _check_archive(data: bytes, max_bytes: int) -> None:
    """Every check before Keras loads the archive (see the module docstring)."""
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
            config = _read_config(archive, members["config.json"])
    except (zipfile.BadZipFile, OSError) as err:
        raise ModelFileError(f"the .keras archive is corrupt: {err}") from None
    check_config(config)
    params = count_parameters(config)
    if params > MAX_PARAMS:
        raise ModelFileError(
            f"the model declares {params:,} parameters ({params * 4 / 1e9:.1f} GB as float32); "
            f"the limit is {MAX_PARAMS:,}"
        )


def load_keras_model(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> keras.Model:
    """Load the bytes of a ``.keras`` file as a Keras model, safely (see the module docstring)."""
    _check_archive(data, max_bytes)  # this has also registered CNN Lab's own layers with Keras
    import keras

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.keras"
        path.write_bytes(data)
        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as err:
            raise _keras_failed(err) from None
    if not isinstance(model, keras.Model):
        raise ModelFileError(f"the file holds a {type(model).__name__}, not a Keras model")
    return model
