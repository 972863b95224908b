"""A readable table for a terminal, streamed: widths from the first rows, long cells cut."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..source import escape

#: Rows held back to measure column widths before the first line is printed.
MEASURE_ROWS = 50
_MAX_WIDTH = 40
#: The widest the last column (the reason) and an explanation line get off a terminal.
MAX_LINE = 120
_RESET = "\033[0m"
#: A list as rules and reasons write it: `[SaaS, "B2B Software", 85200]`.
_LIST = re.compile(r"\[[^\[\]]*\]")
_ITEM = re.compile(r'\s*(?:"(?:[^"\\]|\\.)*"|[^,]+)')


def display_width(text: str) -> int:
    """Terminal cells `text` takes (wide East Asian characters take two)."""
    if text.isascii():  # every ASCII character is one cell: most cells, found in C
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, with `…` when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells: its longest lists first keep their
    leading items (`[SaaS, Fintech, … 45 more]`), then the end is cut (`…`).  For
    tables; `--format json` keeps every text whole."""
    while display_width(text) > width:
        lists = sorted(_LIST.finditer(text), key=lambda m: len(m[0]), reverse=True)
        short = next((s for s in (_short_list(m[0]) for m in lists) if s is not None), None)
        if short is None:
            return fit(text, width)
        whole, cut = short
        text = text.replace(whole, cut, 1)
    return text


def _short_list(whole: str) -> tuple[str, str] | None:
    """(a list, the list with its items after the second left out), or None when it
    has three items or fewer (a list already shortened has three)."""
    items = [item.strip() for item in _ITEM.findall(whole[1:-1]) if item.strip()]
    if len(items) <= 3:
        return None
    return whole, "[" + ", ".join(items[:2]) + f", … {len(items) - 2} more]"


class TableWriter:
    """Columns padded to the widest of the first rows; the last column is never padded.

    `styles` maps a cell's text to an ANSI style (`"32"` green) for the columns in
    `styled`; `line_width` cuts each line to the terminal's width when set.
    """

    def __init__(
        self,
        stream: TextIO,
        columns: Sequence[str],
        *,
        styled: Sequence[str] = (),
        styles: Mapping[str, str] | None = None,
        line_width: int | None = None,
    ) -> None:
        self._stream = stream
        self._columns = list(columns)
        self._styled = set(styled)
        self._styles = dict(styles or {})
        self._line_width = line_width
        self._pending: list[tuple[list[str], str | None]] = []
        self._widths: list[int] | None = None

    def write(self, row: Mapping[str, Any], detail: str | None = None) -> None:
        cells = [_cell(row.get(c)) for c in self._columns]
        if self._widths is None:
            self._pending.append((cells, detail))
            if len(self._pending) >= MEASURE_ROWS:
                self._start()
            return
        self._line(cells, detail)

    def close(self) -> None:
        if self._widths is None:
            self._start()

    def _start(self) -> None:
        rows = [cells for cells, _ in self._pending]
        self._widths = [
            min(_MAX_WIDTH, max([display_width(name)] + [display_width(r[i]) for r in rows]))
            for i, name in enumerate(self._columns)
        ]
        self._emit(self._render(self._columns, bold=True))
        for cells, detail in self._pending:
            self._line(cells, detail)
        self._pending = []

    def _line(self, cells: list[str], detail: str | None) -> None:
        self._emit(self._render(cells))
        if detail:
            room = self._line_width or MAX_LINE
            for text in detail.splitlines():
                self._emit(shorten("    " + escape(text), room))

    def _render(self, cells: list[str], bold: bool = False) -> str:
        assert self._widths is not None
        last = len(cells) - 1
        parts = []
        for index, (column, text) in enumerate(zip(self._columns, cells, strict=True)):
            width = self._widths[index]
            shown = shorten(text, self._last_width()) if index == last else shorten(text, width)
            padding = "" if index == last else " " * (width - display_width(shown))
            style = "1" if bold and self._styles else self._style(column, text)
            parts.append(f"\033[{style}m{shown}{_RESET}{padding}" if style else shown + padding)
        return "  ".join(parts).rstrip()

    def _last_width(self) -> int:
        """Room left for the last column on a line of `line_width` cells (MAX_LINE off
        a terminal)."""
        if self._line_width is None or self._widths is None:
            return MAX_LINE
        used = sum(self._widths[:-1]) + 2 * (len(self._widths) - 1)
        return max(12, self._line_width - used)

    def _style(self, column: str, text: str) -> str | None:
        return self._styles.get(text) if column in self._styled else None

    def _emit(self, line: str) -> None:
        self._stream.write(line + "\n")


def _cell(value: Any) -> str:
    """A value on one table line: white space runs as one space, control characters
    (a cell holding `\\x1b[2J` must not drive the terminal) as escapes, as
    explanations show data values."""
    if value is None:
        return ""
    return escape(" ".join(str(value).split()))
