"""Output rows → CSV, JSON Lines or a JSON array, written as they come (never held).

Text that the output's encoding cannot hold (a lone surrogate from a JSON `\\ud800`
escape; a character a non-UTF-8 terminal lacks) is written as U+FFFD, the replacement
character, in UTF-8 output, and as `?` in other encodings: output streams use the
`UNENCODABLE` error handler, so no value stops a row from being written.  JSON output is
always JSON: no `NaN` or `Infinity` (written as the text "nan", "inf"), and integers
too long for Python to print are written as text in scientific notation.
"""

from __future__ import annotations

import codecs
import csv
import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TextIO

from ..result import json_value

#: The codec error handler every output stream uses (see the module docstring).
UNENCODABLE = "icpdsl-replace"


@functools.cache
def _replacement(encoding: str) -> bytes | str:
    """U+FFFD for UTF-8 (as bytes: a codec takes only ASCII text back), else `?`."""
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    return "\ufffd".encode() if utf8 else "?"


def _replace_unencodable(error: UnicodeError) -> tuple[bytes | str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return _replacement(error.encoding) * (error.end - error.start), error.end


codecs.register_error(UNENCODABLE, _replace_unencodable)


def json_text(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON (one line unless `indent`): never `NaN` or `Infinity`, and never
    failing on an int past Python's 4,300-digit limit (both become text, `json_value`)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str, indent=indent)
    except ValueError:
        plain = json_value(value)
        return json.dumps(plain, ensure_ascii=False, allow_nan=False, default=str, indent=indent)


#: Output formats `make_writer` writes (`table` is the terminal view in `table.py`).
OUTPUT_FORMATS = ("table", "csv", "jsonl", "json")

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_formula(cell: Any) -> Any:
    """`cell`, with a `'` in front if it is text a spreadsheet would run as a formula.

    Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed, so
    Excel, Sheets and LibreOffice show it as text; a plain number written as text (`-5`,
    `+1.5`) runs nothing and stays a number, and values that are not text pass as they are.
    """
    if (
        isinstance(cell, str)
        and cell.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(cell)
    ):
        return "'" + cell
    return cell


class Writer(Protocol):
    """Takes output rows one at a time; `close` finishes the document (not the stream)."""

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None: ...

    def close(self) -> None: ...


class CSVWriter:
    """A header, then one line per row; values are text, blanks for None.

    With `escape_formulas` (the default) every text cell, the header's too, goes through
    `escape_formula`: account data cannot run as a formula where the file is opened.
    """

    def __init__(
        self,
        stream: TextIO,
        columns: Sequence[str],
        *,
        escape_formulas: bool = True,
        header: bool = True,
    ) -> None:
        self._stream = stream
        self._writer = csv.writer(stream, lineterminator="\n")
        self._columns = list(columns)
        self._escape = escape_formulas
        if header:
            self.write_cells(self._columns)

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        self.write_cells([row.get(c) for c in self._columns])

    def write_text(self, text: str) -> None:
        """A row another CSVWriter (same columns, no header) wrote."""
        self._stream.write(text)

    def write_cells(self, cells: list[Any]) -> None:
        """One row as its cells in column order (None is blank), without a mapping."""
        if self._escape:  # text whose first character could start a formula: escape_formula
            for cell in cells:
                if isinstance(cell, str) and cell[:1] in _FORMULA_FIRST:
                    cells = [
                        escape_formula(c) if isinstance(c, str) and c[:1] in _FORMULA_FIRST else c
                        for c in cells
                    ]
                    break
        self._writer.writerow(cells)

    def close(self) -> None:
        pass


class JSONLinesWriter:
    """One JSON object per line."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        self._stream.write(json_text(row) + "\n")

    def write_text(self, text: str) -> None:
        """A row another JSONLinesWriter wrote."""
        self._stream.write(text)

    def close(self) -> None:
        pass


class JSONArrayWriter:
    """A JSON array, one element per line, streamed: `[` first, `]` on close."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._first = True
        stream.write("[")

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        self.write_text(json_text(row) + "\n")

    def write_text(self, text: str) -> None:
        """A row a JSONLinesWriter wrote: its line becomes the array's next element."""
        self._stream.write("\n" if self._first else ",\n")
        self._stream.write(text.removesuffix("\n"))
        self._first = False

    def close(self) -> None:
        self._stream.write("]\n" if self._first else "\n]\n")
