"""Reading fields from account records: mappings, dataclasses, attrs, objects, rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .kept import KEPT_ENTRIES, KEPT_TEXT_LENGTH
from .semantics.missing import MISSING, Invalid, is_missing

__all__ = ["MISSING", "Invalid", "get_field", "lookup", "loose_key"]


_LOOSE = re.compile(r"[\s\-_.]+")


def loose_key(name: str) -> str:
    """`Annual Revenue`, `annual-revenue` and `annual_revenue` are the same column.  Short
    names are worked out once per process: a file's column names come back every row."""
    known = _LOOSE_KEYS.get(name)
    if known is not None:
        return known
    key = _LOOSE.sub("_", name.strip()).casefold()
    if len(name) <= KEPT_TEXT_LENGTH:
        if len(_LOOSE_KEYS) >= _KEPT_NAMES:
            _LOOSE_KEYS.clear()
        _LOOSE_KEYS[name] = key
    return key


#: Names `loose_key` has worked out, within the bounds of `icpdsl.kept`.
_LOOSE_KEYS: dict[str, str] = {}
_KEPT_NAMES = KEPT_ENTRIES


def _lookup(container: Any, key: str) -> Any:
    try:
        return _read(container, key)
    except Exception:  # a hostile record (`__getattr__` or `__getitem__` raise) reads as missing
        return MISSING


def _read(container: Any, key: str) -> Any:
    if container.__class__ is dict:  # the common case, before the costlier ABC check
        value = container.get(key, MISSING)
        # Not there: a plain dict holds it under another spelling or not at all.
        return value if value is not MISSING else _loosely(container, key)
    if isinstance(container, Mapping) or (
        hasattr(container, "keys") and hasattr(container, "__getitem__")
    ):
        try:
            return container[key]
        except (KeyError, IndexError, TypeError):
            pass
        return _loosely(container, key)
    if isinstance(container, (str, bytes, int, float, bool, list, tuple, set, frozenset)):
        return MISSING
    if key.startswith("_"):  # `__class__.__init__.__globals__` must not reach Python internals
        return MISSING
    try:
        return getattr(container, key)
    except Exception:
        return MISSING


def _loosely(container: Any, key: str) -> Any:
    """The value of the mapping's key spelt like `key` (`loose_key`), or MISSING."""
    wanted = loose_key(key)
    try:
        keys = list(container.keys())
    except Exception:  # a hostile mapping must not break evaluation
        return MISSING
    for candidate in keys:
        if isinstance(candidate, str) and loose_key(candidate) == wanted:
            return container[candidate]
    return MISSING


def lookup(container: Any, key: str) -> Any:
    """One key or attribute of a record, column names matched loosely; else MISSING."""
    return _lookup(container, key)


def get_field(record: Any, parts: tuple[str, ...]) -> Any:
    """The value at a dotted path, or MISSING; never raises for odd records."""
    if record.__class__ is dict and len(parts) == 1:  # the common case, directly
        value = record.get(parts[0], MISSING)
        if value is not MISSING:
            return MISSING if is_missing(value) else value
    value = record
    for part in parts:
        if value is MISSING or value is None:
            break
        value = _lookup(value, part)
    if (value is MISSING or value is None) and len(parts) > 1:
        value = _lookup(record, ".".join(parts))  # a flat column named `hq.country`
    if value is MISSING or is_missing(value):
        return MISSING
    return value


def plain_key(read: Callable[[Any, tuple[str, ...]], Any], parts: tuple[str, ...]) -> str | None:
    """The key a plain dict holds the field at `parts` under when `read` takes it as it
    is (`get_field`, one part, and not `age`, which `semantics.compare.field_value`
    derives from a founding date), or None: fast paths read that key themselves and leave
    an absent key to `read`, which matches names loosely."""
    if read is get_field and len(parts) == 1 and parts != ("age",):
        return parts[0]
    return None
