"""A CSV record's cells → its record: which columns are typed, and typed cells remembered.

One `CellTyping` per file: the reader builds records with it, and worker processes that
get a chunk of a file's rows as cell text (`icp eval --jobs`) build the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..kept import KEPT_TEXT_LENGTH
from ..semantics.cells import infer_cell
from .rows import CellRow, Row

#: Past this many distinct values a column's typed cells are no longer remembered.
_CACHE_LIMIT = 2048


class CellTyping:
    """How a file's cells become a record: the columns `typed` get `infer_cell`, every
    other column keeps its text."""

    def __init__(self, columns: Sequence[str], typed: Sequence[bool]) -> None:
        self.columns = list(columns)
        self._typed = list(typed)
        self._typed_indices = [index for index, kind in enumerate(typed) if kind]
        #: Per column, its cells typed so far (None past `_CACHE_LIMIT` distinct cells).
        self._caches: list[dict[str, Any] | None] = [{} for _ in columns]
        #: What engines keep for this file between chunks of its rows (`cell_memo`).
        self.kept: dict[Any, Any] = {}

    def __reduce__(self) -> tuple[type[CellTyping], tuple[list[str], list[bool]]]:
        """Sent to a worker process without what this process remembered."""
        return (CellTyping, (self.columns, self._typed))

    def record(self, cells: list[str]) -> dict[str, Any]:
        """The record of a row's cells (as many as `columns`)."""
        columns, caches = self.columns, self._caches
        record = dict(zip(columns, cells, strict=True))
        for index in self._typed_indices:
            cell, cache = cells[index], caches[index]
            if cache is None:
                record[columns[index]] = infer_cell(cell)
                continue
            try:
                record[columns[index]] = cache[cell]
            except KeyError:
                value = record[columns[index]] = infer_cell(cell)
                if len(cell) <= KEPT_TEXT_LENGTH:  # longer cells: typed every time
                    cache[cell] = value
                    if len(cache) > _CACHE_LIMIT:
                        caches[index] = None  # too many distinct values to remember
        return record

    def is_typed(self, index: int) -> bool:
        """Whether column `index`'s cells are typed (else: kept as text)."""
        return self._typed[index]


def typed_rows(rows: Iterable[CellRow], typing: CellTyping) -> Iterator[Row]:
    """Rows of cell text as Rows of their records (error rows as they are)."""
    record = typing.record
    for number, cells, error, line in rows:
        yield Row(number, record(cells) if cells is not None else None, error, line)
