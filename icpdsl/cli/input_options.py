"""The options of every command that reads account data, defined once.

`icp eval` (both engines), `explain`, `validate`, `suggest` and `diff` all take
`--input-format`, `--encoding`, `--delimiter`, an id column and `--as-of`, spelled and
explained the same way, so a hint that names one of them names an option the command
has.  The id column is `--id COLUMN` (and `--id-column COLUMN`), except in `icp
explain`, whose `--id VALUE` picks the account: there it is `--id-column` only.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Collection, Sequence

import attrs

from ..batch.columns import column_findings
from ..document import Document
from ..errors import Diagnostic, ICPCheckError
from ..io import FORMATS, RecordReader, open_records

ID_HELP = (
    "the column naming each account (default: the first id, name or domain column: "
    "id, Record ID, Account ID, ..., name, Company name, ..., domain, Website; docs/cli.md)"
)


@attrs.frozen
class InputOptions:
    """How to read a data file, as the command line says."""

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    id_column: str | None = None
    as_of: datetime.date | None = None

    def open(
        self,
        path: str,
        *,
        text_columns: Collection[str] = (),
        typed: bool = True,
        read_columns: Collection[str] | None = None,
    ) -> RecordReader:
        """Open `path` with these options (see `icpdsl.io.open_records`)."""
        return open_records(
            path,
            format=self.format,
            encoding=self.encoding,
            delimiter=self.delimiter,
            text_columns=text_columns,
            typed=typed,
            read_columns=read_columns,
        )


def add_input_options(
    parser: argparse.ArgumentParser, *, id_flags: Sequence[str] = ("--id", "--id-column")
) -> argparse._ArgumentGroup:
    """Add the input options to `parser`, in a group it returns (for a command's own
    input options); `id_flags` spell the id-column option."""
    group = parser.add_argument_group("input")
    group.add_argument(
        "--input-format",
        choices=FORMATS,
        help="the data's format (default: from the file name, else its first bytes)",
    )
    group.add_argument(
        "--encoding",
        metavar="NAME",
        help="the text encoding (default: UTF-8, or UTF-16/UTF-32 when the file starts with "
        "a byte-order mark), e.g. cp1252, latin-1, utf-16",
    )
    group.add_argument(
        "--delimiter",
        metavar="CHAR",
        help="the CSV delimiter (default: sniffed from , ; tab |); `tab` for a tab",
    )
    group.add_argument(*id_flags, dest="id_column", metavar="COLUMN", help=ID_HELP)
    group.add_argument(
        "--as-of",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="the date `within` and ages are measured from (default: the file's `as of`, "
        "else today)",
    )
    return group


def input_options(args: argparse.Namespace) -> InputOptions:
    """The input options given on a command line parsed with `add_input_options`."""
    return InputOptions(
        format=args.input_format,
        encoding=args.encoding,
        delimiter=args.delimiter,
        id_column=args.id_column,
        as_of=args.as_of,
    )


def parse_date(text: str) -> datetime.date:
    """A `YYYY-MM-DD` argument."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


#: Checks a data file's header (None for a format without one) before any row is read.
HeaderCheck = Callable[[Sequence[str] | None], None]


def header_check(
    documents: Sequence[Document], source: str, profiles: Collection[str] | None = None
) -> HeaderCheck:
    """What a command runs on its data's columns before scoring: a mapped column the data
    lacks stops it (ICP202, with the closest column); a field no column holds is a
    warning (ICP203), printed once on stderr.  `profiles` names the profiles scored
    (default: every profile of the documents)."""

    def check(columns: Sequence[str] | None) -> None:
        if not columns:  # JSON Lines, JSON, an empty file: no header to hold the fields against
            return
        findings: list[Diagnostic] = []
        for document in documents:
            scored = [p for n, p in document.profiles.items() if profiles is None or n in profiles]
            found = column_findings(scored, document.schema, columns, source, document.modules)
            findings += [f for f in found if f not in findings]
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise ICPCheckError(errors)
        for warning in findings:
            print(warning.format(), file=sys.stderr)

    return check
