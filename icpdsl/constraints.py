"""Reasoning about conditions for lint: disjunctive normal form and satisfiability.

A condition becomes a list of conjunctions (its DNF) of atoms: bounds on numbers and
dates, membership in value sets, set items, booleans, known/missing, and opaque
predicates (`within`) that are only compared with themselves.  `satisfiable` is sound for
"no": when it says a conjunction cannot hold, no account can make it hold.  A "yes" is
exact only for conjunctions without opaque atoms; `witness` reports those.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import attrs

from . import ast
from .schema import FieldType, Schema
from .semantics.cells import text_key
from .visitor import ConditionVisitor, predicates

if TYPE_CHECKING:
    from .program import BoundProfile

#: DNFs larger than this are not analysed (lint then stays silent).
MAX_TERMS = 256
#: Scores are enumerated exactly when at most this many points rules are undecided.
MAX_POINTS_ENUMERATED = 12
SCORE = "\0score"

AtomKind = Literal["bound", "member", "item", "bool", "known", "opaque", "unusable"]


class TooComplex(Exception):
    """A condition's normal form is too large to analyse."""


@attrs.frozen
class Atom:
    """One literal of a conjunction, on one field (`domain` keeps numbers and text apart)."""

    field: str
    kind: AtomKind
    positive: bool
    domain: str = ""
    op: str = ""
    value: Any = None


Conjunction = frozenset[Atom]
EVERYTHING: Conjunction = frozenset()
_FLIP = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


class Analysis:
    """Normal forms and satisfiability for one profile's conditions."""

    def __init__(self, profile: BoundProfile, schema: Schema) -> None:
        self.profile = profile
        self.schema = schema
        self.collections = self._collection_fields()

    # ------------------------------------------------------------------ normal forms
    def dnf(
        self, node: ast.Condition, positive: bool = True, in_tier: bool = False
    ) -> list[Conjunction]:
        """`node` (or its negation) as a list of alternatives, each a set of atoms."""
        return _NormalForm(self, positive, in_tier).visit(node)

    def both(self, left: list[Conjunction], right: list[Conjunction]) -> list[Conjunction]:
        """The conjunction of two DNFs, keeping only alternatives that can hold."""
        if len(left) * len(right) > MAX_TERMS * 16:
            raise TooComplex
        product = [a | b for a, b in itertools.product(left, right)]
        return _limit([t for t in dict.fromkeys(product) if self.term_possible(t)])

    def not_true(self, node: ast.Condition, in_tier: bool = False) -> list[Conjunction]:
        """When `node` is not true: false, or unknown because a field it reads is missing
        or unusable (an over-approximation, so "impossible" stays sound)."""
        terms = self.dnf(node, False, in_tier)
        unusable = {
            Atom(a.field, "unusable", True, _usable_domain(a))
            for term in self.dnf(node, True, in_tier)
            for a in term
            if a.kind not in ("known", "opaque") and a.field != SCORE
        }
        opaque = {
            a.field for term in self.dnf(node, True, in_tier) for a in term if a.kind == "opaque"
        }
        unusable |= {Atom(f, "unusable", True, "opaque") for f in opaque}
        return _limit(terms + [frozenset({a}) for a in sorted(unusable, key=repr)])

    def satisfiable(self, terms: list[Conjunction]) -> bool:
        return any(self.term_possible(t) for t in terms)

    def criteria(self) -> list[Conjunction]:
        """The alternatives under which every criterion holds (empty: nothing fits)."""
        result = [EVERYTHING]
        for rule in self.profile.criteria:
            assert isinstance(rule.node, ast.Criterion)
            result = self.both(result, self.dnf(rule.node.condition))
        return result

    # ------------------------------------------------------------------ predicates
    def predicate(self, node: ast.Predicate, positive: bool, in_tier: bool) -> list[Conjunction]:
        key = node.field.name
        if in_tier and key == "score":
            key = SCORE
        collection = key in self.collections
        if isinstance(node, ast.IsKnown):
            return [frozenset({Atom(key, "known", node.known == positive)})]
        if isinstance(node, ast.Truthy):
            return [frozenset({Atom(key, "bool", True, value=positive)})]
        if isinstance(node, ast.Range):
            bounds = [(">=", node.low), ("<=", node.high)]
            atoms = [self._bound(key, op, v) for op, v in bounds if v is not None]
            if any(a is None for a in atoms):
                return self._opaque(key, node, positive)
            if positive:
                return [frozenset(a for a in atoms if a is not None)]
            return [frozenset({_negate(a)}) for a in atoms if a is not None]
        if isinstance(node, ast.Compare):
            return self._compare(key, node, positive)
        if isinstance(node, ast.InList):
            return self._members(key, node, node.values, positive != node.negated, collection)
        if isinstance(node, ast.Matches):
            if collection:
                return _items(key, (node.value,), "all", positive)
            if self._scalar(key):
                return self._members(key, node, (node.value,), positive, False)
            return self._opaque(key, node, positive)
        if isinstance(node, ast.Has):
            return _items(key, node.values, node.mode, positive)
        return self._opaque(key, node, positive)

    def _compare(self, key: str, node: ast.Compare, positive: bool) -> list[Conjunction]:
        value = node.value
        if value.kind == "bool" and node.op in ("==", "!="):
            truth = bool(value.value) == (node.op == "==") == positive
            return [frozenset({Atom(key, "bool", True, value=truth)})]
        if node.op in ("==", "!="):
            return self._members(key, node, (value,), (node.op == "==") == positive, False)
        atom = self._bound(key, node.op, value)
        if atom is None:
            return self._opaque(key, node, positive)
        return [frozenset({atom if positive else _negate(atom)})]

    def _bound(self, key: str, op: str, value: ast.Value) -> Atom | None:
        domain, number = _ordered(value)
        if domain is None:
            return None
        return Atom(key, "bound", True, domain, op, number)

    def _members(
        self,
        key: str,
        node: ast.Predicate,
        values: tuple[ast.Value, ...],
        positive: bool,
        collection: bool,
    ) -> list[Conjunction]:
        if collection:
            # `tech in [A]` needs an item A; its negation may also hold for a text cell
            # `"A; B"` that `has A` splits, so it is not reasoned about.
            return _items(key, values, "any", True) if positive else self._opaque(key, node, False)
        domains = {_member_domain(v) for v in values}
        if len(domains) != 1 or None in domains:
            return self._opaque(key, node, positive)
        domain = domains.pop()
        assert domain is not None
        keys = frozenset(_member_key(v) for v in values)
        return [frozenset({Atom(key, "member", positive, domain, value=keys)})]

    @staticmethod
    def _opaque(key: str, node: ast.Predicate, positive: bool) -> list[Conjunction]:
        return [frozenset({Atom(key, "opaque", positive, value=node)})]

    def _scalar(self, key: str) -> bool:
        type_ = self.schema.field_type(tuple(key.split("."))) if self.schema else None
        return type_ is not None and type_.kind not in ("any", "set", "list", "record")

    def _collection_fields(self) -> frozenset[str]:
        names: set[str] = set()
        for name, spec in self.schema.fields.items() if self.schema else ():
            if spec.type.is_collection:
                names.add(name)
        for define in self.profile.defines.values():
            names.update(_has_fields(define.condition))
        for rule in self.profile.rules:
            condition = getattr(rule.node, "condition", None)
            if condition is not None:
                names.update(_has_fields(condition))
        return frozenset(names)

    def _is_int(self, key: str) -> bool:
        if not self.schema or key == SCORE:
            return False
        type_: FieldType | None = self.schema.field_type(tuple(key.split(".")))
        return type_ is not None and type_.kind == "int"

    # ------------------------------------------------------------------ satisfiability
    def term_possible(self, term: Conjunction) -> bool:
        """False only when no account can make every atom of `term` true."""
        by_field: dict[str, list[Atom]] = {}
        for atom in term:
            by_field.setdefault(atom.field, []).append(atom)
        return all(self._field_possible(f, atoms) for f, atoms in by_field.items())

    def _field_possible(self, field: str, atoms: list[Atom]) -> bool:
        known = {a.positive for a in atoms if a.kind == "known"}
        valued = any(a.kind not in ("known", "unusable") for a in atoms)
        if False in known and (True in known or valued):
            return False
        if len({a.value for a in atoms if a.kind == "bool"}) > 1:
            return False
        items = {(a.value, a.positive) for a in atoms if a.kind in ("item", "opaque")}
        if any((value, not positive) in items for value, positive in items):
            return False
        usable = {_usable_domain(a) for a in atoms if a.kind in ("bound", "member", "item", "bool")}
        if any(a.kind == "unusable" and a.domain in usable for a in atoms):
            return False
        domains = {a.domain for a in atoms if a.kind in ("bound", "member")}
        return all(
            _values_possible([a for a in atoms if a.domain == d], self._is_int(field))
            for d in domains
        )

    # ------------------------------------------------------------------ scores and witnesses
    def score_terms(self, fit: list[Conjunction]) -> list[Conjunction]:
        """What the score of a fitting account can be, as one alternative."""
        fixed: float = 0
        free: list[float] = []
        for rule in self.profile.scoring:
            node = rule.node
            assert isinstance(node, ast.Points)
            if not self.satisfiable(self.both(fit, self.dnf(node.condition))):
                continue
            if not self.satisfiable(self.both(fit, self.not_true(node.condition))):
                fixed += node.points
            else:
                free.append(node.points)
        if len(free) > MAX_POINTS_ENUMERATED:
            low = fixed + sum(p for p in free if p < 0)
            high = fixed + sum(p for p in free if p > 0)
            return [
                frozenset(
                    {
                        Atom(SCORE, "bound", True, "number", ">=", low),
                        Atom(SCORE, "bound", True, "number", "<=", high),
                    }
                )
            ]
        sums = {
            _tidy(fixed + sum(chosen))
            for size in range(len(free) + 1)
            for chosen in itertools.combinations(free, size)
        }
        return [frozenset({Atom(SCORE, "member", True, "number", value=frozenset(sums))})]

    def witness(self, terms: list[Conjunction]) -> str | None:
        """A description of an account meeting `terms`, "" when it cannot be described
        simply, or None when no alternative is exactly known to be possible."""
        for term in terms:
            if not self.term_possible(term) or any(a.kind == "opaque" for a in term):
                continue
            unusable = sorted(a.field for a in term if a.kind == "unusable")
            if unusable:
                return f"when {unusable[0]} is missing"
            scores = [a for a in term if a.field == SCORE]
            value = _pick([a for a in scores if a.kind in ("bound", "member")])
            return f"score {_show(value)}" if value is not None else ""
        return None


# ---------------------------------------------------------------------- helpers


def _limit(terms: list[Conjunction]) -> list[Conjunction]:
    if len(terms) > MAX_TERMS:
        raise TooComplex
    return terms


def _negate(atom: Atom) -> Atom:
    if atom.kind == "bound":
        return attrs.evolve(atom, op=_FLIP[atom.op])
    if atom.kind == "bool":
        return attrs.evolve(atom, value=not atom.value)
    return attrs.evolve(atom, positive=not atom.positive)


def _items(key: str, values: tuple[ast.Value, ...], mode: str, positive: bool) -> list[Conjunction]:
    atoms = [Atom(key, "item", True, value=_member_key(v)) for v in values]
    every = mode in ("one", "all")
    if mode == "none":
        atoms = [_negate(a) for a in atoms]
        every = True
    if not positive:
        atoms = [_negate(a) for a in atoms]
        every = not every
    if every:
        return [frozenset(atoms)]
    return [frozenset({a}) for a in atoms]


class _NormalForm(ConditionVisitor[list[Conjunction]]):
    """A condition (or, with `positive` False, its negation) in disjunctive normal form."""

    def __init__(self, analysis: Analysis, positive: bool, in_tier: bool) -> None:
        self.analysis = analysis
        self.positive = positive
        self.in_tier = in_tier

    def visit_Ref(self, node: ast.Ref) -> list[Conjunction]:
        return self.visit(self.analysis.profile.defines[node.name].condition)

    def visit_Not(self, node: ast.Not) -> list[Conjunction]:
        self.positive = not self.positive
        try:
            return self.visit(node.operand)
        finally:
            self.positive = not self.positive

    def visit_And(self, node: ast.And | ast.Or) -> list[Conjunction]:
        parts = [self.visit(o) for o in node.operands]
        if isinstance(node, ast.And) == self.positive:
            result = [EVERYTHING]
            for part in parts:
                result = self.analysis.both(result, part)
            return result
        return _limit([t for part in parts for t in part])

    visit_Or = visit_And

    def visit_predicate(self, node: ast.Predicate) -> list[Conjunction]:
        return self.analysis.predicate(node, self.positive, self.in_tier)


def _has_fields(node: ast.Condition) -> Iterable[str]:
    return (p.field.name for p in predicates(node) if isinstance(p, ast.Has))


def _usable_domain(atom: Atom) -> str:
    """What a true atom proves its field holds: a number, a date, text, items, a boolean."""
    return atom.domain if atom.kind in ("bound", "member") else atom.kind


def _ordered(value: ast.Value) -> tuple[str | None, Any]:
    """The domain and comparable value of a range end or comparison literal."""
    if value.kind == "number":
        return "number", value.value
    if value.kind == "date":
        return "date", value.value
    if value.kind == "duration":
        assert isinstance(value.value, ast.Duration)
        return value.value.unit, value.value.amount
    return None, None


def _member_domain(value: ast.Value) -> str | None:
    if value.kind in ("number", "date"):
        return value.kind
    if value.kind == "string":
        return "text"
    return None


def _member_key(value: ast.Value) -> Any:
    if value.kind == "string":
        return text_key(str(value.value))
    return value.value


def _values_possible(atoms: list[Atom], integral: bool) -> bool:
    low: tuple[Any, bool] | None = None  # (value, strict)
    high: tuple[Any, bool] | None = None
    allowed: frozenset[Any] | None = None
    excluded: set[Any] = set()
    for atom in atoms:
        if atom.kind == "member":
            if atom.positive:
                allowed = atom.value if allowed is None else allowed & atom.value
            else:
                excluded |= atom.value
            continue
        bound = _integral(atom) if integral else (atom.value, atom.op in (">", "<"))
        if atom.op.startswith(">"):
            low = bound if low is None or _tighter_low(bound, low) else low
        else:
            high = bound if high is None or _tighter_high(bound, high) else high
    if allowed is not None:
        return any(_inside(v, low, high) and v not in excluded for v in allowed)
    if low is None or high is None:
        return True
    try:
        if low[0] > high[0]:
            return False
        if low[0] == high[0]:
            return not (low[1] or high[1]) and low[0] not in excluded
    except TypeError:
        return True
    return True


def _integral(atom: Atom) -> tuple[Any, bool]:
    value = atom.value
    if not isinstance(value, (int, float)):
        return value, atom.op in (">", "<")
    if atom.op == ">":
        return math.floor(value) + 1, False
    if atom.op == "<":
        return math.ceil(value) - 1, False
    return (math.ceil(value) if atom.op == ">=" else math.floor(value)), False


def _tighter_low(new: tuple[Any, bool], old: tuple[Any, bool]) -> bool:
    try:
        return bool(new[0] > old[0] or (new[0] == old[0] and new[1]))
    except TypeError:
        return False


def _tighter_high(new: tuple[Any, bool], old: tuple[Any, bool]) -> bool:
    try:
        return bool(new[0] < old[0] or (new[0] == old[0] and new[1]))
    except TypeError:
        return False


def _inside(value: Any, low: tuple[Any, bool] | None, high: tuple[Any, bool] | None) -> bool:
    try:
        if low is not None and (value < low[0] or (low[1] and value == low[0])):
            return False
        if high is not None and (value > high[0] or (high[1] and value == high[0])):
            return False
    except TypeError:
        return True
    return True


def _pick(atoms: list[Atom]) -> Any:
    """A value meeting every bound/member atom on one number, or None."""
    members = [a for a in atoms if a.kind == "member" and a.positive]
    bounds = [a for a in atoms if a.kind == "bound"]
    excluded = {v for a in atoms if a.kind == "member" and not a.positive for v in a.value}
    if members:
        pool = set(members[0].value).intersection(*(m.value for m in members[1:]))
        fits = sorted(v for v in pool if v not in excluded and _meets(v, bounds))
        return fits[0] if fits else None
    return None


def _meets(value: Any, bounds: list[Atom]) -> bool:
    checks = {">=": value.__ge__, ">": value.__gt__, "<=": value.__le__, "<": value.__lt__}
    return all(checks[b.op](b.value) is True for b in bounds)


def _tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _show(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


__all__ = ["EVERYTHING", "Analysis", "Atom", "Conjunction", "TooComplex"]
