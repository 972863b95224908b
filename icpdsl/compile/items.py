"""Set keys of a list-like field, as the reference evaluator compares `has` and matches."""

from __future__ import annotations

from typing import Any

from ..evaluator import _ITEM_SPLIT, _item_key


def item_keys(value: Any) -> set[Any] | None:
    """Keys of a list, tuple, set or `;`/`,`/`|`-separated text; None for anything else.

    Blank text is None too (it is missing data).  Exact classes only: subclasses and
    other types take the reference evaluator's path.
    """
    cls = value.__class__
    if cls is str:
        text = value.strip()
        if not text:
            return None
        return {item.strip().casefold() for item in _ITEM_SPLIT.split(text) if item}
    if cls is list or cls is tuple or cls is set or cls is frozenset:
        return {
            item.strip().casefold() if item.__class__ is str else _item_key(item) for item in value
        }
    return None
