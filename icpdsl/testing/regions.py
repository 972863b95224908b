"""A field's possible values split into regions that every predicate on the field treats alike.

From the literals a profile tests a field against (range ends, list members, dates,
`within` windows) the field's values are cut into regions: each boundary and its
neighbours (199, 200, 201 for `200..`), the gaps between them, each listed word, any
other word, each subset of the items `has` asks about, true, false, and missing.  One
sample per region is enough to know how every predicate on the field judges the whole
region; `icpdsl.strategies` turns regions into Hypothesis strategies.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator
from typing import Any, Literal

import attrs

from .. import ast, visitor
from ..document import Profile
from ..records import MISSING, loose_key
from ..semantics.cells import is_number, text_key
from ..semantics.compare import subtract

FieldKey = tuple[str, ...]
RegionKind = Literal["missing", "just", "int", "float", "date", "text", "items"]
#: Above this many distinct `has` items, a sample of their subsets stands for all.
_MAX_ITEMS_ENUMERATED = 6
_DATE_SPAN = datetime.timedelta(days=3650)


@attrs.frozen
class Region:
    """Values alike for every predicate on one field, and one sample of them.

    int/date regions are the closed interval [low, high]; float regions the open
    interval (low, high); `text` is any word not among `avoid`; `items` is a list
    holding exactly `items` among the literals (plus any other words).
    """

    kind: RegionKind
    sample: Any
    low: Any = None
    high: Any = None
    items: tuple[Any, ...] = ()
    avoid: frozenset[str] = frozenset()

    def describe(self) -> str:
        if self.kind == "missing":
            return "missing"
        if self.kind in ("int", "date"):
            return f"{self.low}..{self.high}"
        if self.kind == "float":
            return f"({self.low}, {self.high})"
        if self.kind == "text":
            return "another word"
        if self.kind == "items":
            return "[" + ", ".join(str(i) for i in self.items) + "]"
        return repr(self.sample)


@attrs.frozen
class FieldSpace:
    """One field a profile reads: where it sits in a record and its regions."""

    parts: tuple[str, ...]
    regions: tuple[Region, ...]


@attrs.define
class _Facts:
    """What a profile's predicates compare one field with."""

    parts: tuple[str, ...]
    numbers: set[int | float] = attrs.field(factory=set)
    dates: set[datetime.date] = attrs.field(factory=set)
    words: dict[str, str] = attrs.field(factory=dict)
    items: dict[Any, Any] = attrs.field(factory=dict)
    bools: bool = False
    listy: bool = False

    def add_value(self, value: ast.Value) -> None:
        if value.kind == "number":
            self.numbers.add(value.value)  # type: ignore[arg-type]
        elif value.kind == "duration":
            self.numbers.add(value.value.amount)  # type: ignore[union-attr]
        elif value.kind == "date":
            self.dates.add(value.value)  # type: ignore[arg-type]
        elif value.kind == "bool":
            self.bools = True
        else:
            self.words.setdefault(text_key(str(value.value)), str(value.value))

    def add_item(self, value: ast.Value) -> None:
        self.listy = True
        item = value.value if value.kind == "number" else str(value.value)
        self.items.setdefault(item if is_number(item) else text_key(str(item)), item)


def field_key(path: ast.Path) -> FieldKey:
    """Fields are the same when their names are (`Annual Revenue` = `annual_revenue`)."""
    return tuple(loose_key(part) for part in path.parts)


def predicates(profile: Profile, *, tiers: bool = True) -> Iterator[ast.Predicate]:
    """Every predicate the profile's rules reach, through defines; `score` in tiers skipped."""
    for rule in profile.rules:
        condition = getattr(rule.node, "condition", None)
        if condition is None or (isinstance(rule.node, ast.Tier) and not tiers):
            continue
        for leaf in visitor.predicates(condition, profile.defines):
            if isinstance(rule.node, ast.Tier) and leaf.field.parts == ("score",):
                continue
            yield leaf


def _collect(profile: Profile, as_of: datetime.date) -> dict[FieldKey, _Facts]:
    facts: dict[FieldKey, _Facts] = {}
    for leaf in predicates(profile):
        fact = facts.setdefault(field_key(leaf.field), _Facts(leaf.field.parts))
        if isinstance(leaf, ast.InList):
            for value in leaf.values:
                fact.add_value(value)
        elif isinstance(leaf, ast.Range):
            for end in (leaf.low, leaf.high):
                if end is not None:
                    fact.add_value(end)
        elif isinstance(leaf, ast.Compare):
            fact.add_value(leaf.value)
        elif isinstance(leaf, ast.Has):
            for value in leaf.values:
                fact.add_item(value)
        elif isinstance(leaf, ast.Within):
            fact.dates.update({subtract(as_of, leaf.duration.value), as_of})  # type: ignore[arg-type]
        elif isinstance(leaf, ast.Matches):
            fact.add_value(leaf.value)
            if leaf.value.kind == "string":  # a word, or a list that holds it
                fact.add_item(leaf.value)
        elif isinstance(leaf, ast.Truthy):
            fact.bools = True
    return facts


def field_spaces(profile: Profile, as_of: datetime.date) -> dict[FieldKey, FieldSpace]:
    """Every field the profile reads, with its regions; missing is always the last one."""
    spaces: dict[FieldKey, FieldSpace] = {}
    for key, fact in _collect(profile, as_of).items():
        regions: list[Region] = []
        if fact.numbers:
            regions += _number_regions(fact.numbers)
        if fact.dates:
            regions += _date_regions(fact.dates)
        avoid = frozenset(fact.words) | frozenset(text_key(str(i)) for i in fact.items.values())
        regions += [Region("just", word) for word in fact.words.values()]
        if fact.words or not (regions or fact.listy or fact.bools):
            regions.append(Region("text", _other_word(avoid), avoid=avoid))
        if fact.listy:
            regions += _item_regions(list(fact.items.values()), avoid)
        if fact.bools:
            regions += [Region("just", True), Region("just", False)]
        regions.append(Region("missing", MISSING))
        spaces[key] = FieldSpace(fact.parts, tuple(regions))
    return spaces


def _other_word(avoid: frozenset[str]) -> str:
    for word in ("Other", "Something else", "Unlisted"):
        if text_key(word) not in avoid:
            return word
    return "Zz" * (len(avoid) + 1)


def _number_regions(bounds: set[int | float]) -> list[Region]:
    floor = 0 if min(bounds) >= 0 else None
    if all(float(b).is_integer() for b in bounds):
        return _int_regions(sorted({int(b) + d for b in bounds for d in (-1, 0, 1)}), floor)
    return _float_regions(sorted(float(b) for b in bounds), floor)


def _int_regions(points: list[int], floor: int | None) -> list[Region]:
    regions: list[Region] = []
    first, last = points[0], points[-1]
    low = floor if floor is not None else first - max(1000, abs(first) * 10)
    if low <= first - 1:
        regions.append(Region("int", first - 1, low, first - 1))
    for point, after in itertools.pairwise(points):
        regions.append(Region("just", point))
        if after - point > 1:
            regions.append(Region("int", point + 1, point + 1, after - 1))
    regions.append(Region("just", last))
    high = last + max(1000, abs(last) * 10)
    regions.append(Region("int", last + 1, last + 1, high))
    return regions


def _float_regions(points: list[float], floor: int | None) -> list[Region]:
    regions: list[Region] = []
    first, last = points[0], points[-1]
    low = float(floor) if floor is not None else first - max(1.0, abs(first) * 10)
    if low < first:
        regions.append(Region("float", (low + first) / 2, low, first))
    for point, after in itertools.pairwise(points):
        regions.append(Region("just", point))
        regions.append(Region("float", (point + after) / 2, point, after))
    regions.append(Region("just", last))
    high = last + max(1.0, abs(last) * 10)
    regions.append(Region("float", (last + high) / 2, last, high))
    return regions


def _date_regions(bounds: set[datetime.date]) -> list[Region]:
    day = datetime.timedelta(days=1)
    points = sorted({b + d * day for b in bounds for d in (-1, 0, 1)})
    regions = [Region("date", points[0] - day, points[0] - _DATE_SPAN, points[0] - day)]
    for point, after in itertools.pairwise(points):
        regions.append(Region("just", point))
        if (after - point).days > 1:
            regions.append(Region("date", point + day, point + day, after - day))
    regions.append(Region("just", points[-1]))
    regions.append(Region("date", points[-1] + day, points[-1] + day, points[-1] + _DATE_SPAN))
    return regions


def _item_regions(items: list[Any], avoid: frozenset[str]) -> list[Region]:
    """Lists holding each subset of the literal items (a seeded sample when there are many)."""
    if len(items) <= _MAX_ITEMS_ENUMERATED:
        subsets = [c for n in range(len(items) + 1) for c in itertools.combinations(items, n)]
    else:
        chooser = random.Random(len(items))  # deterministic: same profile, same regions
        subsets = [(), tuple(items)]
        subsets += [(i,) for i in items] + [tuple(j for j in items if j != i) for i in items]
        subsets += [tuple(i for i in items if chooser.random() < 0.5) for _ in range(32)]
        subsets = list(dict.fromkeys(subsets))
    return [Region("items", list(s), items=s, avoid=avoid) for s in subsets]
