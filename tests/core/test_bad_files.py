"""Issue 15's corpus of bad and unusual images through the decoder and through every image command.

A refused file gets one line that says what is wrong (``expect`` in tests/corpus.py); an accepted one
decodes to an (H, W, 3) uint8 array. Through the commands, every file either gives a result or exactly
one error line, the run exits with 2 when any file failed, and no traceback is ever printed. A file the
decoder refuses at any size gets its expected message from every command; any other message that
quotes a size in pixels quotes the file's own (upright) size, never a shrunk copy's. The three commands
that take several files each run once, in a fresh process, on the whole corpus.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from cnn_core.__main__ import main
from cnn_core.errors import ImageError
from cnn_core.images import WORKING_SIDE, decode_image, encode_png, sample_image
from tests.corpus import CorpusFile, image_files

IMAGES = image_files()
REFUSED = [file for file in IMAGES if file.expect is not None]
_SIZE_IN_PIXELS = re.compile(r"(\d+)x(\d+) pixels")


@cache
def _full_size(file: CorpusFile) -> str | None:
    """ "WxH" of the decoded file at full size (EXIF orientation applied), or None if it is refused."""
    try:
        height, width = decode_image(file.data, max_side=None).shape[:2]
    except ImageError:
        return None
    return f"{width}x{height}"


def _check_message(file: CorpusFile, line: str) -> None:
    """The expected message for a file refused at any size; otherwise only the file's own size is quoted."""
    size = _full_size(file)
    if size is None:
        assert file.expect is not None and file.expect in line, (file.name, line)
    quoted = {f"{width}x{height}" for width, height in _SIZE_IN_PIXELS.findall(line)}
    assert quoted <= {size}, (file.name, line)


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    """Every corpus image as a file, and a good photo of a face (sample_image('astronaut'))."""
    folder = tmp_path_factory.mktemp("corpus")
    for file in IMAGES:
        (folder / file.name).write_bytes(file.data)
    (folder / "good").mkdir()
    (folder / "good" / "face.png").write_bytes(encode_png(sample_image("astronaut")))
    return folder


@pytest.mark.parametrize("file", IMAGES, ids=[file.name for file in IMAGES])
def test_every_corpus_image_through_the_decoder(file: CorpusFile):
    if file.expect is None:
        rgb = decode_image(file.data)
        assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.uint8
        assert max(rgb.shape[:2]) <= WORKING_SIDE
        return
    with pytest.raises(ImageError) as refused:
        decode_image(file.data)
    message = str(refused.value)
    assert file.expect in message and "\n" not in message


def _error_lines(stderr: str, folder: Path) -> dict[str, list[str]]:
    """The 'error: <path>: message' lines of a batch run, by file name."""
    lines: dict[str, list[str]] = {}
    for line in stderr.splitlines():
        if line.startswith(f"error: {folder}/"):
            name, message = line.removeprefix(f"error: {folder}/").split(": ", 1)
            lines.setdefault(name, []).append(message)
    return lines


@pytest.mark.parametrize("command", ["classify", "detect", "embed"])
def test_batch_commands_give_one_line_per_bad_file_and_go_on(command, corpus_folder):
    paths = [str(corpus_folder / file.name) for file in IMAGES]
    result = subprocess.run(
        [sys.executable, "-m", "cnn_core", command, *paths, "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 2
    errors = _error_lines(result.stderr, corpus_folder)
    other = [
        line
        for line in result.stderr.splitlines()
        if not line.startswith(("error: ", "using GPU: ")) and "no objects above the threshold" not in line
    ]
    assert other == [], other
    results = {Path(json.loads(line)["file"]).name for line in result.stdout.splitlines()}
    for file in IMAGES:
        assert len(errors.get(file.name, [])) + (file.name in results) == 1, file.name
        if file.name in errors:
            _check_message(file, errors[file.name][0])
        else:
            assert _full_size(file) is not None, file.name


def _in_each_role(folder: Path) -> list[tuple[CorpusFile, list[str]]]:
    """Each corpus file as the first picture beside a good one, and each refused file as the second."""
    good = str(folder / "good" / "face.png")
    return [(file, [str(folder / file.name), good]) for file in IMAGES] + [
        (file, [good, str(folder / file.name)]) for file in REFUSED
    ]


def _check_outcome(file: CorpusFile, argv: list[str], capsys) -> None:
    """``main(argv)``: a file the decoder accepts may succeed; otherwise exit status 2 and one line on
    stderr, "error: …", whose message passes ``_check_message``."""
    try:
        status = main(argv)
    except SystemExit as stop:
        status = stop.code
    lines = capsys.readouterr().err.splitlines()
    if status == 0:
        assert _full_size(file) is not None, file.name
        return
    assert status == 2 and len(lines) == 1 and lines[0].startswith("error: "), (file.name, lines)
    _check_message(file, lines[0])


def test_verify_refuses_each_bad_photo_in_one_line(corpus_folder, capsys):
    for file, photos in _in_each_role(corpus_folder):
        _check_outcome(file, ["verify", *photos], capsys)


def test_style_refuses_each_bad_picture_in_one_line(corpus_folder, capsys, tmp_path):
    options = ["-o", str(tmp_path / "out.png"), "--method", "multistyle:0", "--size", "64"]
    for file, pictures in _in_each_role(corpus_folder):
        _check_outcome(file, ["style", *pictures, *options], capsys)


@pytest.mark.parametrize("method", ["multistyle:0", "arbitrary"])
def test_style_at_a_working_size_too_small_for_a_strip_quotes_the_files_size(method, tmp_path, capsys):
    """1000x40 at 64 px on its longer side would be 3 px high (the arbitrary network used to crash)."""
    strip, style = tmp_path / "strip.png", tmp_path / "style.png"
    strip.write_bytes(encode_png(np.zeros((40, 1000, 3), np.uint8)))
    style.write_bytes(encode_png(sample_image("chelsea")))
    out = str(tmp_path / "out.png")
    argv = ["style", str(strip), str(style), "-o", out, "--method", method, "--size", "64"]
    with pytest.raises(SystemExit) as stop:
        main(argv)
    lines = capsys.readouterr().err.splitlines()
    assert stop.value.code == 2 and len(lines) == 1
    assert lines[0] == (
        "error: the image is 1000x40 pixels: scaled to 64 pixels on its longer side it would be only 3 px "
        "high, and style transfer needs at least 32 px"
    )
