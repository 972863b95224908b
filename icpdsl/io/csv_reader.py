"""CSV → Rows: delimiter sniffed, encoding from the byte-order mark, cells typed, bad rows kept.

A malformed row (bad quoting, an unclosed quote, the wrong number of cells, bytes that
are not in the file's encoding, more than `Limits.max_record_chars` characters) becomes
an error Row with its row and line number, and reading goes on with the next record.
A line is read at most `max_record_chars` characters at a time, so a longer one is
never held in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator

from ..errors import ICPLoadError
from ..limits import DEFAULT_LIMITS, Limits
from ..records import loose_key
from .cells import CellTyping, typed_rows
from .encodings import choose_encoding, encoding_hint, undecoded
from .rows import CellRow, Row
from .source import DamagedInputError, DataSource

DELIMITERS = ",;\t|"
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_LINES = 50
_HEAD_BYTES = 8192
#: Bytes the decoder could not read, kept as lone surrogates (`surrogateescape`).
_UNDECODED = re.compile("[\udc80-\udcff]")


class RecordTooLong(Exception):
    """A record ran past `max_record_chars`; raised from the line source through csv."""


class _Lines:
    """Text lines with their numbers, each read at most `limit + 1` characters at a time;
    lines can be pushed back to be read again.  `bad_byte` is the first byte of the
    current record the decoder could not read."""

    def __init__(
        self,
        first: list[str],
        text: io.TextIOWrapper,
        limit: int,
        damage: DamagedInputError | None = None,
    ) -> None:
        self._back = list(reversed(first))
        self._limit = limit
        self._readline = text.readline
        self._piece = limit + 1
        self._damage = damage  # met while reading `first`: raised once they are read
        self.number = 0  # lines handed out so far
        self.taken: list[str] = []  # lines of the record being read
        self.size = 0  # characters in `taken`
        self.bad_byte: str | None = None

    def __iter__(self) -> _Lines:
        return self

    def start_record(self) -> None:
        self.taken.clear()
        self.size = 0
        self.bad_byte = None

    def _read(self) -> str:
        if self._back:
            return self._back.pop()
        if self._damage is not None:
            raise self._damage
        return self._readline(self._piece)

    def __next__(self) -> str:
        if self._back or self._damage is not None:
            line = self._read()
        else:  # `_read`'s common case, without its call (once per line of the file)
            line = self._readline(self._piece)
        if not line:
            raise StopIteration
        self.number += 1
        self.taken.append(line)
        self.size += len(line)
        if not line.isascii() and self.bad_byte is None:
            undecoded = _UNDECODED.search(line)
            if undecoded is not None:
                self.bad_byte = f"{ord(undecoded.group()) - 0xDC00:02x}"
        if self.size > self._limit:
            raise RecordTooLong
        return line

    def push_back(self, lines: list[str]) -> None:
        self._back.extend(reversed(lines))
        self.number -= len(lines)

    def skip_record(self) -> bool:
        """Read past the rest of a record that is too long, holding none of it: up to the
        first line end outside quotes (quote marks counted from the record's start).
        False when the input ends inside quotes."""
        quotes = sum(line.count('"') for line in self.taken)
        last = self.taken[-1] if self.taken else "\n"
        while True:
            if last.endswith(_LINE_ENDS) and quotes % 2 == 0:
                return True
            continued = not last.endswith(_LINE_ENDS)  # the next piece goes on with a line
            last = self._read()
            if not last:
                return quotes % 2 == 0
            if not continued:
                self.number += 1
            quotes += last.count('"')


_LINE_ENDS = ("\n", "\r")


class CSVReader:
    """Rows of one CSV source; `columns` is the header, cleaned (see `clean_header`)."""

    format = "csv"

    def __init__(
        self,
        source: DataSource,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        text_columns: Collection[str] = (),
        typed: bool = True,
        read_columns: Collection[str] | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.source = source
        self.warnings: list[str] = []
        self._limit = limits.max_record_chars
        head = source.head(_HEAD_BYTES)
        self.encoding = choose_encoding(encoding, head, source.name)
        self._text = io.TextIOWrapper(
            source.stream,
            encoding=self.encoding,
            errors="surrogateescape",
            newline="",
        )
        if csv.field_size_limit() < self._limit:  # never lowered: other readers may need it
            csv.field_size_limit(self._limit)
        sample, damage = self._sample()
        self.delimiter = check_delimiter(delimiter) if delimiter else sniff_delimiter(sample)
        self._lines = _Lines(sample, self._text, self._limit, damage)
        self._reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
        header = self._header()
        names, self.warnings = clean_header(header) if header is not None else ([], [])
        if header is None:
            self.warnings.append("the file is empty: no header, no rows")
        self._names = names
        self.columns: list[str] | None = names
        self.empty = header is None
        self.encoding_hint: str | None = None
        text = {loose_key(c) for c in text_columns}
        read = None if read_columns is None else {loose_key(c) for c in read_columns}
        #: How a record's cells become its record (`cell_rows` → `typing.record`).
        self.typing = CellTyping(
            names,
            [typed and loose_key(c) not in text and (read is None or loose_key(c) in read)
             for c in names],
        )  # fmt: skip

    def _not_encoded(self, byte: str, line: int, data: bytes) -> ICPLoadError:
        name = self.encoding.removesuffix("-sig").upper()
        return ICPLoadError(
            f"not {name} text near line {line} (byte 0x{byte})",
            filename=self.source.name,
            hint=encoding_hint(data),
        )

    def _sample(self) -> tuple[list[str], DamagedInputError | None]:
        """The first lines (up to 50, or 64 KiB), to sniff the delimiter from, and the
        damage that cut them short, if any; a byte the encoding cannot read among them
        stops reading: the file is in another encoding."""
        lines: list[str] = []
        size = 0
        try:
            while len(lines) < _SAMPLE_LINES and size < _SAMPLE_BYTES:
                line = self._text.readline(self._limit + 1)
                if not line:
                    break
                lines.append(line)
                size += len(line)
                undecoded = None if line.isascii() else _UNDECODED.search(line)
                if undecoded is not None:
                    data = "".join(lines).encode(self.encoding, "surrogateescape")
                    byte = f"{ord(undecoded.group()) - 0xDC00:02x}"
                    raise self._not_encoded(byte, len(lines), data)
        except UnicodeDecodeError as error:
            raise self._undecodable(error, len(lines) + 1) from None
        except DamagedInputError as damage:
            if not lines:
                raise
            return lines, damage
        return lines, None

    def _undecodable(self, error: UnicodeDecodeError, line: int) -> ICPLoadError:
        bad = error.object[error.start : error.start + 1].hex()
        return self._not_encoded(bad, line, bytes(error.object))

    def _header(self) -> list[str] | None:
        while True:
            self._lines.start_record()
            try:
                cells = next(self._reader)
            except StopIteration:
                return None
            except RecordTooLong:
                raise ICPLoadError(
                    f"the header is longer than {self._limit:,} characters",
                    filename=self.source.name,
                    hint="is this a CSV file? (Limits.max_record_chars)",
                ) from None
            except csv.Error as error:
                raise ICPLoadError(
                    f"the header line cannot be read: {error}", filename=self.source.name
                ) from None
            if not _blank(cells):
                if cells and cells[0].startswith("\ufeff"):  # a mark the codec kept
                    cells[0] = cells[0][1:]
                return cells

    def __iter__(self) -> Iterator[Row]:
        return typed_rows(self.cell_rows(), self.typing)

    def cell_rows(self) -> Iterator[CellRow]:
        """Each record's cells as text, as `__iter__` reads them (error rows alike); its
        record is `typing.record(cells)`.  For engines that judge a cell's text once."""
        if self.empty:
            return
        lines, reader, width = self._lines, self._reader, len(self._names)
        number = 0
        while True:
            start = lines.number + 1
            lines.start_record()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except RecordTooLong:
                number += 1
                yield (number, None, self._too_long(start), start)
                continue
            except csv.Error as error:
                number += 1
                yield (number, None, self._quoting_error(error, start), start)
                continue
            except UnicodeDecodeError as error:
                raise self._undecodable(error, lines.number + 1) from None
            if lines.bad_byte is not None:
                number += 1
                if self.encoding_hint is None:
                    name = self.encoding.removesuffix("-sig").upper()
                    data = "".join(lines.taken).encode(self.encoding, "surrogateescape")
                    self.encoding_hint = encoding_hint(data)
                    self.warnings.append(
                        f"some rows are not {name} text and could not be read (the first: "
                        f"row {number}, line {start}); {self.encoding_hint}"
                    )
                yield (number, None, undecoded(self.encoding, lines.bad_byte), start)
                continue
            if len(cells) != width:
                if _blank(cells):
                    continue  # an empty line is not a record
                number += 1
                yield (number, None, f"expected {width} cells, found {len(cells)}", start)
                continue
            number += 1
            yield (number, cells, None, start)

    def _too_long(self, start: int) -> str:
        """Skip a record over the limit; the message for its error row."""
        closed = self._lines.skip_record()
        if not closed:
            return (
                f"unclosed quote: the quoted cell from line {start} runs to the end of "
                f"the file, more than {self._limit:,} characters, so nothing after it "
                "can be read"
            )
        return f"the record is longer than {self._limit:,} characters (Limits.max_record_chars)"

    def _quoting_error(self, error: csv.Error, start: int) -> str:
        """The message for a row csv refused; an unclosed quote gives back the lines it took."""
        taken = self._lines.taken
        if "field larger than field limit" in str(error):
            self._lines.skip_record()
            return f"a cell is longer than {csv.field_size_limit():,} characters"
        if len(taken) > 1:  # a quote left open swallowed the lines after it: read them again
            self._lines.push_back(taken[1:])
            return f"unclosed quote (the quoted cell runs past the end of line {start})"
        return f"bad quoting: {error}"


def _blank(cells: list[str]) -> bool:
    return not cells or (len(cells) == 1 and not cells[0].strip())


def check_delimiter(delimiter: str) -> str:
    """A delimiter as given by a user: one character (`\\t` and `tab` mean a tab)."""
    named = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(delimiter, delimiter)
    if len(named) != 1 or named in '"\r\n':
        raise ICPLoadError(
            f"the delimiter must be one character other than a quote or a line break, "
            f"not {delimiter!r}",
            hint="for example --delimiter ';' or --delimiter tab",
        )
    return named


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
