"""JSON Lines and JSON arrays → Rows, streamed: one object per record, bad ones kept.

JSON Lines: each line is read on its own, so an invalid line (bad JSON, not UTF-8, not
an object) becomes an error Row and reading goes on.  A JSON array is decoded element by
element from a sliding window, never whole; after a syntax error inside an array the
rest cannot be split into elements, so the error Row says so and reading stops.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any

from ..errors import ICPLoadError
from .rows import Row
from .source import DataSource

_CHUNK = 64 * 1024
#: An element this large without decoding is treated as malformed, not as unfinished.
_MAX_ELEMENT = 64 * 1024 * 1024
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

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self.warnings: list[str] = []

    def __iter__(self) -> Iterator[Row]:
        number = 0
        for line_number, raw in enumerate(self.source.stream, start=1):
            if line_number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            number += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                message = f"not UTF-8 text (byte 0x{raw[error.start : error.start + 1].hex()})"
                yield Row(number, None, message, line_number)
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


class JSONArrayReader:
    """Rows of a JSON array of objects (or of objects one after another), streamed."""

    format = "json"
    columns: list[str] | None = None
    empty = False

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self.warnings: list[str] = []
        self._buffer = ""
        self._pos = 0
        self._line = 1  # line of self._pos
        self._eof = False
        self._decoder = _incremental_utf8()

    def _fill(self) -> bool:
        """Read the next chunk into the window; False at the end of the input."""
        if self._eof:
            return False
        chunk = self.source.stream.read(_CHUNK)
        self._eof = not chunk
        try:
            text = self._decoder.decode(chunk, final=self._eof)
        except UnicodeDecodeError as error:
            line = self._line + self._buffer.count("\n", self._pos)
            raise ICPLoadError(
                f"not UTF-8 text near line {line}",
                filename=self.source.name,
                hint="re-save the file as UTF-8 (JSON is always UTF-8)",
            ) from error
        if self._pos > _CHUNK:  # drop what has been decoded already
            self._buffer = self._buffer[self._pos :]
            self._pos = 0
        self._buffer += text
        return bool(chunk)

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
                too_big = len(self._buffer) - self._pos > _MAX_ELEMENT
                if unfinished and not too_big and self._fill():
                    continue
                return None, f"invalid JSON: {error.msg}"
            except RecursionError:
                return None, "invalid JSON: nested too deeply"
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
                return
            yield _object(number, line, value)


def _incremental_utf8() -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8-sig")()
