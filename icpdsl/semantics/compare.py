"""How a value compares with a literal of the language: numbers, text, dates, ages,
durations, true/false and bands — the one definition every engine follows.

A value that cannot be read as the literal's kind compares as unknown (None): `"n/a"
>= 10` is neither true nor false.  Text compares case-insensitively with surrounding
white space ignored; a whole number compares with a founding date as elapsed time
(`age 3..10 years`); a size band (`250 to 499`) compares as a whole (semantics/bands.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, Final

import attrs

from .. import ast
from ..kept import KEPT_ENTRIES, KEPT_TEXT_LENGTH
from .bands import Band, Interval, parse_band
from .cells import as_bool, as_date, as_number, is_number, split_items, text_key, tidy_number
from .missing import MISSING, Invalid
from .shown import format_value

#: Fields that `age` falls back to when a record has no `age` of its own.
AGE_SOURCES: Final = ("founded", "founded_on", "founded_at", "founded_year", "year_founded")


@attrs.frozen
class Founded:
    """`age` derived from a founding date: compared in elapsed years/months/days."""

    founded: Any


def field_value(
    read: Callable[[Any, tuple[str, ...]], Any], record: Any, parts: tuple[str, ...]
) -> Any:
    """The value `record` holds at `parts`, read by `read`; a record without an `age`
    has the age of its founding date (`Founded`), when it has one."""
    value = read(record, parts)
    if value is MISSING and parts == ("age",):
        for name in AGE_SOURCES:
            founded = read(record, (name,))
            if isinstance(founded, Invalid):
                return founded
            if founded is not MISSING:
                return Founded(founded)
    return value


def public(actual: Any) -> Any:
    """The value as the record holds it (a derived age shows its founding date)."""
    return actual.founded if isinstance(actual, Founded) else actual


def target(value: ast.Value) -> Any:
    """A literal as values are compared with it: text as its key, a duration's amount."""
    if value.kind == "string":
        return text_key(str(value.value))
    if value.kind == "duration":
        return value.value.amount  # type: ignore[union-attr]
    return value.value


def comparable(actual: Any, literal: ast.Value, as_of: datetime.date) -> Any:
    """`actual` converted to compare with `literal`; None when it cannot be."""
    kind = literal.kind
    if isinstance(actual, Founded):
        if kind != "duration":
            actual = actual.founded
        else:
            since = as_date(actual.founded)
            if since is None:
                return None
            return elapsed(since, as_of, literal.value.unit)  # type: ignore[union-attr]
    if kind == "number":
        return as_number(actual)
    if kind == "date":
        return as_date(actual)
    if kind == "bool":
        return as_bool(actual)
    if kind == "duration":
        unit = literal.value.unit  # type: ignore[union-attr]
        since = as_date(actual) if not is_number(actual) else None
        if since is not None:
            return elapsed(since, as_of, unit)
        return as_number(actual)
    if isinstance(actual, str):
        return text_key(actual)
    if is_number(actual) or isinstance(actual, bool):
        return text_key(format_value(actual).replace(",", ""))
    return None


def item_key(item: Any) -> Any:
    """How a list item compares: text as `text_key`, numbers as they are, anything else
    as it is shown (`true`, `2020-01-31`)."""
    if isinstance(item, str):
        return text_key(item)
    if is_number(item):
        return item
    return text_key(format_value(item))


def item_keys(value: Any) -> AbstractSet[Any] | None:
    """The keys of a list field's items (a list, tuple, set or separated text); None for
    anything else, and for blank text (which is missing data).  Short text is split once
    per process: a CSV's tech column repeats the same few lists row after row."""
    if value.__class__ is str:
        keys = _TEXT_ITEM_KEYS.get(value)
        if keys is not None:
            return keys
        if not value.strip():
            return None
        keys = frozenset([text_key(item) for item in split_items(value)])
        if len(value) <= KEPT_TEXT_LENGTH:
            if len(_TEXT_ITEM_KEYS) >= _KEPT_TEXTS:
                _TEXT_ITEM_KEYS.clear()
            _TEXT_ITEM_KEYS[value] = keys
        return keys
    if isinstance(value, (list, tuple, set, frozenset)):
        return {item_key(item) for item in value}
    return None


#: List texts already split by `item_keys`, within the bounds of `icpdsl.kept`.
_TEXT_ITEM_KEYS: dict[str, frozenset[Any]] = {}
_KEPT_TEXTS = KEPT_ENTRIES


def equals(actual: Any, literal: ast.Value, as_of: datetime.date) -> bool | None:
    """Whether `actual` is `literal` (None: it cannot be compared with it)."""
    converted = comparable(actual, literal, as_of)
    if converted is None:
        return None
    return bool(converted == target(literal))


#: The comparison operators of the language.
OPS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def less(a: Any, b: Any) -> bool:
    """`a < b`, False when the two cannot be ordered."""
    try:
        return bool(a < b)
    except TypeError:
        return False


def gap(high: Any, low: Any) -> int | float | None:
    """How far apart two numbers are (None for other values, or when it overflows)."""
    if is_number(high) and is_number(low):
        try:
            return tidy_number(high - low)
        except OverflowError:  # a huge int against a float: no meaningful gap
            return None
    return None


# ------------------------------------------------------------------ time


def subtract(as_of: datetime.date, duration: ast.Duration) -> datetime.date:
    """The calendar date `duration` before `as_of` (month ends clamp: Mar 31 - 1 month)."""
    amount = duration.amount
    if duration.unit == "days":
        return as_of - datetime.timedelta(days=amount)
    if duration.unit == "weeks":
        return as_of - datetime.timedelta(weeks=amount)
    months = round(amount * (12 if duration.unit == "years" else 1))
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    month += 1
    day = min(as_of.day, _days_in_month(max(1, year), month))
    return datetime.date(max(1, year), month, day)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def elapsed(since: datetime.date, as_of: datetime.date, unit: str) -> int:
    """Whole units elapsed from `since` to `as_of`, as a person counts an age."""
    if unit == "days":
        return (as_of - since).days
    if unit == "weeks":
        return (as_of - since).days // 7
    months = (as_of.year - since.year) * 12 + as_of.month - since.month
    if as_of.day < since.day:
        months -= 1
    return months // 12 if unit == "years" else months


def within(when: datetime.date, as_of: datetime.date, duration: ast.Duration) -> bool:
    """`when` lies in the window of `duration` that ends at `as_of`."""
    return subtract(as_of, duration) <= when <= as_of


# ------------------------------------------------------------------ bands


def as_band(actual: Any, literal: ast.Value) -> Band | None:
    """`actual` as a size or revenue band (`250 to 499`) when a number is expected."""
    if literal.kind != "number":
        return None
    if isinstance(actual, Band):
        return actual
    return parse_band(actual) if isinstance(actual, str) else None


#: The numbers each comparison with `x` accepts, as an interval.
OP_INTERVALS: Final[dict[str, Callable[[Any], Interval]]] = {
    "==": lambda x: Interval(x, x),
    ">=": lambda x: Interval(x, None),
    ">": lambda x: Interval(x, None, low_open=True),
    "<=": lambda x: Interval(None, x),
    "<": lambda x: Interval(None, x, high_open=True),
}
