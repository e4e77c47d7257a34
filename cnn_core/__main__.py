"""Command line: ``python -m cnn_core <command> ... [--json]``.

Each command lives in ``cnn_core/commands/<name>.py`` and defines ``HELP``, ``add_arguments(parser)``
and ``run(args) -> dict``. Modules are imported only when their command runs, so a quick command never
pays for TensorFlow. Bad input exits with status 2 and a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import NoReturn

from cnn_core.errors import CNNLabError

#: command name on the command line -> module under cnn_core.commands
COMMANDS: dict[str, str] = {
    "conv-shape": "conv_shape",
    "detect": "detect",
    "embed": "embed",
    "verify": "verify",
    "summary": "summary",
    "style": "style",
    "classify": "classify",
    "rf": "rf",
}


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _print_result(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, run the chosen command and print its result; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    parser = _OneLineParser(prog="python -m cnn_core", description="CNN Lab on the command line.")
    parser.add_argument("command", choices=sorted(COMMANDS), help="what to compute")
    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    if argv[0] not in COMMANDS:
        _fail(f"unknown command '{argv[0]}'; valid commands: {', '.join(sorted(COMMANDS))}")
    module = importlib.import_module(f"cnn_core.commands.{COMMANDS[argv[0]]}")
    sub = _OneLineParser(prog=f"python -m cnn_core {argv[0]}", description=module.HELP)
    module.add_arguments(sub)
    sub.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = sub.parse_args(argv[1:])
    try:
        result = module.run(args)
    except CNNLabError as err:
        _fail(str(err))
    _print_result(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
