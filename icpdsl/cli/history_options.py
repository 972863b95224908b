"""The outcome options of `icp validate` and `icp suggest`, and reading their history file."""

from __future__ import annotations

import argparse
import sys

from ..document import Document
from ..errors import ICPLoadError
from ..validate.history import History, read_history
from .input_options import input_options


def add_outcome_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    group = parser.add_argument_group("outcome")
    group.add_argument(
        "--outcome",
        required=required,
        metavar="COLUMN",
        help="the column holding each account's outcome (won, churned, renewed, ...)",
    )
    group.add_argument(
        "--good",
        action="append",
        metavar="LABEL",
        help="an outcome label that counts as good (repeatable or comma-separated; default: "
        "true, yes, 1, won, closed won, renewed); every other label is the bad outcome",
    )


def load_history(
    args: argparse.Namespace, path: str, *, value: str | None = None,
    document: Document | None = None,
) -> History:  # fmt: skip
    """Read the history named on the command line; an error when no account has an outcome."""
    options = input_options(args)
    good = [label.strip() for item in args.good or () for label in item.split(",") if label.strip()]
    history = read_history(
        path,
        args.outcome,
        good=good,
        value=value,
        format=options.format,
        encoding=options.encoding,
        delimiter=options.delimiter,
        id_column=options.id_column,
        schema=document.schema if document is not None else None,
    )
    if not history.accounts:
        hint = None
        if history.unrecognised:
            shown = ", ".join(repr(label) for label in history.unrecognised)
            hint = f"labels seen: {shown}; name the good one with --good LABEL"
        raise ICPLoadError(
            f"no account in {path} has a recognised {args.outcome!r} outcome", hint=hint
        )
    if history.no_outcome:
        note = f"{history.no_outcome:,} rows without a recognised outcome were left out"
        if history.unrecognised:
            note += " (labels: " + ", ".join(repr(x) for x in history.unrecognised) + ")"
        print(f"icp: {note}", file=sys.stderr)
    return history
