"""Positions: icpdsl's 1-based line and column (in characters) ↔ the LSP's 0-based line
and character (in the code units the client negotiated: UTF-16 unless it chose another)."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types

from ..source import Span

#: Code units one character takes, per LSP position encoding.
_UNITS: dict[str, Callable[[str], int]] = {
    types.PositionEncodingKind.Utf8: lambda char: len(char.encode("utf-8")),
    types.PositionEncodingKind.Utf16: lambda char: 2 if ord(char) > 0xFFFF else 1,
    types.PositionEncodingKind.Utf32: lambda char: 1,
}


class Lines:
    """One text's lines, converting positions both ways in one encoding."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.lines = text.split("\n")
        self.encoding = encoding
        self._units = _UNITS.get(encoding, _UNITS[types.PositionEncodingKind.Utf16])

    def line(self, number: int) -> str:
        """The text of a 0-based line, without its line break ('' past the end)."""
        return self.lines[number].rstrip("\r") if 0 <= number < len(self.lines) else ""

    def _width(self, text: str) -> int:
        if text.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return len(text)
        return sum(self._units(char) for char in text)

    def position(self, line: int, column: int) -> types.Position:
        """icpdsl's (line, column), both 1-based, as an LSP position."""
        index = max(0, line - 1)
        text = self.lines[index] if index < len(self.lines) else ""
        return types.Position(index, self._width(text[: max(0, column - 1)]))

    def range(self, line: int, column: int, width: int) -> types.Range:
        """`width` characters from icpdsl's (line, column), on that line."""
        return types.Range(self.position(line, column), self.position(line, column + width))

    def span(self, span: Span) -> types.Range:
        """A node's span as an LSP range."""
        start = self.position(span.line, span.column)
        return types.Range(start, self.position(span.end_line, span.end_column))

    def whole_line(self, line: int) -> types.Range:
        """The 0-based line's text, without its line break."""
        text = self.line(line)
        return types.Range(types.Position(line, 0), types.Position(line, self._width(text)))

    def offset_column(self, position: types.Position) -> tuple[int, int]:
        """An LSP position as icpdsl's 1-based (line, column)."""
        text = self.line(position.line)
        if text.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return position.line + 1, min(position.character, len(text)) + 1
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return position.line + 1, index + 1
            units += self._units(char)
        return position.line + 1, len(text) + 1

    def prefix(self, position: types.Position) -> str:
        """The text of the position's line before it."""
        _, column = self.offset_column(position)
        return self.line(position.line)[: column - 1]

    def end(self) -> types.Position:
        """Just after the last character of the text."""
        last = len(self.lines) - 1
        return types.Position(last, self._width(self.lines[last]))
