"""What counts as missing data, and the values that stand for absent or unreadable cells.

A predicate on a missing value is unknown, never false and never an error; every engine
reads the same cells as missing (SQL: NULL or blank text; Polars: null or blank text).
"""

from __future__ import annotations

import datetime
import decimal
import math
from typing import Any, Final

import attrs


class _Missing:
    """The one value that stands for absent data (a key not there, None, NaN, blank)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


@attrs.frozen
class Invalid:
    """A value that is present but cannot be read as its declared type (`"12 people"` for
    an int): predicates on it are unknown, and the explanation says why."""

    raw: Any
    expected: str
    reason: str

    def __str__(self) -> str:
        return f"{self.raw!r} is {self.reason} (expected {self.expected})"


def is_missing(value: object) -> bool:
    """None, NaN (float or Decimal), blank text and pandas' NA and NaT are missing data."""
    if value is None:
        return True
    kind = value.__class__
    if kind is str:
        return not value.strip()  # type: ignore[attr-defined]
    if kind is float:
        return math.isnan(value)  # type: ignore[arg-type]
    if kind in PRESENT:
        return False
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, decimal.Decimal):
        return value.is_nan()
    return kind.__name__ in ("NAType", "NaTType")  # pandas, without importing it


#: Types whose values are never missing data, answered before the general test.
PRESENT: Final = frozenset({int, bool, list, tuple, set, frozenset, dict, datetime.date})
