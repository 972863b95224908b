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
from typing import TYPE_CHECKING, Any, Final, Literal

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


@attrs.frozen(cache_hash=True)  # hashed at every set operation of the analysis
class Atom:
    """One literal of a conjunction, on one field (`domain` keeps numbers and text apart)."""

    field: str
    kind: AtomKind
    positive: bool
    domain: str = ""
    op: str = ""
    value: Any = None


Conjunction = frozenset[Atom]


class _Joined(frozenset[Atom]):
    """A conjunction `both` made, with what its atoms leave each field (`states`), so a
    conjunction grown one criterion at a time is checked for the new atoms only."""

    __slots__ = ("states",)
    states: _States


EVERYTHING: Conjunction = frozenset()
_FLIP = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


class Analysis:
    """Normal forms and satisfiability for one profile's conditions."""

    def __init__(self, profile: BoundProfile, schema: Schema) -> None:
        self.profile = profile
        self.schema = schema
        self.collections = self._collection_fields()
        self._integral: dict[str, bool] = {}

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
        kept: dict[Conjunction, None] = {}  # in order, each alternative once
        for a, b in itertools.product(left, right):
            big, small = (a, b) if len(a) >= len(b) else (b, a)
            joined = self._joined(big, small)
            if joined is not None:
                kept.setdefault(joined, None)
        return _limit(list(kept))

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

    def meets(self, *dnfs: list[Conjunction] | Running) -> bool:
        """Whether DNFs can all hold together, i.e. `satisfiable(both(a, both(b, ...)))`,
        without building the conjunctions: the smaller ones' field states are merged and
        checked against the largest, which is not copied for each rule it meets."""
        choices = [d.states() if isinstance(d, Running) else [self._states(t) for t in d]
                   for d in dnfs]  # fmt: skip
        if math.prod(len(c) for c in choices) > MAX_TERMS * 16:
            raise TooComplex
        for combination in itertools.product(*choices):
            known = [states for states in combination if states is not None]
            if len(known) < len(combination):
                continue  # an alternative that cannot hold by itself
            *rest, largest = sorted(known, key=len)
            merged: _States | None = {}
            for states in rest:
                merged = _merged(merged, states) if merged is not None else None
            if merged is not None and _compatible(largest, merged):
                return True
        return False

    def running(self) -> Running:
        """A conjunction of DNFs to grow one at a time (see `Running`)."""
        return Running(self)

    def conjoin(self, dnfs: Iterable[list[Conjunction]]) -> tuple[list[Conjunction], int | None]:
        """The conjunction of DNFs, and the index of the first with which it can no longer
        hold (None when it can)."""
        running = self.running()
        for index, terms in enumerate(dnfs):
            if not running.add(terms):
                return [], index
        return running.terms(), None

    def _grow_in_place(self, atoms: set[Atom], states: _States, term: Conjunction) -> bool:
        for atom in term:
            if atom in atoms:
                continue
            atoms.add(atom)
            state = states.get(atom.field)
            if state is None:
                state = states[atom.field] = _FieldState(self._is_int(atom.field))
            if not state.add(atom):
                return False
        return True

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
        known = self._integral.get(key)
        if known is None:
            type_: FieldType | None = None
            if self.schema and key != SCORE:
                type_ = self.schema.field_type(tuple(key.split(".")))
            known = self._integral[key] = type_ is not None and type_.kind == "int"
        return known

    # ------------------------------------------------------------------ satisfiability
    def term_possible(self, term: Conjunction) -> bool:
        """False only when no account can make every atom of `term` true."""
        return self._states(term) is not None

    def _states(self, term: Conjunction) -> _States | None:
        """Each field's state under `term`, None when `term` cannot hold: kept on a
        conjunction `both` made, else built from the atoms (a condition's own)."""
        if isinstance(term, _Joined):
            return term.states
        return self._built(term)

    def _joined(self, big: Conjunction, small: Conjunction) -> _Joined | None:
        """`big | small` if it can hold: the field states of `small` merged into those of
        `big`, so a long conjunction is not re-checked for each atom added."""
        ours, theirs = self._states(big), self._states(small)
        states = None if ours is None or theirs is None else _merged(ours, theirs)
        return None if states is None else _joined(big | small, states)

    def _built(self, term: Conjunction) -> _States | None:
        """The field states of a conjunction's atoms; None when they cannot all hold."""
        states: _States = {}
        return states if self._grow_in_place(set(), states, term) else None

    # ------------------------------------------------------------------ scores and witnesses
    def score_terms(self, fit: list[Conjunction]) -> list[Conjunction]:
        """What the score of a fitting account can be, as one alternative."""
        fixed: float = 0
        free: list[float] = []
        for rule in self.profile.scoring:
            node = rule.node
            assert isinstance(node, ast.Points)
            if not self.meets(fit, self.dnf(node.condition)):
                continue
            if not self.meets(fit, self.not_true(node.condition)):
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


class Running:
    """A conjunction of DNFs grown one DNF at a time (criteria in order, or the tiers
    not taken so far).  While each DNF added is one conjunction (no `or`), it is grown
    in place, each atom once: linear in the atoms, whatever their number.  Past that
    it is a DNF like `Analysis.both`'s."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.atoms: set[Atom] = set()
        self.single: _States | None = {}  # one conjunction's states, owned: changed in place
        self.dnf: list[Conjunction] = [EVERYTHING]

    def add(self, terms: list[Conjunction]) -> bool:
        """Conjoin `terms`; whether the whole can still hold."""
        if self.single is not None and len(terms) == 1:
            if self.analysis._grow_in_place(self.atoms, self.single, terms[0]):
                return True
            self.single, self.dnf = None, []
            return False
        self.dnf = self.analysis.both(self.terms(), terms)
        self.single = None
        return bool(self.dnf)

    def terms(self) -> list[Conjunction]:
        """The conjunction so far as a DNF (a copy of the atoms: once, not per check)."""
        if self.single is None:
            return self.dnf
        states = {field: state.copy() for field, state in self.single.items()}
        return [_joined(frozenset(self.atoms), states)]  # its own states: these change

    def states(self) -> list[_States | None]:
        """The field states of each alternative so far; to read, never to change."""
        if self.single is not None:
            return [self.single]
        return [self.analysis._states(t) for t in self.dnf]


def _joined(atoms: Conjunction, states: _States) -> _Joined:
    joined = _Joined(atoms)
    joined.states = states
    return joined


def _merged(ours: _States, theirs: _States) -> _States | None:
    """The field states of two conjunctions together (None: they cannot both hold); the
    states of either are left as they are."""
    if len(theirs) > len(ours):
        ours, theirs = theirs, ours
    states = dict(ours)
    for field, their in theirs.items():
        our = ours.get(field)
        if our is None:
            states[field] = their
            continue
        both = our.copy()
        if not both.merge(their):
            return None
        states[field] = both
    return states


def _compatible(ours: _States, theirs: _States) -> bool:
    """Whether two conjunctions' field states can hold together (nothing is built)."""
    if len(theirs) > len(ours):
        ours, theirs = theirs, ours
    for field, their in theirs.items():
        our = ours.get(field)
        if our is not None and not our.copy().merge(their):
            return False
    return True


class _FieldState:
    """What the atoms on one field added so far allow, kept as they are added (each
    atom costs about the same however many came before): known/missing, booleans, items,
    usable values and, per domain, the range and value sets.

    Containers are made only when an atom needs them, and small sets are shared (see
    `_shared`): a large profile holds a state per field, and every object a state owns
    is one more for the garbage collector to walk."""

    __slots__ = ("bool_value", "integral", "items", "known", "possible", "ranges",
                 "unusable", "usable", "valued")  # fmt: skip

    def __init__(self, integral: bool) -> None:
        self.integral = integral
        self.possible = True
        self.known = 0  # KNOWN | MISSING_ONLY bits: the `is known` / `is missing` atoms
        self.valued = False
        self.bool_value: Any = _NONE  # the one boolean value required, if any
        self.items: set[tuple[Any, bool]] | None = None
        self.usable: frozenset[str] = frozenset()
        self.unusable: frozenset[str] = frozenset()
        self.ranges: dict[str, _Range] | None = None

    def copy(self) -> _FieldState:
        other = _FieldState(self.integral)
        other.possible, other.valued, other.known = self.possible, self.valued, self.known
        other.bool_value, other.usable, other.unusable = (
            self.bool_value, self.usable, self.unusable)  # fmt: skip
        if self.items is not None:
            other.items = set(self.items)
        if self.ranges is not None:
            other.ranges = {d: r.copy() for d, r in self.ranges.items()}
        return other

    def add(self, atom: Atom) -> bool:
        """Add `atom`; whether every atom added so far can still hold together."""
        if self.possible:
            self.possible = self._add(atom)
        return self.possible

    def merge(self, other: _FieldState) -> bool:
        """Add what `other` holds (the same field's atoms of another conjunction)."""
        if self.possible:
            self.possible = other.possible and self._merge(other)
        return self.possible

    def _merge(self, other: _FieldState) -> bool:
        self.known |= other.known
        self.valued = self.valued or other.valued
        if not self._known_possible():
            return False
        if other.bool_value is not _NONE and not self._bool(other.bool_value):
            return False
        if other.items and not all(self._item(item) for item in other.items):
            return False
        if not (self._usable(other.usable) and self._unusable(other.unusable)):
            return False
        for domain, values in (other.ranges or {}).items():
            ranges = self.ranges if self.ranges is not None else self._new_ranges()
            ours = ranges.get(domain)
            if ours is None:
                ranges[domain] = values.copy()
            elif not ours.merge(values):
                return False
        return True

    def _add(self, atom: Atom) -> bool:
        kind = atom.kind
        if kind == "known":
            self.known |= _KNOWN if atom.positive else _MISSING
        elif kind != "unusable":
            self.valued = True
        if not self._known_possible():
            return False
        if kind == "bool" and not self._bool(atom.value):
            return False
        if kind in ("item", "opaque") and not self._item((atom.value, atom.positive)):
            return False
        if kind == "unusable":
            return self._unusable(_shared(frozenset({atom.domain})))
        usable = kind in ("bound", "member", "item", "bool")
        if usable and not self._usable(_shared(frozenset({_usable_domain(atom)}))):
            return False
        if kind in ("bound", "member"):
            ranges = self.ranges if self.ranges is not None else self._new_ranges()
            values = ranges.get(atom.domain)
            if values is None:
                values = ranges[atom.domain] = _Range(self.integral)
            return values.add(atom)
        return True

    def _known_possible(self) -> bool:
        """`is missing` rules out `is known` and any value."""
        return not (self.known & _MISSING and (self.known & _KNOWN or self.valued))

    def _bool(self, value: Any) -> bool:
        if self.bool_value is _NONE:
            self.bool_value = value
        return bool(self.bool_value == value)

    def _item(self, item: tuple[Any, bool]) -> bool:
        items = self.items if self.items is not None else self._new_items()
        if (item[0], not item[1]) in items:
            return False
        items.add(item)
        return True

    def _usable(self, domains: frozenset[str]) -> bool:
        if not domains <= self.usable:
            self.usable = _shared(self.usable | domains)
        return not self.usable & self.unusable

    def _unusable(self, domains: frozenset[str]) -> bool:
        if not domains <= self.unusable:
            self.unusable = _shared(self.unusable | domains)
        return not self.usable & self.unusable

    def _new_items(self) -> set[tuple[Any, bool]]:
        self.items = set()
        return self.items

    def _new_ranges(self) -> dict[str, _Range]:
        self.ranges = {}
        return self.ranges


_States = dict[str, _FieldState]
_NONE: Final = object()
_NOTHING: Final[frozenset[Any]] = frozenset()
_KNOWN, _MISSING = 1, 2
#: Each small set of domain names once, shared by every state that holds it.
_SHARED: dict[frozenset[str], frozenset[str]] = {}


def _shared(domains: frozenset[str]) -> frozenset[str]:
    return _SHARED.setdefault(domains, domains)


class _Range:
    """The values of one domain a field may hold: the tightest bounds, the values it
    must be among and those it may not be."""

    __slots__ = ("allowed", "excluded", "high", "integral", "low")

    def __init__(self, integral: bool) -> None:
        self.integral = integral
        self.low: tuple[Any, bool] | None = None  # (value, strict)
        self.high: tuple[Any, bool] | None = None
        self.allowed: frozenset[Any] | None = None
        self.excluded: set[Any] | None = None  # made when a value is first excluded

    def copy(self) -> _Range:
        other = _Range(self.integral)
        other.low, other.high, other.allowed = self.low, self.high, self.allowed
        if self.excluded is not None:
            other.excluded = set(self.excluded)
        return other

    def _exclude(self, values: Iterable[Any]) -> None:
        if self.excluded is None:
            self.excluded = set()
        self.excluded.update(values)

    def merge(self, other: _Range) -> bool:
        """Add the bounds and value sets of the same domain in another conjunction."""
        if other.allowed is not None:
            self.allowed = other.allowed if self.allowed is None else self.allowed & other.allowed
        if other.excluded:
            self._exclude(other.excluded)
        if other.low is not None and (self.low is None or _tighter_low(other.low, self.low)):
            self.low = other.low
        if other.high is not None and (self.high is None or _tighter_high(other.high, self.high)):
            self.high = other.high
        return self.possible()

    def add(self, atom: Atom) -> bool:
        if atom.kind == "member":
            if atom.positive:
                self.allowed = atom.value if self.allowed is None else self.allowed & atom.value
            else:
                self._exclude(atom.value)
        else:
            bound = _integral(atom) if self.integral else (atom.value, atom.op in (">", "<"))
            if atom.op.startswith(">"):
                if self.low is None or _tighter_low(bound, self.low):
                    self.low = bound
            elif self.high is None or _tighter_high(bound, self.high):
                self.high = bound
        return self.possible()

    def possible(self) -> bool:
        low, high, excluded = self.low, self.high, self.excluded or _NOTHING
        if self.allowed is not None:
            if low is None and high is None and len(self.allowed) > len(excluded):
                return True
            return any(_inside(v, low, high) and v not in excluded for v in self.allowed)
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
