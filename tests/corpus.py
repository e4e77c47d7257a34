"""A corpus of hostile and unusual files (issue 15), generated on demand: nothing big is committed.

Each ``CorpusFile`` carries a file name with the suffix a user's file would have, its bytes, its ``kind``
(what it is) and ``expect``: a substring of the one-line message CNN Lab must give, or None when the file
must be accepted. Images are judged as an upload is (``decode_image`` at the working size), ``.keras``
files by ``load_keras_model`` and gallery files by ``gallery_from_json``. Large images are built by hand
from zeros (a PNG is a signature, chunks of length·type·data·CRC-32, and zlib-compressed rows), so the
whole corpus is made in about a second, once per process.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

#: Keras 3's own spelling of a float32 dtype policy and of the initialisers a Dense layer names
_POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}
_GLOROT = {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": None}}
_ZEROS = {"module": "keras.initializers", "class_name": "Zeros", "config": {}}


@dataclass(frozen=True)
class CorpusFile:
    """One file: ``expect`` is a substring of the message, or None when the file must be accepted."""

    name: str
    data: bytes
    kind: str
    expect: str | None


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC-32 of type + data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(
    width: int, height: int, *, bit_depth: int = 8, rows: bool = True, before_data: bytes = b""
) -> bytes:
    """A grey PNG of zeros (colour type 0): each row is a filter byte and ⌈width·bit_depth/8⌉ bytes.
    ``rows=False`` leaves out the image data (a header that promises pixels it never delivers)."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0))
    row_bytes = 1 + (width * bit_depth + 7) // 8
    data = _chunk(b"IDAT", zlib.compress(bytes(row_bytes * height), 9)) if rows else b""
    return b"\x89PNG\r\n\x1a\n" + header + before_data + data + _chunk(b"IEND", b"")


def _saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _noise(width: int, height: int, mode: str = "RGB") -> Image.Image:
    channels = len(mode)
    values = np.random.default_rng(15).integers(0, 256, (height, width, channels), dtype=np.uint8)
    return Image.fromarray(values.squeeze(), mode)


def _frames(fmt: str, **options) -> bytes:
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "green", "blue")]
    return _saved(frames[0], fmt, save_all=True, append_images=frames[1:], **options)


def _float_tiff() -> bytes:
    values = np.linspace(0.0, 1.0, 64, dtype=np.float32).reshape(8, 8)
    values[0, :3] = (np.nan, np.inf, -np.inf)
    return _saved(Image.fromarray(values, "F"), "TIFF")


def _exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    return _saved(Image.new("RGB", (40, 20), "white"), "JPEG", exif=exif)


def _gif_header(width: int, height: int) -> bytes:
    """A GIF whose screen and only frame claim ``width`` x ``height`` pixels; its data covers one pixel."""
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return b"GIF89a" + screen + frame + b"\x02\x02\x44\x01\x00\x3b"


def _bmp_header(width: int, height: int) -> bytes:
    """A 24-bit BMP header (file header + BITMAPINFOHEADER) for ``width`` x ``height``, without pixels."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info), 0, 0, 14 + len(info)) + info


def _corrupt_exif_jpeg() -> bytes:
    """A JPEG whose APP1 segment says "Exif" and then holds 1 kB of nonsense."""
    jpeg = _saved(Image.new("RGB", (16, 16), "grey"), "JPEG")
    payload = b"Exif\x00\x00" + bytes(range(256)) * 4
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def image_files() -> list[CorpusFile]:
    """Image uploads: broken, hostile, exotic and merely unusual."""
    small_png = _saved(_noise(64, 64), "PNG")
    small_jpeg = _saved(_noise(64, 64), "JPEG", quality=90)
    bad_crc = bytearray(small_png)
    bad_crc[29] ^= 0xFF  # the last byte of the IHDR chunk's CRC (8 signature + 8 + 13 data bytes)
    inflating = zlib.compress(bytes(64 * 2**20), 9)  # 64 MB of zeros in 65 kB
    text_bomb = _chunk(b"zTXt", b"Comment\x00\x00" + inflating)
    one_pixel = _png(1, 1)
    late_text_bomb = one_pixel[:-12] + text_bomb + one_pixel[-12:]  # after the pixels: fails in load()
    return [
        CorpusFile("empty.png", b"", "0-byte file", "the file is empty (0 bytes)"),
        CorpusFile("notes.png", b"hello, I am a text file\n" * 4, "text named .png", "not an image"),
        CorpusFile(
            "truncated.png", small_png[: len(small_png) // 2], "truncated PNG", "damaged or truncated"
        ),
        CorpusFile(
            "truncated.jpg", small_jpeg[: len(small_jpeg) // 2], "truncated JPEG", "damaged or truncated"
        ),
        CorpusFile("bad_crc.png", bytes(bad_crc), "PNG with a bad CRC", "not an image"),
        CorpusFile(
            "bomb.png",
            _png(20000, 20000, bit_depth=1),
            "20000² decompression bomb",
            "the limit is 50 megapixels",
        ),
        CorpusFile(
            "header_only.png",
            _png(65000, 65000, rows=False),
            "65000² header only",
            "65000x65000 = 4225 megapixels",
        ),
        CorpusFile(
            "text_bomb.png", _png(8, 8, before_data=text_bomb), "zTXt of 64 MB", "Decompressed data too large"
        ),
        CorpusFile(
            "late_text_bomb.png",
            late_text_bomb,
            "zTXt of 64 MB after the pixels",
            "Decompressed data too large",
        ),
        CorpusFile(
            "profile_bomb.png",
            _png(8, 8, before_data=_chunk(b"iCCP", b"icc\x00\x00" + inflating)),
            "colour profile of 64 MB",
            "Decompressed data too large",
        ),
        CorpusFile(
            "gif_header.gif",
            _gif_header(65535, 65535),
            "GIF claiming 65535²",
            "65535x65535 = 4295 megapixels",
        ),
        CorpusFile(
            "bmp_header.bmp",
            _bmp_header(60000, 60000),
            "BMP header of 60000²",
            "60000x60000 = 3600 megapixels",
        ),
        CorpusFile("zero_width.png", _png(0, 10, rows=False), "PNG of width 0", "not an image"),
        CorpusFile("soi_only.jpg", b"\xff\xd8\xff", "JPEG start marker only", "not an image"),
        CorpusFile("truncated.gif", _frames("GIF")[:60], "truncated GIF", "damaged or truncated"),
        CorpusFile(
            "truncated.webp", _saved(_noise(64, 64), "WEBP")[:200], "truncated WebP", "damaged or truncated"
        ),
        CorpusFile(
            "truncated.tiff", _saved(_noise(16, 16), "TIFF")[:300], "truncated TIFF", "damaged or truncated"
        ),
        CorpusFile("animated.gif", _frames("GIF"), "animated GIF", "animated (3 frames)"),
        CorpusFile("animated.png", _frames("PNG"), "animated PNG (APNG)", "animated (3 frames)"),
        CorpusFile("animated.webp", _frames("WEBP", lossless=True), "animated WebP", "animated (3 frames)"),
        CorpusFile("pages.tiff", _frames("TIFF"), "multi-page TIFF", "holds 3 pages"),
        CorpusFile(
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle r="30"/></svg>',
            "SVG",
            "not an image",
        ),
        CorpusFile(
            "document.jpg",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
            "PDF named .jpg",
            "not an image",
        ),
        CorpusFile("cmyk.jpg", _saved(_noise(32, 32, "CMYK"), "JPEG"), "CMYK JPEG", None),
        CorpusFile(
            "sixteen_bit.png", _saved(Image.new("I;16", (32, 32), 40000), "PNG"), "16-bit grey PNG", None
        ),
        CorpusFile("float_nan.tiff", _float_tiff(), "float TIFF with NaN and ±inf", None),
        CorpusFile("rotated.jpg", _exif_rotated(), "EXIF-rotated JPEG", None),
        CorpusFile("corrupt_exif.jpg", _corrupt_exif_jpeg(), "JPEG with a corrupt EXIF block", None),
        CorpusFile("icon.ico", _saved(_noise(32, 32), "ICO"), "Windows icon", None),
        CorpusFile("depth.mpo", _frames("MPO"), "MPO (photo + depth frame)", None),
        CorpusFile(
            "transparent.png",
            _saved(Image.new("P", (8, 8), 0), "PNG", transparency=0),
            "palette + tRNS",
            None,
        ),
        CorpusFile("one_pixel.png", one_pixel, "1x1 image", None),
        CorpusFile("strip_tall.png", _png(3, 20000), "3x20000 strip", "3x20000"),
        CorpusFile("strip_wide.png", _png(20000, 3), "20000x3 strip", "20000x3"),
        CorpusFile("photo_49mp.png", _png(7000, 7000), "49 megapixels", None),
        CorpusFile("polyglot.png", small_png + _zip({"readme.txt": b"hi"}), "PNG + ZIP polyglot", None),
    ]


def _keras_config(units: int, inputs: int) -> dict:
    """A Keras 3 ``config.json``: a Sequential model of one Dense layer, ``inputs`` → ``units``."""
    dense = {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {
            "name": "fc",
            "trainable": True,
            "dtype": _POLICY,
            "units": units,
            "activation": "linear",
            "use_bias": True,
            "kernel_initializer": _GLOROT,
            "bias_initializer": _ZEROS,
        },
        "registered_name": None,
        "build_config": {"input_shape": [None, inputs]},
    }
    layer_input = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": [None, inputs], "dtype": "float32", "name": "input_layer"},
        "registered_name": None,
    }
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "tiny", "trainable": True, "dtype": _POLICY, "layers": [layer_input, dense]},
        "registered_name": None,
        "build_config": {"input_shape": [None, inputs]},
        "compile_config": None,
    }


def tiny_dense_weights() -> tuple[np.ndarray, np.ndarray]:
    """The weights of the accepted ``.keras`` file: kernel (8, 4) = 0..31 / 32 and bias (4,) = 1, 2, 3, 4."""
    return np.arange(32, dtype=np.float32).reshape(8, 4) / 32, np.arange(1, 5, dtype=np.float32)


def _weights_h5(kernel: np.ndarray, bias: np.ndarray) -> bytes:
    """``model.weights.h5`` as Keras 3 lays it out: /layers/<layer>/vars/0, 1 …, and /vars of the model."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as store:
        variables = store.create_group("layers/dense/vars")
        variables.attrs["name"] = "fc"
        variables["0"], variables["1"] = kernel, bias
        store.create_group("vars").attrs["name"] = "tiny"
    return buffer.getvalue()


def _keras_archive(config: dict | bytes, weights: bytes) -> bytes:
    text = config if isinstance(config, bytes) else json.dumps(config).encode()
    metadata = b'{"keras_version": "3.15.1"}'
    return _zip({"metadata.json": metadata, "config.json": text, "model.weights.h5": weights})


def _zip_bomb(weights_size: int) -> bytes:
    """A ``.keras`` archive whose weights member inflates from about 1 MB to ``weights_size`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # level 1: fast
        archive.writestr("config.json", json.dumps(_keras_config(4, 8)))
        with archive.open("model.weights.h5", "w", force_zip64=True) as member:
            block = bytes(2**20)
            for _ in range(weights_size // len(block)):
                member.write(block)
    return buffer.getvalue()


def _nested(depth: int) -> bytes:
    """A config.json whose "config" holds a list nested ``depth`` levels deep."""
    return b'{"module": "keras", "class_name": "Sequential", "config": ' + b"[" * depth + b"]" * depth + b"}"


@lru_cache(maxsize=1)
def keras_files() -> list[CorpusFile]:
    """``.keras`` uploads: one good model, then broken archives, bombs and configs that would run code."""
    good = _weights_h5(*tiny_dense_weights())
    lambda_config = _keras_config(4, 8)
    lambda_config["config"]["layers"][1] = {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": "code", "function": {"class_name": "__lambda__", "config": {"code": "..."}}},
    }
    foreign = _keras_config(4, 8)
    foreign["config"]["layers"][1]["module"] = "os"
    text = json.dumps(_keras_config(4, 8))
    long_number, not_a_number = (
        text.replace('"units": 4', f'"units": {units}') for units in ("9" * 5000, "NaN")
    )
    return [
        CorpusFile("tiny.keras", _keras_archive(_keras_config(4, 8), good), "valid Dense 8 → 4", None),
        CorpusFile("empty.keras", b"", "0-byte file", "the model file is empty"),
        CorpusFile("photo.keras", _png(8, 8), "PNG named .keras", "this is not a .keras file"),
        CorpusFile("notes.keras", b"PK\x03\x04 not a zip at all", "not a zip", "this is not a .keras file"),
        CorpusFile("bomb.keras", _zip_bomb(256 * 2**20), "zip bomb (256 MiB of weights)", "unpacks to"),
        CorpusFile(
            "deep.keras", _keras_archive(_nested(100_000), good), "config nested 100,000 deep", "levels deep"
        ),
        CorpusFile(
            "huge_dense.keras",
            _keras_archive(_keras_config(400_000, 1000), good),
            "one Dense layer of 400 M parameters",
            "400,400,000 parameters",
        ),
        CorpusFile("lambda.keras", _keras_archive(lambda_config, good), "Lambda layer", "Lambda layer"),
        CorpusFile(
            "foreign.keras", _keras_archive(foreign, good), "class from module os", "from module 'os'"
        ),
        CorpusFile(
            "broken.keras", _keras_archive(b"{not json", good), "config.json not JSON", "not valid JSON"
        ),
        CorpusFile(
            "digits.keras", _keras_archive(long_number.encode(), good), "5000-digit integer", "5,000 digits"
        ),
        CorpusFile(
            "nan_units.keras",
            _keras_archive(not_a_number.encode(), good),
            "Dense of NaN units",
            "Keras could not load the model",
        ),
        CorpusFile(
            "list.keras", _keras_archive(b"[]", good), "config.json holds a list", "does not describe a model"
        ),
        CorpusFile(
            "no_weights.keras",
            _zip({"config.json": json.dumps(_keras_config(4, 8)).encode()}),
            "no weights member",
            "lacks model.weights.h5",
        ),
        CorpusFile(
            "big_config.keras",
            _zip({"config.json": b" " * 30_000_000, "model.weights.h5": good}, zipfile.ZIP_DEFLATED),
            "config.json of 30 MB",
            "config.json is 30,000,000 bytes",
        ),
    ]


def _gallery(entries: object) -> bytes:
    return json.dumps({"format": "cnn-lab-face-gallery", "version": 1, "entries": entries}).encode()


def _gallery_with_value(text: str) -> bytes:
    """A one-entry gallery whose 6th descriptor value (index 5) is ``text``, written as it is."""
    values = ["0.5"] * 128
    values[5] = text
    return (
        b'{"format": "cnn-lab-face-gallery", "version": 1, "entries": [{"name": "Ada", "embedding": ['
        + ", ".join(values).encode()
        + b"]}]}"
    )


@lru_cache(maxsize=1)
def gallery_files() -> list[CorpusFile]:
    """Face-gallery uploads: a good one, a name that looks like Markdown, and every way to be bad."""
    one = {"name": "Ada", "embedding": [0.25] * 128}
    markdown = {"name": "**Bo** [link](https://example.com) :red[red] $x^2$", "embedding": [0.5] * 128}
    return [
        CorpusFile("gallery.json", _gallery([one]), "valid gallery", None),
        CorpusFile("markdown.json", _gallery([markdown]), "name written in Markdown", None),
        CorpusFile("empty.json", b"", "0-byte file", "the gallery file is empty"),
        CorpusFile("brackets.json", b"[" * 200_000, '"[" x 200,000', "levels deep"),
        CorpusFile("not_json.json", b"{not json", "not JSON", "not valid JSON"),
        CorpusFile("latin1.json", _gallery([one]).replace(b"Ada", b"Ad\xe9"), "not UTF-8", "not UTF-8 text"),
        CorpusFile("digits_400.json", _gallery_with_value("7" * 400), "400-digit integer", "400 digits"),
        CorpusFile("digits_5000.json", _gallery_with_value("7" * 5000), "5000-digit integer", "5,000 digits"),
        CorpusFile("nan.json", _gallery_with_value("NaN"), "NaN", "the value at index 5 is nan"),
        CorpusFile(
            "infinity.json", _gallery_with_value("-Infinity"), "-Infinity", "the value at index 5 is -inf"
        ),
        CorpusFile("overflow.json", _gallery_with_value("1e400"), "1e400", "the value at index 5 is inf"),
        CorpusFile(
            "float32_overflow.json", _gallery_with_value("1e39"), "1e39 (beyond float32)", "index 5 is 1e+39"
        ),
        CorpusFile(
            "text_values.json",
            _gallery([{"name": "Ada", "embedding": ["0.5"] * 128}]),
            "numbers written as text",
            "a list of numbers",
        ),
        CorpusFile(
            "bool_values.json",
            _gallery([{"name": "Ada", "embedding": [True] * 128}]),
            "true/false values",
            "a list of numbers",
        ),
        CorpusFile(
            "short.json", _gallery([{"name": "Ada", "embedding": [0.5] * 3}]), "3 values", "got shape (3,)"
        ),
        CorpusFile(
            "number_name.json", _gallery([{"name": 7, "embedding": [0.5] * 128}]), "name 7", "non-empty text"
        ),
        CorpusFile(
            "entries_object.json", _gallery({"Ada": [0.5] * 128}), "entries as an object", '"entries" list'
        ),
        CorpusFile(
            "entry_list.json", _gallery([["Ada", [0.5] * 128]]), "entry as a list", 'entry 1 needs a "name"'
        ),
        CorpusFile(
            "huge_name.json",
            _gallery([{"name": "A" * 1_000_000, "embedding": [0.5] * 128}]),
            "name of 1,000,000 characters",
            "at most 80 characters, got 1000000",
        ),
        CorpusFile("too_many.json", _gallery([one] * 501), "501 entries", "at most 500 entries"),
        CorpusFile("oversized.json", b" " * 2_000_001 + b"{}", "2 MB of spaces", "the limit is 2,000,000"),
    ]
