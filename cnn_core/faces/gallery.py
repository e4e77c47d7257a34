"""One-shot recognition (1:K): a gallery of named descriptors, identification, and a JSON file format.

Each person is enrolled from one photo; their descriptor f(x_k) is computed once and kept (the course's
"precompute the encodings" trick). A probe x is identified as the nearest enrolled person when
min_k ‖f(x) − f(x_k)‖₂ ≤ τ, otherwise as unknown. Nothing is written on the server: a gallery lives
in the user's session and travels as a small JSON file:

    {"format": "cnn-lab-face-gallery", "version": 1, "model": "...",
     "entries": [{"name": "Ada", "embedding": [128 floats]}, ...]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from cnn_core.errors import CNNLabError, ParameterError, ShapeError
from cnn_core.faces.verify import DEFAULT_THRESHOLD, check_threshold
from cnn_core.safe_json import JSONFileError, read_json

FORMAT = "cnn-lab-face-gallery"
VERSION = 1
MODEL = "dlib_face_recognition_resnet_model_v1 (face-api 1.7.15)"
EMBEDDING_SIZE = 128
MAX_ENTRIES = 500
MAX_NAME_LENGTH = 80
MAX_FILE_BYTES = 2_000_000
#: {"entries": [{"embedding": [...]}]} is 4 levels deep
MAX_DEPTH = 4
#: the largest magnitude a float32 holds
FLOAT32_MAX = float(np.finfo(np.float32).max)


class GalleryFileError(CNNLabError):
    """A gallery JSON file that cannot be imported."""


@dataclass(frozen=True)
class Entry:
    """One enrolled face: the person's name, the descriptor (128,) float32 and, when it was enrolled from a
    photo in this session, the aligned crop (150, 150, 3) uint8 it came from (None after an import)."""

    name: str
    embedding: np.ndarray
    crop: np.ndarray | None = None


@dataclass(frozen=True)
class Gallery:
    """Enrolled faces in the order they were enrolled. Immutable: enrolling returns a new gallery.

    >>> g = Gallery().enrol("Ada", np.zeros(128)).enrol(" Bo  Li ", np.ones(128))
    >>> g.names, g.embeddings.shape
    (('Ada', 'Bo Li'), (2, 128))
    """

    entries: tuple[Entry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def names(self) -> tuple[str, ...]:
        """The K names, one per entry (a person enrolled twice appears twice)."""
        return tuple(entry.name for entry in self.entries)

    @property
    def embeddings(self) -> np.ndarray:
        """The descriptors as one (K, 128) float32 matrix, row k for entry k."""
        rows = [entry.embedding for entry in self.entries]
        return np.array(rows, dtype=np.float32).reshape(len(rows), EMBEDDING_SIZE)

    def enrol(self, name: str, embedding: np.ndarray, crop: np.ndarray | None = None) -> Gallery:
        """A gallery with ``name`` → ``embedding`` (128,) appended (a name may be enrolled more than once);
        ``crop`` is the aligned face to show beside the name."""
        name = _check_name(name)
        vector = _check_embedding(embedding)
        _check_room(len(self) + 1)
        return Gallery((*self.entries, Entry(name, vector, crop)))

    def extend(self, other: Gallery) -> Gallery:
        """This gallery's entries followed by ``other``'s (e.g. an imported file)."""
        _check_room(len(self) + len(other))
        return Gallery(self.entries + other.entries)

    def remove(self, index: int) -> Gallery:
        """A gallery without entry ``index``."""
        if not 0 <= index < len(self):
            raise ParameterError(f"index must be in 0..{len(self) - 1}, got {index}")
        return Gallery(self.entries[:index] + self.entries[index + 1 :])


def _check_room(size: int) -> None:
    if size > MAX_ENTRIES:
        raise ParameterError(f"a gallery holds at most {MAX_ENTRIES} entries, got {size}")


def _check_embedding(embedding: np.ndarray) -> np.ndarray:
    """The descriptor as (128,) float32, refusing NaN, ±inf and values beyond float32's ±3.4e38 by index.

    >>> _check_embedding(np.r_[np.zeros(5), np.nan, np.zeros(122)])
    Traceback (most recent call last):
    ...
    cnn_core.errors.ShapeError: embedding must be 128 finite numbers, but the value at index 5 is nan
    """
    values = np.asarray(embedding, dtype=np.float64)
    if values.shape != (EMBEDDING_SIZE,):
        raise ShapeError(f"embedding must be {EMBEDDING_SIZE} finite numbers, got shape {values.shape}")
    unfit = ~(np.abs(values) <= FLOAT32_MAX)  # True for NaN too
    if unfit.any():
        index = int(np.argmax(unfit))
        value = values[index]
        beyond = f", beyond float32's ±{FLOAT32_MAX:.1e}" if np.isfinite(value) else ""
        raise ShapeError(
            f"embedding must be {EMBEDDING_SIZE} finite numbers, but the value at index {index} is "
            f"{value:g}{beyond}"
        )
    return values.astype(np.float32)


def _shown(value: object, width: int = 40) -> str:
    """``repr(value)``, cut to ``width`` characters: a message never echoes a whole hostile file.

    >>> _shown("x" * 100, 8)
    "'xxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ParameterError(f"name must be a non-empty text, got {_shown(name)}")
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        raise ParameterError(f"name must be at most {MAX_NAME_LENGTH} characters, got {len(name)}")
    return name


@dataclass(frozen=True)
class Identification:
    """The answer to "who is this?": the nearest name (None when farther than τ), and all K distances."""

    name: str | None
    nearest: int | None
    distances: np.ndarray
    threshold: float


def identify(gallery: Gallery, embedding: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> Identification:
    """Nearest enrolled person to a (128,) probe, if within τ.

    >>> g = Gallery().enrol("a", np.zeros(128)).enrol("b", np.full(128, 0.1))
    >>> result = identify(g, np.full(128, 0.09))
    >>> result.name, result.distances.round(3).tolist()
    ('b', [1.018, 0.113])
    """
    threshold = check_threshold(threshold)
    probe = np.asarray(embedding, dtype=np.float64)
    if probe.shape != (EMBEDDING_SIZE,):
        raise ShapeError(f"embedding must be ({EMBEDDING_SIZE},), got {probe.shape}")
    if not len(gallery):
        raise ParameterError("the gallery is empty: enrol at least one person first")
    distances = np.linalg.norm(gallery.embeddings.astype(np.float64) - probe, axis=1)  # (K,)
    nearest = int(np.argmin(distances))
    known = distances[nearest] <= threshold
    return Identification(
        gallery.names[nearest] if known else None, nearest if known else None, distances, threshold
    )


def gallery_to_json(gallery: Gallery) -> str:
    """The gallery as a JSON document (descriptors rounded to 6 decimals)."""
    entries = [
        {"name": entry.name, "embedding": [round(float(v), 6) for v in entry.embedding]}
        for entry in gallery.entries
    ]
    return json.dumps({"format": FORMAT, "version": VERSION, "model": MODEL, "entries": entries})


def gallery_from_json(data: str | bytes) -> Gallery:
    """Parse and validate a file written by ``gallery_to_json``; a GalleryFileError says what is wrong and
    where. The file is read by ``read_json`` (size, depth and number limits), then checked entry by entry."""
    try:
        document = read_json(data, name="the gallery file", max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    except JSONFileError as err:
        raise GalleryFileError(str(err)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise GalleryFileError(f'the file is not a face gallery (expected "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise GalleryFileError(
            f"gallery version {_shown(document.get('version'))} is not supported (expected {VERSION})"
        )
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise GalleryFileError('the gallery file has no "entries" list')
    gallery = Gallery()
    for number, entry in enumerate(entries, start=1):
        try:
            values = entry["embedding"]
            if not isinstance(values, list):
                raise ShapeError(f"the embedding must be a list of numbers, got {_shown(values)}")
            for index, value in enumerate(values):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ShapeError(
                        f"the embedding must be a list of numbers, but the value at index {index} is "
                        f"{_shown(value)}"
                    )
            gallery = gallery.enrol(entry["name"], np.asarray(values, dtype=np.float64))
        except (KeyError, TypeError) as err:
            raise GalleryFileError(f'entry {number} needs a "name" and an "embedding"') from err
        except CNNLabError as err:
            raise GalleryFileError(f"entry {number}: {err}") from err
    return gallery


def project_2d(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PCA to the plane: (N, D) descriptors → (N, 2) coordinates and the share of variance each axis keeps.

    Centre on the mean, take the two leading right singular vectors v₁, v₂ of the centred matrix X
    (X = U Σ Vᵀ) and return X [v₁ v₂]; axis k keeps σ_k² / Σ σ². Fewer than two directions of spread
    give zero columns.

    >>> coords, share = project_2d(np.array([[0.0, 0, 0], [2, 0, 0], [1, 1, 0]]))
    >>> np.abs(coords).round(3).tolist(), share.round(3).tolist()
    ([[1.0, 0.333], [1.0, 0.333], [0.0, 0.667]], [0.75, 0.25])
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) == 0:
        raise ShapeError(f"vectors must be (N, D) with N ≥ 1, got {vectors.shape}")
    centred = vectors - vectors.mean(axis=0)
    _, singular, rows = np.linalg.svd(centred, full_matrices=False)
    coords = np.zeros((len(vectors), 2))
    share = np.zeros(2)
    k = min(2, len(singular))
    coords[:, :k] = centred @ rows[:k].T
    total = (singular**2).sum()
    if total > 0:
        share[:k] = singular[:k] ** 2 / total
    return coords, share
