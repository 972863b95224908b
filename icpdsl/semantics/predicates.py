"""The truth of each predicate of the language for one value: true, false or unknown.

`prepare(node)` turns a predicate into a `Test` once (its literals normalised);
`test(value, as_of)` judges the value a record holds for the field (MISSING when it
has none, an `Invalid` when the schema could not read it).  The reference evaluator
calls these tests and then explains the outcome; the compiled code inlines the common
exact-type cases (semantics/inline.py) and calls these tests for everything else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Final

from .. import ast
from .bands import Interval, judge
from .cells import as_bool, as_date, as_items, is_number, text_key
from .compare import (
    OP_INTERVALS,
    OPS,
    as_band,
    comparable,
    equals,
    item_key,
    less,
    public,
    subtract,
    target,
)
from .logic import Truth, kleene_not
from .missing import MISSING

Test = Callable[[Any, datetime.date], Truth]


def prepare(node: ast.Predicate) -> Test:
    """The test of predicate `node` (its literals normalised once)."""
    return _PREPARE[node.__class__](node)


def _in_list(node: ast.InList) -> Test:
    kinds = {v.kind for v in node.values}
    kind = kinds.pop() if len(kinds) == 1 and kinds <= {"string", "number"} else None
    targets = frozenset(target(v) for v in node.values) if kind else frozenset()
    values, negated = node.values, node.negated

    def test(value: Any, as_of: datetime.date) -> Truth:
        if value is MISSING:
            return None
        if kind == "string" and isinstance(value, str):
            found = text_key(value) in targets
        elif kind == "number" and is_number(value):
            found = value in targets
        else:
            items = as_items(value) if not isinstance(value, str) else None
            candidates = items if items is not None else [value]
            matches = [equals(c, v, as_of) for c in candidates for v in values]
            if matches and all(m is None for m in matches):
                return None
            found = True in matches
        return found != negated

    return test


def _range(node: ast.Range) -> Test:
    reference = node.low if node.low is not None else node.high
    assert reference is not None
    low = target(node.low) if node.low is not None else None
    high = target(node.high) if node.high is not None else None
    interval = Interval(low, high)

    def test(value: Any, as_of: datetime.date) -> Truth:
        if value is MISSING:
            return None
        converted = comparable(value, reference, as_of)
        if converted is None or isinstance(converted, str):
            band = as_band(value, reference)
            return judge(band, interval) if band is not None else None
        if low is not None and less(converted, low):
            return False
        return not (high is not None and less(high, converted))

    return test


def _compare(node: ast.Compare) -> Test:
    literal, op = node.value, node.op
    wanted = target(literal)
    compare = OPS[op]

    def test(value: Any, as_of: datetime.date) -> Truth:
        if value is MISSING:
            return None
        converted = comparable(value, literal, as_of)
        if converted is None:
            band = as_band(value, literal)
            if band is None:
                return None
            if op == "!=":
                return kleene_not(judge(band, Interval(wanted, wanted)))
            return judge(band, OP_INTERVALS[op](wanted))
        try:
            return compare(converted, wanted)
        except TypeError:
            return None

    return test


def has_items(keys: set[Any] | frozenset[Any], targets: tuple[Any, ...], mode: str) -> bool:
    """Whether items with `keys` hold all (`one`, `all`), any or none of `targets`."""
    if mode == "any":
        return any(t in keys for t in targets)
    if mode == "none":
        return not any(t in keys for t in targets)
    return all(t in keys for t in targets)


def _has(node: ast.Has) -> Test:
    targets = tuple(target(v) for v in node.values)
    mode = node.mode

    def test(value: Any, as_of: datetime.date) -> Truth:
        if value is MISSING:
            return None
        items = as_items(value)
        if items is None:
            return None
        return has_items({item_key(item) for item in items}, targets, mode)

    return test


def _is_known(node: ast.IsKnown) -> Test:
    known = node.known

    def test(value: Any, as_of: datetime.date) -> Truth:
        return (value is not MISSING) == known

    return test


def _within(node: ast.Within) -> Test:
    duration = node.duration.value
    assert isinstance(duration, ast.Duration)

    def test(value: Any, as_of: datetime.date) -> Truth:
        if value is MISSING:
            return None
        when = as_date(public(value))
        if when is None:
            return None
        return subtract(as_of, duration) <= when <= as_of

    return test


def _matches(node: ast.Matches) -> Test:
    literal = node.value
    wanted = target(literal)
    text = literal.kind == "string"

    def test(value: Any, as_of: datetime.date) -> Truth:
        if value is MISSING:
            return None
        items = as_items(value) if not isinstance(value, str) or text else None
        if items is not None:
            return wanted in {item_key(i) for i in items}
        return equals(value, literal, as_of)

    return test


def _truthy(node: ast.Truthy) -> Test:
    def test(value: Any, as_of: datetime.date) -> Truth:
        return None if value is MISSING else as_bool(value)

    return test


_PREPARE: Final[dict[type, Callable[[Any], Test]]] = {
    ast.InList: _in_list,
    ast.Range: _range,
    ast.Compare: _compare,
    ast.Has: _has,
    ast.IsKnown: _is_known,
    ast.Within: _within,
    ast.Matches: _matches,
    ast.Truthy: _truthy,
}
