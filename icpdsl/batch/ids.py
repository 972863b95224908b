"""Which column names an account in batch output: `--id`, else the first of id/name/domain."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ICPLoadError
from ..records import MISSING, lookup, loose_key
from ..schema import Schema, did_you_mean

DEFAULT_ID_FIELDS = ("id", "name", "domain")


def id_candidates(wanted: str | None, schema: Schema) -> list[str]:
    """Column names to try, in order: each field's mapped column (`name from "Company
    name"`), then the field name itself."""
    names: list[str] = []
    for field in [wanted] if wanted else DEFAULT_ID_FIELDS:
        spec = schema.fields.get(field)
        if spec is not None and spec.column:
            names.append(spec.column)
        names.append(field)
    return list(dict.fromkeys(names))


class IdColumn:
    """Reads the id of a record; `name` is the output column's header."""

    def __init__(self, candidates: Sequence[str], columns: Sequence[str] | None, *,
                 explicit: bool) -> None:  # fmt: skip
        self._candidates = list(candidates)
        self._key: str | None = None
        self.name = candidates[0] if explicit else "id"
        if columns is None:
            return
        by_key = {loose_key(c): c for c in reversed(columns)}
        exact = set(columns)
        for candidate in candidates:
            column = candidate if candidate in exact else by_key.get(loose_key(candidate))
            if column is not None:
                self._key = self.name = column
                return
        if explicit:
            hint = did_you_mean(candidates[0], columns) or "columns: " + ", ".join(columns)
            raise ICPLoadError(f"--id {candidates[0]!r}: no such column", hint=hint)
        self._candidates = []  # no id column: rows are known by number

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
