"""`icp serve [PROFILE.icp] [DATA]`: the local playground — edit a profile in the browser
and watch every account's verdict and explanation change as you type."""

from __future__ import annotations

import argparse
import datetime
import os
import signal
import sys
import threading
import webbrowser
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ..batch.columns import column_findings
from ..document import Document
from ..errors import ICPError, ICPLoadError
from ..loader import load
from . import EXIT_OK
from .eval_cmd import add_scoring_options
from .input_options import add_input_options

if TYPE_CHECKING:
    from ..serve import Accounts

EXAMPLES = """\
examples:
  icp serve examples/security.icp examples/accounts.csv
  icp serve crm.icp export.csv --encoding latin-1 --as-of 2025-06-30 --no-browser
  icp serve                      # a scratch profile, no data, nothing saved

The first line printed is the URL to open (it holds the access token). The server
listens on 127.0.0.1 only unless --host says otherwise; Ctrl-C stops it.
exit codes: 0 stopped; 2 usage error, or the profile or data file cannot be read
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="a local playground: edit a profile in the browser and watch the accounts change",
        description="Start a local web playground on PROFILE and DATA: an editor with\n"
        "diagnostics and `icp fmt`, the accounts scored on every edit with counts, every\n"
        "account's explanation and nearest miss, what-if cells, the impact against the\n"
        "file on disk, the examples' results, and Save (formatted, only when it loads).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "profile", nargs="?", help="the .icp file to edit and save (default: a scratch profile)"
    )
    parser.add_argument(
        "data", nargs="?", help="accounts: .csv, .jsonl, .json, .parquet (.gz too), or - for stdin"
    )
    add_input_options(parser).add_argument(
        "--head", type=_positive, metavar="N", help="read only the first N records of DATA"
    )
    add_scoring_options(parser.add_argument_group("scoring"))
    server = parser.add_argument_group("server")
    server.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 "
        "lets other machines in, with the token)",
    )
    server.add_argument(
        "--port",
        type=_port,
        help="the port (default: 8765, or the next free one; 0: any free port)",
    )
    server.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; print the URL only"
    )
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from ..serve import Playground, bind, read_accounts  # the playground only when served

    signal.signal(signal.SIGTERM, _stop)  # stops as Ctrl-C does, at any point from here
    path = _profile_path(args.profile)
    disk = _disk_document(path)
    # One date for the session: --as-of, else the file's `as of` when it is served, else today.
    as_of = args.as_of or (disk.as_of if disk is not None else None) or datetime.date.today()
    if disk is not None and args.profile_names:
        disk.chosen(args.profile_names)  # a wrong --profile fails now, not later
    accounts = None
    if args.data is not None:
        from ..schema import Schema

        accounts = read_accounts(
            args.data,
            schema=disk.schema if disk is not None else Schema({}),
            format=args.input_format,
            encoding=args.encoding,  # None: UTF-8, or what a byte-order mark says
            delimiter=args.delimiter,
            id_column=args.id_column,
            head=args.head,
        )
        if disk is not None:  # reported, not refused: the page is where to fix a mapping
            profiles = disk.profiles.values()
            for finding in column_findings(
                profiles, disk.schema, accounts.columns, args.data, disk.modules
            ):
                print(finding.format(), file=sys.stderr)
    playground = Playground(path, accounts, as_of=as_of, profile_names=args.profile_names)
    server = bind(playground, args.host, args.port)
    try:
        print(server.url, flush=True)
        _describe(path, accounts, server.port, args.host)
        if not args.no_browser:
            threading.Thread(target=_open_browser, args=(server.url,), daemon=True).start()
        server.serve_forever()
    except KeyboardInterrupt:
        print("icp serve: stopped", file=sys.stderr)
    finally:
        server.server_close()
    return EXIT_OK


def _profile_path(given: str | None) -> Path | None:
    """PROFILE as given, checked: an existing .icp file (Save writes only there)."""
    if given is None:
        return None
    path = Path(given)
    if path.suffix.lower() != ".icp":
        raise ICPLoadError(
            f"{given} is not an .icp file",
            hint="icp serve PROFILE.icp [DATA]: the profile comes first",
        )
    if not path.is_file():
        raise ICPLoadError(f"no such file: {given}", filename=given)
    if not os.access(path, os.R_OK):
        raise ICPLoadError(f"cannot read {given}", filename=given)
    return path


def _disk_document(path: Path | None) -> Document | None:
    """The profile file loaded, or None: a file with errors still opens, to be fixed."""
    if path is None:
        return None
    try:
        return load(path)
    except ICPError:
        return None


def _describe(path: Path | None, accounts: Accounts | None, port: int, host: str) -> None:
    opened = str(path) if path is not None else "a scratch profile (not saved)"
    data = ""
    if accounts is not None:
        data = f" with {len(accounts):,} accounts from {accounts.name}"
        if accounts.unreadable:
            data += f" ({accounts.unreadable:,} unreadable)"
    print(f"icp serve: {opened}{data}; Ctrl-C stops the server", file=sys.stderr)
    if host in ("0.0.0.0", "::"):
        print(
            f"icp serve: listening on every address, port {port}: other machines reach it by "
            "this machine's IP address, with the token",
            file=sys.stderr,
        )


def _open_browser(url: str) -> None:
    """Open `url` in a graphical browser; on a Linux machine without a display, say so
    rather than let `webbrowser` start a text browser in this terminal."""
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless or not webbrowser.open(url):
        print("icp serve: no browser to open here: open the URL above", file=sys.stderr)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
