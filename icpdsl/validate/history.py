"""Past accounts with their outcome and value: the input every validation reads."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Collection, Sequence
from typing import Any

import attrs

from ..batch.ids import IdColumn, id_candidates
from ..errors import ICPLoadError
from ..io import open_records
from ..records import MISSING, lookup
from ..schema import Schema, did_you_mean
from ..semantics.cells import is_number, parse_bool, parse_number, text_key

#: Labels that mean the good outcome when `--good` is not given.
GOOD_LABELS = frozenset({"true", "1", "won", "closed won", "closed_won", "renewed", "win"})
BAD_LABELS = frozenset({"false", "0", "lost", "closed lost", "closed_lost", "churned"})


@attrs.frozen
class Account:
    """One past account: where it was read, its id, its record, outcome and value."""

    number: int
    id: str
    record: dict[str, Any]
    good: bool
    value: float | None


@attrs.frozen
class History:
    """The readable accounts of a history file, and what was left out and why."""

    source: str
    outcome: str
    accounts: tuple[Account, ...]
    columns: tuple[str, ...]
    value_column: str | None = None
    #: Rows the reader could not read.
    unreadable: int = 0
    #: Rows whose outcome cell was blank or not a recognised label.
    no_outcome: int = 0
    #: The first few outcome labels that were neither good nor bad.
    unrecognised: tuple[str, ...] = ()
    #: What the reader warned of (renamed columns, rows in another encoding).
    reading: tuple[str, ...] = ()

    @property
    def good(self) -> int:
        return sum(a.good for a in self.accounts)

    @property
    def base_rate(self) -> float:
        return self.good / len(self.accounts) if self.accounts else 0.0


def read_history(
    path: str | os.PathLike[str],
    outcome: str,
    *,
    good: Collection[str] = (),
    value: str | None = None,
    format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    id_column: str | None = None,
    schema: Schema | None = None,
    on_header: Callable[[Sequence[str] | None], None] | None = None,
) -> History:
    """Read every account of `path` with its outcome (good when the `outcome` cell is one
    of `good`, default: true/yes/1/won/renewed) and its `value` (a number, or None).

    Rows with a blank or unrecognised outcome are counted and left out; an `outcome` or
    `value` column that does not exist raises ICPLoadError naming the columns there are.
    `format`, `encoding` and `delimiter` are `icpdsl.io.open_records`'; `on_header`
    sees the columns (None without a header) before any row is read.
    """
    wanted_good = {t for t in (label_text(label) for label in good) if t is not None}
    reader = open_records(path, format=format, encoding=encoding, delimiter=delimiter)
    accounts: list[Account] = []
    unreadable = no_outcome = 0
    unrecognised: dict[str, None] = {}
    seen: set[str] = set()
    ids: IdColumn | None = None
    try:
        columns = reader.columns
        if on_header is not None:
            on_header(columns)
        for column in (outcome, value):
            if column is not None and columns is not None:
                _require_column(column, columns, str(path))
        ids = IdColumn(id_candidates(id_column, schema or Schema({})), columns,
                       explicit=id_column is not None)  # fmt: skip
        for row in reader:
            if row.record is None:
                unreadable += 1
                continue
            seen.update(row.record)
            label = lookup(row.record, outcome)
            verdict = _outcome(label, wanted_good)
            if verdict is None:
                no_outcome += 1
                if label is not MISSING and label is not None and len(unrecognised) < 5:
                    unrecognised[str(label)] = None
                continue
            accounts.append(
                Account(
                    number=row.number,
                    id=ids(row.record) or f"row {row.number}",
                    record=row.record,
                    good=verdict,
                    value=_value(lookup(row.record, value)) if value else None,
                )
            )
    finally:
        reader.source.close()
    names = tuple(columns) if columns is not None else tuple(sorted(seen))
    if columns is None and accounts == [] and no_outcome and outcome not in seen:
        _require_column(outcome, names, str(path))
    return History(
        source=str(path),
        outcome=outcome,
        accounts=tuple(accounts),
        columns=names,
        value_column=value,
        unreadable=unreadable,
        no_outcome=no_outcome,
        unrecognised=tuple(unrecognised),
        reading=tuple(reader.warnings),
    )


def _require_column(column: str, columns: Sequence[str], source: str) -> None:
    found = [c for c in columns if c == column or lookup({c: 1}, column) == 1]
    if not found:
        hint = did_you_mean(column, columns) or "columns: " + ", ".join(columns)
        raise ICPLoadError(f"no column {column!r}", filename=source, hint=hint)


def _outcome(label: Any, good: set[str]) -> bool | None:
    """True for the good outcome, False for any other known label, None when blank."""
    text = label_text(label)
    if text is None:
        return None
    if good:
        return text in good
    if text in GOOD_LABELS:
        return True
    if text in BAD_LABELS:
        return False
    return None


def label_text(label: Any) -> str | None:
    """An outcome label as compared: `Yes`, `TRUE` and True are all `true`; `1`, `1.0`
    and 1 are `1`; other text loses case and surrounding space; blank is None."""
    if label is MISSING or label is None:
        return None
    if isinstance(label, str):
        if not label.strip():
            return None
        boolean = parse_bool(label.strip().casefold())
        if boolean is not None:
            label = boolean
        else:
            number = parse_number(label)
            label = number if number is not None else label
    if isinstance(label, bool):
        return "true" if label else "false"
    if is_number(label):
        return str(int(label)) if float(label).is_integer() else repr(float(label))
    return text_key(str(label))


def _value(cell: Any) -> float | None:
    if is_number(cell):
        number = float(cell)
    elif isinstance(cell, str):
        parsed = parse_number(cell)
        number = float(parsed) if parsed is not None else math.nan
    else:
        return None
    return number if math.isfinite(number) else None


@attrs.frozen
class DataRow:
    """One account of a data file without an outcome: where it was read, its id, record."""

    number: int
    id: str
    record: dict[str, Any]


def read_accounts(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    id_column: str | None = None,
    schema: Schema | None = None,
    on_header: Callable[[Sequence[str] | None], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> tuple[list[DataRow], int]:
    """Every readable account of `path`, and how many rows could not be read; `on_header`
    sees the columns (None without a header) before any row is read, `on_warning` what
    the reader warned of (renamed columns, rows in another encoding) once all are read."""
    reader = open_records(path, format=format, encoding=encoding, delimiter=delimiter)
    rows: list[DataRow] = []
    unreadable = 0
    try:
        if on_header is not None:
            on_header(reader.columns)
        ids = IdColumn(id_candidates(id_column, schema or Schema({})), reader.columns,
                       explicit=id_column is not None)  # fmt: skip
        for row in reader:
            if row.record is None:
                unreadable += 1
            else:
                rows.append(DataRow(row.number, ids(row.record) or f"row {row.number}", row.record))
    finally:
        reader.source.close()
    if on_warning is not None:
        for warning in reader.warnings:
            on_warning(warning)
    return rows, unreadable
