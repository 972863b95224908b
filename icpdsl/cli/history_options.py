"""Options shared by `icp validate`, `icp diff` and `icp suggest`: reading a history file."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from ..document import Document
from ..errors import ICPLoadError
from ..io import FORMATS
from ..validate.history import History, read_history


def add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("input")
    group.add_argument(
        "--input-format",
        choices=FORMATS,
        help="the data's format (default: from the file name, else its first bytes)",
    )
    group.add_argument(
        "--id",
        metavar="COLUMN",
        help="the column naming each account (default: the first id, name or domain column: "
        "id, Record ID, Account ID, ..., name, Company name, ..., domain, Website; docs/cli.md)",
    )


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


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=date,
        metavar="YYYY-MM-DD",
        help="the date `within` and `age` are measured from (default: today)",
    )


def date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def load_history(
    args: argparse.Namespace, path: str, *, value: str | None = None,
    document: Document | None = None,
) -> History:  # fmt: skip
    """Read the history named on the command line; an error when no account has an outcome."""
    good = [label.strip() for item in args.good or () for label in item.split(",") if label.strip()]
    history = read_history(
        path,
        args.outcome,
        good=good,
        value=value,
        format=args.input_format,
        id_column=args.id,
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


def write_text(text: str, output: str | None) -> None:
    """`text` to the file `output`, or to stdout."""
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise ICPLoadError(f"cannot write {output}: {error.strerror}") from None
    else:
        sys.stdout.write(text)
