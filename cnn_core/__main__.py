"""Command line: ``cnn-lab <command> ... [--json] [--verbose]`` (or ``python -m cnn_core ...``).

Each command lives in ``cnn_core/commands/<name>.py`` and defines ``SUMMARY`` (its line in ``--help``),
``HELP``, ``add_arguments(parser)``, ``run(args)`` and ``render(result) -> str`` (the text output; with
``--json`` the result itself is printed). ``run`` returns one result dict, or, for the commands that take
several images, one ``FileResult`` per file. TensorFlow is imported only when a command needs it, after
its arguments were checked, and its start-up logging is silenced unless ``--verbose`` is given.
Bad arguments exit with status 2 and one line on stderr; so does a run in which any file failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from types import ModuleType
from typing import NoReturn

from cnn_core.commands import (
    augment,
    classify,
    conv_shape,
    detect,
    embed,
    landmarks,
    proposals,
    rf,
    style,
    summary,
    train,
    verify,
    yolo_target,
)
from cnn_core.commands.inputs import FileResult, several_inputs
from cnn_core.commands.output import print_error, print_result
from cnn_core.errors import CNNLabError
from cnn_core.runtime import quiet_tensorflow, report_gpu

#: command name on the command line -> its module, in the order ``--help`` lists them
COMMANDS: dict[str, ModuleType] = {
    "conv-shape": conv_shape,
    "summary": summary,
    "rf": rf,
    "classify": classify,
    "detect": detect,
    "proposals": proposals,
    "embed": embed,
    "landmarks": landmarks,
    "verify": verify,
    "style": style,
    "yolo-target": yolo_target,
    "train": train,
    "augment": augment,
}


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _fail(message: str) -> NoReturn:
    print_error(message)
    raise SystemExit(2)


def build_parser(prog: str = "cnn-lab") -> argparse.ArgumentParser:
    """The parser of the whole command line: one sub-parser per command, each with --json and --verbose."""
    width = max(map(len, COMMANDS))
    listing = "\n".join(f"  {name:<{width}}  {module.SUMMARY}" for name, module in COMMANDS.items())
    parser = _OneLineParser(
        prog=prog,
        usage="%(prog)s [-h] COMMAND [ARGUMENTS ...] [--json] [--verbose]",
        description="CNN Lab on the command line: every number the app shows, for scripts and batch use.",
        epilog=f"commands:\n{listing}\n\n'{prog} COMMAND --help' describes one command and its options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, help=argparse.SUPPRESS)
    for name, module in COMMANDS.items():
        sub = commands.add_parser(name, prog=f"{prog} {name}", description=module.HELP)
        module.add_arguments(sub)
        sub.add_argument("--json", action="store_true", help="print JSON instead of a table")
        sub.add_argument(
            "--verbose", action="store_true", help="keep TensorFlow's start-up log lines on stderr"
        )
    return parser


def _print_files(outcomes: Iterable[FileResult], module: ModuleType, args: argparse.Namespace) -> int:
    """Print each file's result or its one-line error; return how many files failed."""
    named = several_inputs(args.images)
    failures = 0
    for outcome in outcomes:
        source = outcome.path if named else None
        if outcome.result is None:
            print_error(str(outcome.error), source)
            failures += 1
        else:
            print_result(outcome.result, module.render, as_json=args.json, source=source)
    return failures


def main(argv: list[str] | None = None, prog: str = "cnn-lab") -> int:
    """Parse ``argv`` (default: the command line), run the chosen command and print its result. Returns 0;
    raises SystemExit(2) for bad arguments or when any input file failed."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(prog)
    if not argv:
        parser.print_help()
        return 0
    if not argv[0].startswith("-") and argv[0] not in COMMANDS:
        _fail(f"unknown command '{argv[0]}'; valid commands: {', '.join(COMMANDS)}")
    args = parser.parse_args(argv)
    if not args.verbose:
        quiet_tensorflow()
    module = COMMANDS[args.command]
    try:
        outcome = module.run(args)
        if isinstance(outcome, dict):
            print_result(outcome, module.render, as_json=args.json)
            report_gpu()
            return 0
        failures = _print_files(outcome, module, args)
    except CNNLabError as err:
        _fail(str(err))
    if failures:
        raise SystemExit(2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(prog="python -m cnn_core"))
