"""What the commands take in: option values checked by cnn_core's own validators, and image files.

``detect``, ``classify`` and ``embed`` take any number of image files and folders (a folder stands for
its images, in name order). Each file gives one ``FileResult``, its result or the one-line reason it
failed, so that one bad file does not stop the others; the model is built once, at the first file that
could be read.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cnn_core.errors import CNNLabError, ParameterError
from cnn_core.runtime import report_gpu

T = TypeVar("T")

#: the files of a folder that are taken as images (the formats ``cnn_core.images`` reads)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def checked(convert: Callable[[str], T], check: Callable[[T], object]) -> Callable[[str], T]:
    """An argparse ``type``: ``convert`` the text, then validate the value with a cnn_core check whose
    message argparse prints on one line ("argument --score: score threshold must be in [0, 1), got 1.5").
    """

    def parse(text: str) -> T:
        value = convert(text)
        try:
            check(value)
        except CNNLabError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
        return value

    parse.__name__ = convert.__name__  # argparse names it in "invalid float value: 'x'"
    return parse


def add_image_arguments(parser: argparse.ArgumentParser) -> None:
    """The positional IMAGE arguments of a command that runs on several images."""
    parser.add_argument(
        "images",
        nargs="+",
        metavar="IMAGE",
        help="image files, or folders (their PNG, JPEG, GIF, BMP, TIFF and WebP files, in name order)",
    )


def several_inputs(images: Sequence[str]) -> bool:
    """True when the command line names more than one file or any folder; each result then names its
    file (JSON Lines with a "file" field)."""
    return len(images) > 1 or any(Path(text).is_dir() for text in images)


def image_files(images: Sequence[str]) -> list[Path]:
    """The files to process: each named file as given (a missing one fails on its own, later), and for
    each folder its image files sorted by name (hidden files left out)."""
    files: list[Path] = []
    for text in images:
        path = Path(text)
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
        )
        if not found:
            raise ParameterError(f"folder {path} holds no image files ({', '.join(IMAGE_SUFFIXES)})")
        files.extend(found)
    return files


@dataclass(frozen=True)
class FileResult:
    """What one input file gave: its result, or the one-line reason it failed."""

    path: Path
    result: dict | None = None
    error: str | None = None


def each_file(files: Iterable[Path], process: Callable[[Path], dict]) -> Iterator[FileResult]:
    """``process`` the files in turn; a CNNLabError (a bad file, no face in it) stops only its own file."""
    for path in files:
        try:
            result = process(path)
        except CNNLabError as err:
            yield FileResult(path, error=str(err))
            continue
        yield FileResult(path, result=result)


def load_once(load: Callable[[], T]) -> Callable[[], T]:
    """A function that runs ``load`` at its first call only and then returns the same model again: one
    model for all files, and none at all when no file can be read. Names the GPU in use once loaded."""

    @functools.cache
    def model() -> T:
        loaded = load()
        report_gpu()
        return loaded

    return model
