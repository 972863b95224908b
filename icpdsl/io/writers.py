"""Output rows → CSV, JSON Lines or a JSON array, written as they come (never held)."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TextIO

#: Output formats `make_writer` writes (`table` is the terminal view in `table.py`).
OUTPUT_FORMATS = ("table", "csv", "jsonl", "json")


class Writer(Protocol):
    """Takes output rows one at a time; `close` finishes the document (not the stream)."""

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None: ...

    def close(self) -> None: ...


class CSVWriter:
    """A header, then one line per row; values are text, blanks for None."""

    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._columns = list(columns)
        self._writer.writerow(self._columns)

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        self._writer.writerow(["" if row.get(c) is None else row[c] for c in self._columns])

    def close(self) -> None:
        pass


class JSONLinesWriter:
    """One JSON object per line."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        self._stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        pass


class JSONArrayWriter:
    """A JSON array, one element per line, streamed: `[` first, `]` on close."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._first = True
        stream.write("[")

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        self._stream.write("\n" if self._first else ",\n")
        self._stream.write(json.dumps(row, ensure_ascii=False, default=str))
        self._first = False

    def close(self) -> None:
        self._stream.write("]\n" if self._first else "\n]\n")
