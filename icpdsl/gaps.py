"""What would change a verdict: the smallest data changes to fit, the fields that decide.

For an account that is not a fit, `changes_to_fit` walks each failing criterion (and
each disqualifier that fired) down to its predicates and picks, at every `or`, the
alternative needing the fewest and smallest changes: `employees 150: needs 200..1000
(50 short)`.  `deciding_fields` names the missing (or unreadable) fields that keep an
unknown criterion from being decided.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import attrs

from . import ast
from .evaluator import ConditionEvaluator, Context, amount_text, literal_form
from .records import MISSING
from .result import PredicateOutcome
from .semantics.cells import is_number
from .semantics.shown import format_like, format_value
from .visitor import ConditionVisitor

if TYPE_CHECKING:
    from .program import BoundProfile


@attrs.frozen
class Change:
    """One field that must change: what it holds now and what it needs."""

    field: str
    text: str
    #: The rule this change is for, as written.
    rule: str
    #: How far a number is from what is needed, relative to the target (for ranking).
    distance: float = 0.0


@attrs.frozen
class Decider:
    """A field whose value, once known, decides an unknown criterion."""

    field: str
    state: str  # "missing" or the reason it could not be read
    rule: str


def changes_to_fit(profile: BoundProfile, record: Any, as_of: datetime.date) -> list[Change]:
    """The smallest set of field changes after which every criterion holds and no
    disqualifier fires (unknown criteria are left to `deciding_fields`)."""
    visitor = ConditionEvaluator(Context(record, as_of, profile.defines, profile.reader))
    walker = _Needs(visitor, profile)
    changes: list[Change] = []
    for bound in profile.rules:
        node = bound.node
        if isinstance(node, ast.Criterion):
            truth, _ = visitor.visit(node.condition)
            if truth is False:
                changes += walker.needs(node.condition, True, bound.text)
        elif isinstance(node, ast.Disqualifier):
            truth, _ = visitor.visit(node.condition)
            if truth is True:
                changes += walker.needs(node.condition, False, bound.text)
    return changes


def deciding_fields(profile: BoundProfile, record: Any, as_of: datetime.date) -> list[Decider]:
    """Fields of the criteria that are unknown, each once, with why they are unknown."""
    visitor = ConditionEvaluator(Context(record, as_of, profile.defines, profile.reader))
    found: dict[str, Decider] = {}
    for bound in profile.rules:
        if not isinstance(bound.node, ast.Criterion):
            continue
        truth, checks = visitor.visit(bound.node.condition)
        if truth is not None:
            continue
        for check in checks:
            if check.status == "unknown" and check.field not in found:
                state = "missing" if check.actual is MISSING else check.reason
                found[check.field] = Decider(check.field, state, bound.text)
    return list(found.values())


class _Needs(ConditionVisitor[list[Change]]):
    """Finds, for a condition, the cheapest changes that make it `want`."""

    def __init__(self, visitor: ConditionEvaluator, profile: BoundProfile) -> None:
        self.visitor = visitor
        self.profile = profile
        self.want = True
        self.rule = ""

    def needs(self, node: ast.Condition, want: bool, rule: str) -> list[Change]:
        self.want, self.rule = want, rule
        return self.visit(node)

    def visit_Ref(self, node: ast.Ref) -> list[Change]:
        return self.visit(self.profile.defines[node.name].condition)

    def visit_Not(self, node: ast.Not) -> list[Change]:
        self.want = not self.want
        try:
            return self.visit(node.operand)
        finally:
            self.want = not self.want

    def visit_And(self, node: ast.And | ast.Or) -> list[Change]:
        every = isinstance(node, ast.And) == self.want  # all operands must become `want`
        options = [self.visit(operand) for operand in node.operands]
        if every:
            return [change for option in options for change in option]
        return min(options, key=_cost)

    visit_Or = visit_And

    def visit_predicate(self, node: ast.Predicate) -> list[Change]:
        truth, checks = self.visitor.visit(node)
        if truth is self.want:
            return []
        return [_change(node, check, self.want, self.rule) for check in checks[:1]]


def _cost(changes: list[Change]) -> tuple[int, float]:
    return len(changes), sum(c.distance for c in changes)


def _change(node: ast.Predicate, check: PredicateOutcome, want: bool, rule: str) -> Change:
    field = check.field
    if check.status == "unknown":
        now = (
            "is missing"
            if check.actual is MISSING
            else f"{format_value(check.actual)} is unreadable"
        )
        return Change(field, f"{field} {now}: needs {_wanted(node, check, want)}", rule, 1.0)
    literal = literal_form(node)
    if literal is not None and literal.kind == "number":
        seen = f"{field} {format_like(check.actual, literal.text)}"
    else:
        seen = f"{field} {format_value(check.actual)}"
    gap = check.gap
    if want and gap is not None and is_number(gap):
        direction = _direction(node, check)
        target = abs(gap) + (abs(check.actual) if is_number(check.actual) else 0)
        distance = abs(gap) / target if target else 1.0
        amount = amount_text(abs(gap), literal) if literal is not None else format_value(abs(gap))
        return Change(field, f"{seen}: needs {_wanted(node, check, want)} ({amount} {direction})",
                      rule, distance)  # fmt: skip
    return Change(field, f"{seen}: needs {_wanted(node, check, want)}", rule, 1.0)


def _direction(node: ast.Predicate, check: PredicateOutcome) -> str:
    if isinstance(node, ast.Compare):
        return "short" if node.op.startswith(">") else "over"
    return "short" if "short" in check.reason else "over"


_HAS_WANTED = {
    ("one", True): "to include",
    ("one", False): "not to include",
    ("any", True): "any of",
    ("any", False): "none of",
    ("all", True): "all of",
    ("all", False): "not all of",
    ("none", True): "none of",
    ("none", False): "any of",
}


def _list(node: ast.Has) -> str:
    texts = [v.text for v in node.values]
    return texts[0] if node.mode == "one" else "[" + ", ".join(texts) + "]"


def _wanted(node: ast.Predicate, check: PredicateOutcome, want: bool) -> str:
    """What the field must hold: `200..1000`, `one of [SaaS, Fintech]`, `not true`."""
    expected = check.expected
    if isinstance(node, ast.InList):
        values = expected.split(" ", 2 if node.negated else 1)[-1]
        return ("none of " if node.negated == want else "one of ") + values
    if isinstance(node, ast.Truthy):
        return "true" if want else "false"
    if isinstance(node, ast.Has):
        return _HAS_WANTED[node.mode, want] + " " + _list(node)
    if isinstance(node, ast.IsKnown):
        return "to be known" if node.known == want else "to be missing"
    return expected if want else f"not {expected}"
