"""Source text and positions: offsets to line/column, and the one caret renderer."""

from __future__ import annotations

import bisect

import attrs


@attrs.frozen
class Span:
    """Where a node came from: character offsets plus 1-based line and column."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@attrs.frozen
class Source:
    """The text of one ICP file and its name, used to locate and quote errors."""

    text: str
    filename: str = "<string>"
    _line_starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        starts = [0]
        find, start = self.text.find, self.text.find("\n")
        while start >= 0:  # str.find, not a loop over characters: a large file loads fast
            starts.append(start + 1)
            start = find("\n", start + 1)
        object.__setattr__(self, "_line_starts", tuple(starts))

    def location(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        """A span between two offsets, with its line and column derived here."""
        line, column = self.location(start)
        end_line, end_column = self.location(end)
        return Span(start, end, line, column, end_line, end_column)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")

    def snippet(self, start: int, end: int) -> str:
        """The source of a span with runs of white space folded, for explanations."""
        return " ".join(self.text[start:end].split())


#: Lines longer than this are quoted in part: the characters around the column.
MAX_QUOTED = 200
QUOTE_RADIUS = 80


def render_caret(line_text: str, column: int, width: int = 1) -> str:
    """Quote a source line and point at `column` (1-based) with a caret.

    A line over MAX_QUOTED characters (generated or hostile input) is cut to the part
    around the column, with `...` where text was left out, so a message stays short.
    Control characters are shown as escapes (`\x1b`), as data values are: a file cannot
    drive the terminal it is checked on; the caret moves with the text it points at.
    """
    line_text = line_text.expandtabs(1)
    column, width = max(1, column), max(1, width)
    before, marked = line_text[: column - 1], line_text[column - 1 : column - 1 + width]
    shown = escape(line_text)
    column, width = len(escape(before)) + 1, max(1, len(escape(marked)))
    if len(shown) <= MAX_QUOTED:
        return f"    {shown}\n    {' ' * (column - 1)}{'^' * width}"
    start = max(0, column - 1 - QUOTE_RADIUS)
    end = column - 1 + min(width, QUOTE_RADIUS) + QUOTE_RADIUS
    prefix, suffix = ("..." if start > 0 else ""), ("..." if end < len(shown) else "")
    pad = " " * (len(prefix) + column - 1 - start)
    return f"    {prefix}{shown[start:end]}{suffix}\n    {pad}{'^' * min(width, QUOTE_RADIUS)}"


def escape(text: str) -> str:
    """Control characters and line breaks as escapes (`\\x1b`, `\\n`): text from a file
    or a record shown on a terminal stays one line and can never drive it."""
    if text.isprintable():  # nearly always: one pass in C, no character rebuilt
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
