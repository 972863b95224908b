"""The accounts of DATA, read once into memory, with the what-if cells typed over them."""

from __future__ import annotations

import datetime
import itertools
import os
from collections.abc import Iterator
from typing import Any

from ..batch.ids import IdColumn, id_candidates
from ..errors import ICPLoadError
from ..io import Row, open_records
from ..records import MISSING
from ..result import format_value
from ..schema import Schema
from ..semantics.cells import infer_cell

#: Columns listed for a JSON file, whose records may each have other keys.
MAX_COLUMNS = 500


class Accounts:
    """Every Row of a data file in input order; edits are kept apart and never written."""

    def __init__(
        self,
        name: str,
        rows: list[Row],
        columns: list[str],
        id_column: IdColumn,
        *,
        text_columns: frozenset[str] = frozenset(),
        warnings: list[str] | None = None,
    ) -> None:
        self.name = name
        self.rows = rows
        self.columns = columns
        self.id_name = id_column.name
        self.ids = [id_column(r.record) if r.record is not None else None for r in rows]
        self.folded_ids = [(i or "").casefold() for i in self.ids]
        self.text_columns = text_columns
        self.warnings = warnings or []
        self.unreadable = sum(r.record is None for r in rows)
        self._index = {row.number: position for position, row in enumerate(rows)}
        #: What-if cells: row position → column → typed value.
        self.edits: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def position(self, number: int) -> int:
        """Where row `number` (from 1, as `icp eval` counts) is kept."""
        try:
            return self._index[number]
        except KeyError:
            raise ICPLoadError(f"no row {number}: {self.name} has {len(self.rows):,}") from None

    def original(self, position: int) -> dict[str, Any] | None:
        """The record as the file holds it (None for a row that could not be read)."""
        return self.rows[position].record

    def record(self, position: int) -> dict[str, Any] | None:
        """The record with its what-if cells, if any."""
        record = self.rows[position].record
        edits = self.edits.get(position)
        if record is None or not edits:
            return record
        return {**record, **edits}

    def records(self) -> Iterator[dict[str, Any] | None]:
        """Every record with its what-if cells, in input order."""
        for position in range(len(self.rows)):
            yield self.record(position)

    def edit(self, position: int, column: str, text: str) -> None:
        """Set a what-if cell, typed as a CSV cell is (an id column stays text)."""
        original = self.rows[position].record
        if original is None:
            raise ICPLoadError(f"{self.rows[position].where} could not be read: nothing to edit")
        value: Any = text if column in self.text_columns else infer_cell(text)
        cells = self.edits.setdefault(position, {})
        if column in original and cell_text(original[column]) == text:
            cells.pop(column, None)  # back to what the file holds
        else:
            cells[column] = value
        if not cells:
            del self.edits[position]

    def reset(self, position: int | None = None) -> None:
        """Drop the what-if cells of one row, or of every row."""
        if position is None:
            self.edits.clear()
        else:
            self.edits.pop(position, None)

    def cells(self, position: int) -> list[dict[str, Any]]:
        """Each column of a row as the what-if editor shows it: text to edit, and what
        the file holds when a what-if replaced it."""
        original = self.rows[position].record or {}
        edits = self.edits.get(position, {})
        keys = list(dict.fromkeys([*self.columns, *original, *edits]))
        out = []
        for column in keys:
            cell: dict[str, Any] = {"column": column, "text": cell_text(original.get(column))}
            if column in edits:
                cell.update(edited=True, original=cell["text"], text=cell_text(edits[column]))
            out.append(cell)
        return out


def cell_text(value: Any) -> str:
    """A cell as text a person edits and `infer_cell` reads back: lists joined by `; `,
    numbers without thousands separators, missing as blank."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_value(value).replace(",", "")
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    return format_value(value)


def read_accounts(
    path: str | os.PathLike[str],
    *,
    schema: Schema,
    format: str | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    id_column: str | None = None,
    head: int | None = None,
) -> Accounts:
    """Read DATA as `icp eval` does (same readers, typing, id column); `head` keeps the
    first N records only.  A file that cannot be read at all raises ICPLoadError."""
    candidates = id_candidates(id_column, schema)
    reader = open_records(
        path, format=format, encoding=encoding, delimiter=delimiter, text_columns=candidates
    )
    try:
        ids = IdColumn(candidates, reader.columns, explicit=id_column is not None)
        rows = list(itertools.islice(reader, head))
        warnings = list(reader.warnings)
        name = reader.source.name
        header = reader.columns
    finally:
        reader.source.close()
    columns = header if header is not None else _keys(rows)
    text = frozenset(c for c in columns if c in candidates)
    return Accounts(name, rows, columns, ids, text_columns=text, warnings=warnings)


def _keys(rows: list[Row]) -> list[str]:
    """The keys of JSON records in first-seen order (at most MAX_COLUMNS)."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row.record or ():
            if len(seen) >= MAX_COLUMNS:
                return list(seen)
            seen.setdefault(str(key), None)
    return list(seen)
