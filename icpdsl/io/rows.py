"""The unit every reader yields: one input record, or why it could not be read."""

from __future__ import annotations

from typing import Any, NamedTuple, TypeAlias


class Row(NamedTuple):
    """One input record (or the error that stopped it from being read).

    `number` counts records from 1 in input order (a CSV header is not a record);
    `line` is the line of the input where the record starts, when the format has lines.
    Exactly one of `record` and `error` is set.  A named tuple: readers make one per
    record, and a tuple is made several times faster than a frozen attrs class.
    """

    number: int
    record: dict[str, Any] | None
    error: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        """`row 3 (line 5)`: how messages point at this record."""
        return f"row {self.number}" + (f" (line {self.line})" if self.line is not None else "")


#: A CSV record as its cells' text, before typing (`CSVReader.cell_rows`): its number,
#: its cells or the error that stopped it being read (exactly one is set, as in `Row`),
#: and its line.  A plain tuple: made once per record, and sent to worker processes.
CellRow: TypeAlias = tuple[int, list[str] | None, str | None, int]
