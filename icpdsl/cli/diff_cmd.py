"""`icp diff OLD.icp NEW.icp [DATA]`: the rule changes between two versions, and their impact."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from ..document import Document
from ..errors import ICPLoadError
from ..loader import load, loads
from ..validate.diff import diff_documents, impact
from ..validate.diff_report import render_markdown, render_text, to_dict
from ..validate.history import read_accounts
from . import EXIT_FAILED, EXIT_OK
from .input_options import add_input_options, header_check, input_options
from .output import write_text

EXAMPLES = """\
examples:
  icp diff examples/history/current.icp examples/history/planted.icp
  icp diff examples/history/current.icp examples/history/planted.icp examples/history/deals.csv
  icp diff HEAD~1:icp/saas.icp icp/saas.icp accounts.csv --format markdown > comment.md

OLD or NEW may be REV:PATH (read with `git show`) when no such file exists.
exit codes: 0 done (with --exit-code: no differences); 1 with --exit-code: differences;
            2 usage or input error
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare two versions of an ICP: rules changed, and which accounts move",
        description="List the rules added, removed and changed between OLD and NEW (rules "
        "are matched by structure, so moving or reformatting a rule is not a change); with "
        "DATA, also every account whose verdict or tier changes, and the rule change "
        "responsible.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old", help="the old .icp file, or REV:PATH in git")
    parser.add_argument("new", help="the new .icp file, or REV:PATH in git")
    parser.add_argument("data", nargs="?", help="accounts to measure the impact on")
    add_input_options(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default), markdown (for a pull-request comment) or json",
    )
    output.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    output.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="list at most N changed accounts in text and markdown (0: all; default 50)",
    )
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when there are differences"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    old, new = load_version(args.old), load_version(args.new)
    diff = diff_documents(old, new)
    if args.data:
        options = input_options(args)
        rows, unreadable = read_accounts(
            args.data,
            format=options.format,
            encoding=options.encoding,
            delimiter=options.delimiter,
            id_column=options.id_column,
            schema=new.schema,
            on_header=header_check([old, new], args.data),
            on_warning=lambda text: print(
                f"icp diff: warning: {args.data}: {text}", file=sys.stderr
            ),
        )
        diff = impact(diff, old, new, rows, as_of=args.as_of, unreadable=unreadable)
    if args.format == "json":
        write_text(json.dumps(to_dict(diff), indent=2) + "\n", args.output)
    elif args.format == "markdown":
        write_text(render_markdown(diff, limit=args.limit), args.output)
    else:
        write_text(render_text(diff, limit=args.limit), args.output)
    moved = diff.impact is not None and bool(diff.impact.changes)
    return EXIT_FAILED if args.exit_code and (diff.changed or moved) else EXIT_OK


def load_version(spec: str) -> Document:
    """Load a file, or `REV:PATH` from git when no file of that name exists."""
    if os.path.exists(spec) or ":" not in spec:
        return load(spec)
    revision, _, path = spec.partition(":")
    if revision.startswith("-"):  # `--output=x:y` would be an option to git, not a revision
        raise ICPLoadError(f"no such file: {spec}", hint="a git revision cannot start with '-'")
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:{path}"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ICPLoadError(f"no such file: {spec} (and git show failed: {error})") from None
    if shown.returncode != 0:
        reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"exit {shown.returncode}"
        raise ICPLoadError(f"no such file: {spec}", hint=f"git show: {detail}")
    try:
        text = shown.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ICPLoadError(f"not UTF-8 text: {spec}") from None
    folder = Path(path).parent
    print(f"icp diff: read {spec} from git", file=sys.stderr)
    return loads(text, spec, root=folder if folder.is_dir() else None)
