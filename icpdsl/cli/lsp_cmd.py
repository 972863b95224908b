"""`icp lsp`: run the ICP language server for an editor, over standard input and output."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys

INSTALL = "pip install 'icpdsl[lsp]'"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "error": logging.ERROR}  # fmt: skip


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="run the language server editors start (diagnostics, completion, ...)",
        description="Run the ICP language server over standard input and output, as an "
        "editor starts it: diagnostics as you type, hover, completion, go to definition, "
        f"formatting, quick fixes and code lenses. Needs the lsp extra: {INSTALL}.",
        epilog="example: editors run `icp lsp` themselves (settings: docs/editors.md)",
    )
    parser.add_argument(
        "--stdio", action="store_true", help="talk over stdin/stdout (the default; editors pass it)"
    )
    parser.add_argument("--log-file", metavar="FILE", help="write the server's log to FILE")
    parser.add_argument(
        "--log-level",
        choices=tuple(_LEVELS),
        default="warning",
        help="how much to log (default: warning; to stderr unless --log-file)",
    )
    parser.add_argument("--clientProcessId", help=argparse.SUPPRESS)  # VS Code may pass it
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    missing = [name for name in ("pygls", "lsprotocol") if _missing(name)]
    if missing:
        print(f"icp lsp: the language server needs {missing[0]}: {INSTALL}", file=sys.stderr)
        return 2
    logging.basicConfig(
        filename=args.log_file,
        level=_LEVELS[args.log_level],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from ..lsp.server import serve

    serve()
    return 0


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):  # `sys.modules[name] = None` blocks it, too
        return True
