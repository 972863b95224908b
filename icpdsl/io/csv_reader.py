"""CSV → Rows: delimiter sniffed, UTF-8 with or without BOM, cells typed, bad rows kept.

A malformed row (bad quoting, an unclosed quote, the wrong number of cells) becomes an
error Row with its row and line number, and reading goes on with the next line.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection, Iterator
from typing import Any

from ..errors import ICPLoadError
from ..records import loose_key
from ..semantics.cells import infer_cell
from .rows import Row
from .source import DataSource

DELIMITERS = ",;\t|"
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_LINES = 50
#: Past this many distinct values a column's typed cells are no longer remembered.
_CACHE_LIMIT = 2048


class _Lines:
    """Text lines with their numbers; lines can be pushed back to be read again."""

    def __init__(self, first: list[str], rest: Iterator[str]) -> None:
        self._back = list(reversed(first))
        self._rest = rest
        self.number = 0  # lines handed out so far
        self.taken: list[str] = []  # lines of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._back.pop() if self._back else next(self._rest)
        self.number += 1
        self.taken.append(line)
        return line

    def push_back(self, lines: list[str]) -> None:
        self._back.extend(reversed(lines))
        self.number -= len(lines)


class CSVReader:
    """Rows of one CSV source; `columns` is the header, cleaned (see `clean_header`)."""

    format = "csv"

    def __init__(
        self,
        source: DataSource,
        *,
        encoding: str = "utf-8",
        delimiter: str | None = None,
        text_columns: Collection[str] = (),
    ) -> None:
        self.source = source
        self.warnings: list[str] = []
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ICPLoadError(f"unknown text encoding {encoding!r}") from None
        if codec == "utf-8":
            encoding = "utf-8-sig"  # a BOM, when there is one, is not part of the header
        self._text = io.TextIOWrapper(source.stream, encoding=encoding, newline="")
        sample = self._sample()
        self.delimiter = delimiter or sniff_delimiter(sample)
        self._lines = _Lines(sample, self._text)
        self._reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
        header = self._header()
        names, self.warnings = clean_header(header) if header is not None else ([], [])
        if header is None:
            self.warnings.append("the file is empty: no header, no rows")
        self._names = names
        self.columns: list[str] | None = names
        self.empty = header is None
        wanted = {loose_key(c) for c in text_columns}
        self._typed = [loose_key(c) not in wanted for c in names]

    def _decode_error(self, error: UnicodeDecodeError) -> ICPLoadError:
        where = f" near line {self._lines.number + 1}" if hasattr(self, "_lines") else ""
        bad = error.object[error.start : error.start + 1].hex()
        return ICPLoadError(
            f"not {self._text.encoding.removesuffix('-sig').upper()} text{where} (byte 0x{bad})",
            filename=self.source.name,
            hint="re-save the file as UTF-8, or name its encoding: --encoding latin-1",
        )

    def _sample(self) -> list[str]:
        lines: list[str] = []
        size = 0
        try:
            while len(lines) < _SAMPLE_LINES and size < _SAMPLE_BYTES:
                line = self._text.readline()
                if not line:
                    break
                lines.append(line)
                size += len(line)
        except UnicodeDecodeError as error:
            raise self._decode_error(error) from None
        return lines

    def _header(self) -> list[str] | None:
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return None
            except csv.Error as error:
                raise ICPLoadError(
                    f"the header line cannot be read: {error}", filename=self.source.name
                ) from None
            except UnicodeDecodeError as error:
                raise self._decode_error(error) from None
            if not _blank(cells):
                return cells

    def __iter__(self) -> Iterator[Row]:
        if self.empty:
            return
        lines, reader, width = self._lines, self._reader, len(self._names)
        columns, typed = self._names, self._typed
        caches: list[dict[str, Any] | None] = [{} for _ in columns]
        number = 0
        while True:
            start = lines.number + 1
            lines.taken.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                number += 1
                yield Row(number, None, self._quoting_error(error, start), start)
                continue
            except UnicodeDecodeError as error:
                raise self._decode_error(error) from None
            if len(cells) != width:
                if _blank(cells):
                    continue  # an empty line is not a record
                number += 1
                message = f"expected {width} cells, found {len(cells)}"
                yield Row(number, None, message, start)
                continue
            number += 1
            record = {}
            for index, cell in enumerate(cells):
                cache = caches[index]
                if not typed[index]:
                    record[columns[index]] = cell
                elif cache is None:
                    record[columns[index]] = infer_cell(cell)
                else:
                    value = cache.get(cell, _NOT_CACHED)
                    if value is _NOT_CACHED:
                        value = cache[cell] = infer_cell(cell)
                        if len(cache) > _CACHE_LIMIT:
                            caches[index] = None  # too many distinct values to remember
                    record[columns[index]] = value
            yield Row(number, record, None, start)

    def _quoting_error(self, error: csv.Error, start: int) -> str:
        """The message for a row csv refused; an unclosed quote gives back the lines it took."""
        taken = self._lines.taken
        if len(taken) > 1:  # a quote left open swallowed the lines after it: read them again
            self._lines.push_back(taken[1:])
            return f"unclosed quote (the quoted cell runs past the end of line {start})"
        if "field larger than field limit" in str(error):
            return f"a cell is longer than {csv.field_size_limit():,} characters"
        return f"bad quoting: {error}"


_NOT_CACHED = object()


def _blank(cells: list[str]) -> bool:
    return not cells or (len(cells) == 1 and not cells[0].strip())


def _widths(sample: list[str], delimiter: str) -> list[int]:
    """Cells per record of the sample, up to the first record csv cannot read."""
    widths: list[int] = []
    reader = csv.reader(sample, delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except (StopIteration, csv.Error):
            return widths
        if cells:
            widths.append(len(cells))


def clean_header(header: list[str]) -> tuple[list[str], list[str]]:
    """Column names trimmed; blank ones named `column_N`, repeated ones `Name_2`; and
    a warning for each name changed."""
    names: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(header, start=1):
        name = raw.strip()
        if not name:
            name = f"column_{position}"
            warnings.append(f"column {position} has no name; it is read as {name!r}")
        if name in seen:
            base, suffix = name, 2
            while f"{base}_{suffix}" in seen:
                suffix += 1
            name = f"{base}_{suffix}"
            warnings.append(f"column {position} repeats the name {base!r}; it is read as {name!r}")
        seen.add(name)
        names.append(name)
    return names, warnings


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample lines into the most, equally many cells."""
    best, best_key = ",", (0.0, 1)
    sample = [line for line in lines if line.strip()]
    if not sample:
        return best
    for candidate in DELIMITERS:
        widths = _widths(sample, candidate)
        if not widths or widths[0] < 2:
            continue
        consistent = sum(w == widths[0] for w in widths) / len(widths)
        key = (consistent, widths[0])
        if key > best_key:
            best, best_key = candidate, key
    return best
