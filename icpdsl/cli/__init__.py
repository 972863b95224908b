"""The `icp` command: one module per subcommand, each with `register` and `run`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import ICPError
from .output import Interrupted, prepare_stdout

#: Subcommand modules in the order `icp --help` lists them.
COMMANDS = (
    "check", "fmt", "eval", "explain", "test", "validate", "diff", "suggest", "sql", "serve",
    "lsp",
)  # fmt: skip

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `icp` parser; given a known `command`, with that subcommand only.

    One subcommand spares importing what the others need (HTML reports, git diffs, the
    testing helpers), which is most of `icp eval`'s start-up; `icp --help` and an unknown
    name get them all, so help and "invalid choice" list every command.
    """
    parser = argparse.ArgumentParser(
        prog="icp",
        description="Ideal Customer Profiles as code: check, format, score, explain, test, "
        "and validate against outcomes.",
        epilog="examples:\n"
        "  icp check examples/\n"
        "  icp eval examples/security.icp examples/accounts.csv --only fit\n"
        "  icp explain examples/security.icp examples/accounts.csv --row 2\n\n"
        "Run `icp COMMAND --help` for a command's options and an example.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"icpdsl {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (command,) if command in COMMANDS else COMMANDS:
        module = importlib.import_module(f"icpdsl.cli.{name}_cmd")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `icp`; returns the exit code (0 ok, 1 failures found, 2 usage or input error)."""
    prepare_stdout()
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(arguments[0] if arguments else None)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except ICPError as error:
        print(f"icp {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Interrupted as interrupted:
        return 128 + interrupted.signum
    except BrokenPipeError:
        return EXIT_OK
    return code
