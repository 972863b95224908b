"""JSON Lines and JSON arrays → Rows, streamed: one object per record, bad ones kept.

JSON Lines: each line is read on its own, so an invalid line (bad JSON, not UTF-8, not
an object, longer than `Limits.max_record_chars`) becomes an error Row and reading goes
on; no more of a line than the limit is ever held.  A JSON array is decoded element by
element from a sliding window, never whole; after a syntax error inside an array (or an
element over the limit) the rest cannot be split into elements, so the error Row says
so and reading stops.  JSON is UTF-8; a UTF-16 or UTF-32 byte-order mark, or an
encoding named by the caller, is honoured too (see `encodings.choose_encoding`).
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from typing import Any

from ..errors import ICPLoadError
from ..limits import DEFAULT_LIMITS, Limits
from .encodings import choose_encoding, undecoded
from .rows import Row
from .source import DataSource

_CHUNK = 64 * 1024
_HEAD_BYTES = 8192
_UTF8 = ("utf-8", "utf-8-sig")
_WHITESPACE = " \t\r\n"
#: An error this close to the window's end may be a token cut in two (`fal|se`, `\u00|e9`).
_EDGE = 16


def _parse_int(digits: str) -> int | float:
    """A JSON integer; past int()'s 4,300-digit limit, a float (as values.parse_number)."""
    return int(digits) if len(digits) <= 4000 else float(digits)


_DECODER = json.JSONDecoder(parse_int=_parse_int)


def _kind(value: Any) -> str:
    return {
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _object(number: int, line: int, value: Any) -> Row:
    if isinstance(value, dict):
        return Row(number, value, None, line)
    return Row(number, None, f"expected a JSON object, found {_kind(value)}", line)


class JSONLinesReader:
    """Rows of a JSON Lines source: one object per non-blank line."""

    format = "jsonl"
    columns: list[str] | None = None
    empty = False
    encoding_hint: str | None = None  # JSON and Parquet rows are read whole

    def __init__(
        self,
        source: DataSource,
        *,
        encoding: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.source = source
        self.warnings: list[str] = []
        self._limit = limits.max_record_chars
        self.encoding = choose_encoding(encoding, source.head(_HEAD_BYTES), source.name)

    def __iter__(self) -> Iterator[Row]:
        number = 0
        lines = self._utf8_lines() if self.encoding in _UTF8 else self._decoded_lines()
        for line_number, text, problem in lines:
            number += 1
            if problem is not None:
                yield Row(number, None, problem, line_number)
                continue
            try:
                value = _DECODER.decode(text)
            except json.JSONDecodeError as error:
                yield Row(number, None, f"invalid JSON: {error.msg} (column {error.colno})",
                          line_number)  # fmt: skip
                continue
            except RecursionError:
                yield Row(number, None, "invalid JSON: nested too deeply", line_number)
                continue
            yield _object(number, line_number, value)

    def _too_long(self) -> str:
        return f"the line is longer than {self._limit:,} bytes (Limits.max_record_chars)"

    def _utf8_lines(self) -> Iterator[tuple[int, str, str | None]]:
        """(line number, text, why it cannot be read) for each non-blank line."""
        stream, limit = self.source.stream, self._limit
        line_number = 0
        while raw := stream.readline(limit + 1):
            line_number += 1
            if line_number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if len(raw) > limit:
                while not raw.endswith(b"\n") and raw:  # skip it, never holding it whole
                    raw = stream.readline(limit + 1)
                yield line_number, "", self._too_long()
                continue
            if not raw.strip():
                continue
            try:
                yield line_number, raw.decode("utf-8"), None
            except UnicodeDecodeError as error:
                byte = raw[error.start : error.start + 1].hex()
                yield line_number, "", undecoded("utf-8", byte)

    def _decoded_lines(self) -> Iterator[tuple[int, str, str | None]]:
        """The same, for a file in another encoding (UTF-16 with a byte-order mark)."""
        text = io.TextIOWrapper(self.source.stream, encoding=self.encoding)
        limit = self._limit
        line_number = 0
        try:
            while line := text.readline(limit + 1):
                line_number += 1
                if len(line) > limit:
                    while not line.endswith("\n") and line:
                        line = text.readline(limit + 1)
                    yield line_number, "", self._too_long()
                elif line.strip():
                    yield line_number, line.removeprefix("\ufeff"), None
        except UnicodeDecodeError as error:
            raise ICPLoadError(
                f"not {self.encoding.upper()} text after line {line_number} "
                f"(byte 0x{error.object[error.start : error.start + 1].hex()})",
                filename=self.source.name,
            ) from None


class JSONArrayReader:
    """Rows of a JSON array of objects (or of objects one after another), streamed."""

    format = "json"
    columns: list[str] | None = None
    empty = False
    encoding_hint: str | None = None  # JSON and Parquet rows are read whole

    def __init__(
        self,
        source: DataSource,
        *,
        encoding: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.source = source
        self.warnings: list[str] = []
        self._limit = limits.max_record_chars
        self.encoding = choose_encoding(encoding, source.head(_HEAD_BYTES), source.name)
        self._buffer = ""
        self._pos = 0
        self._line = 1  # line of self._pos
        self._eof = False
        self._decoder = codecs.getincrementaldecoder(
            "utf-8-sig" if self.encoding in _UTF8 else self.encoding
        )()

    def _too_long(self) -> str:
        return f"an element is longer than {self._limit:,} characters (Limits.max_record_chars)"

    def _fill(self) -> bool:
        """Read the next chunk into the window; False at the end of the input."""
        if self._eof:
            return False
        chunk = self.source.stream.read1(_CHUNK)  # type: ignore[attr-defined]
        self._eof = not chunk
        try:
            text = self._decoder.decode(chunk, final=self._eof)
        except UnicodeDecodeError as error:
            line = self._line + self._buffer.count("\n", self._pos)
            name = "UTF-8" if self.encoding in _UTF8 else self.encoding.upper()
            raise ICPLoadError(
                f"not {name} text near line {line}",
                filename=self.source.name,
                hint="re-save the file as UTF-8 (JSON is UTF-8)",
            ) from error
        if self._pos > _CHUNK:  # drop what has been decoded already
            self._buffer = self._buffer[self._pos :]
            self._pos = 0
        self._buffer += text
        return bool(chunk)

    def _drain(self) -> None:
        """Read the rest of the input, holding none of it: damage after a syntax error
        (a bad CRC at the end of a `.gz`) is reported, not hidden by it."""
        self._buffer, self._pos = "", 0
        while not self._eof:
            self._eof = not self.source.stream.read1(_CHUNK)  # type: ignore[attr-defined]

    def _skip(self, allowed: str) -> str | None:
        """Skip white space and the `allowed` characters; the next other character."""
        while True:
            buffer, pos = self._buffer, self._pos
            while pos < len(buffer) and (buffer[pos] in _WHITESPACE or buffer[pos] in allowed):
                if buffer[pos] == "\n":
                    self._line += 1
                pos += 1
            self._pos = pos
            if pos < len(buffer):
                return buffer[pos]
            if not self._fill():
                return None

    def _decode(self) -> tuple[Any, str | None]:
        """The next value (growing the window until it is whole), or (None, error)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                unfinished = error.pos >= len(self._buffer) - _EDGE or error.msg.startswith(
                    "Unterminated string"
                )
                too_big = len(self._buffer) - self._pos > self._limit
                if too_big:
                    return None, self._too_long()
                if unfinished and self._fill():
                    continue
                return None, f"invalid JSON: {error.msg}"
            except RecursionError:
                return None, "invalid JSON: nested too deeply"
            if end - self._pos > self._limit:
                return None, self._too_long()
            if end >= len(self._buffer) and self._fill():
                continue  # a number at the window's edge may go on in the next chunk
            self._line += self._buffer.count("\n", self._pos, end)
            self._pos = end
            return value, None

    def __iter__(self) -> Iterator[Row]:
        first = self._skip("\ufeff")
        if first is None:
            return
        in_array = first == "["
        if in_array:
            self._pos += 1
        number = 0
        while True:
            following = self._skip("," if in_array else "")
            if following is None:
                if in_array:
                    yield Row(number + 1, None, "invalid JSON: the array is not closed", self._line)
                return
            if in_array and following == "]":
                self._pos += 1  # past the ']': only what follows it is extra
                if self._skip("") is not None:
                    self.warnings.append(f"text after the closing ']' (line {self._line}) ignored")
                return
            number += 1
            line = self._line
            value, error = self._decode()
            if error is not None:
                yield Row(number, None, f"{error}; the rest of the file cannot be read", line)
                self._drain()
                return
            yield _object(number, line, value)
