"""Which column names an account in batch output: `--id`, else the first of ID_COLUMNS."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ICPLoadError
from ..records import MISSING, lookup, loose_key
from ..schema import ID_COLUMNS, Schema, did_you_mean, id_rank


def id_candidates(wanted: str | None, schema: Schema) -> list[str]:
    """Column names to try, in order.

    With `wanted` (`--id`): the column its field is mapped from, then the name itself.
    Without: the columns the profile maps an id, name or domain field from (`name: string
    from "Company name"` picks that column), then ID_COLUMNS (`id`, `Record ID`, ...).
    """
    if wanted:
        spec = schema.fields.get(wanted)
        mapped = [spec.column] if spec is not None and spec.column else []
        return list(dict.fromkeys([*mapped, wanted]))
    pinned = sorted(
        (rank, spec.column)
        for spec in schema.fields.values()
        if spec.column and (rank := id_rank(spec.name)) is not None
    )
    return list(dict.fromkeys([*(column for _, column in pinned), *ID_COLUMNS]))


def present(candidates: Sequence[str], columns: Sequence[str]) -> list[str]:
    """The columns that match a candidate (exactly, else loosely), in candidate order."""
    by_key = {loose_key(c): c for c in reversed(columns)}
    exact = set(columns)
    found = (c if c in exact else by_key.get(loose_key(c)) for c in candidates)
    return list(dict.fromkeys(c for c in found if c is not None))


class IdColumn:
    """Reads the id of a record; `name` is the output column's header."""

    def __init__(self, candidates: Sequence[str], columns: Sequence[str] | None, *,
                 explicit: bool) -> None:  # fmt: skip
        self._candidates = list(candidates)
        self._key: str | None = None
        self.name = candidates[0] if explicit else "id"
        if columns is None:
            return
        found = present(candidates, columns)
        if not found and not explicit:  # a register's `EmployerName`, `Organisation Name`
            found = [c for c in columns if loose_key(c).endswith("name")]
        if found:
            self._key = self.name = found[0]
            return
        if explicit:
            hint = did_you_mean(candidates[0], columns) or "columns: " + ", ".join(columns)
            raise ICPLoadError(f"--id {candidates[0]!r}: no such column", hint=hint)
        self._candidates = []  # no id column: rows are known by number

    @property
    def key(self) -> str | None:
        """The column the ids are read from, when the data has a header that has one."""
        return self._key

    def __call__(self, record: Mapping[str, Any]) -> str | None:
        if self._key is not None:
            return id_text(record.get(self._key))
        for candidate in self._candidates:
            value = id_text(lookup(record, candidate))
            if value is not None:
                return value
        return None


def id_text(value: Any) -> str | None:
    """A cell as an id: text as it is, `12.0` as `12`; None when blank or missing."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value)
    return text if text.strip() else None
