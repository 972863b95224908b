"""Which fields and defines decided a result: what `because employees` is checked against.

A rule's blame is the set of names whose values made its condition come out as it did:
for a false `a and b` only the false operands, for a true `a or b` only the true ones,
for `not x` the blame of `x`; a `define` contributes its own name and its fields.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from .. import ast
from ..document import Profile
from ..evaluator import ConditionEvaluator, Context
from ..program import BoundRule
from ..records import loose_key
from ..result import Result, RuleOutcome, Verdict
from ..semantics.logic import Truth
from ..visitor import ConditionVisitor

#: The rule outcomes that make each verdict: (rule kind, status).
_DECIDING: dict[Verdict, tuple[tuple[str, str], ...]] = {
    Verdict.DISQUALIFIED: (("disqualifier", "fired"),),
    Verdict.NOT_FIT: (("criterion", "fail"),),
    Verdict.UNKNOWN: (("criterion", "unknown"),),
    Verdict.FIT: (("criterion", "pass"), ("tier", "pass")),
}


class _Blamer(ConditionVisitor[set[str]]):
    """Walks a condition beside the evaluator, keeping the operands that decided it: the
    names of their fields and defines."""

    def __init__(self, context: Context) -> None:
        self.evaluator = ConditionEvaluator(context)
        self.defines = context.defines

    def truth(self, node: ast.Condition) -> Truth:
        return self.evaluator.visit(node)[0]

    def names(self, node: ast.Condition) -> set[str]:
        return self.visit(node)

    def visit_Ref(self, node: ast.Ref) -> set[str]:
        return {node.name} | self.visit(self.defines[node.name].condition)

    def visit_Not(self, node: ast.Not) -> set[str]:
        return self.visit(node.operand)

    def visit_And(self, node: ast.And | ast.Or) -> set[str]:
        truth = self.truth(node)
        # All operands decide a true `and` and a false `or`; otherwise only the operands
        # that share the outcome do.
        everyone = truth is (isinstance(node, ast.And))
        deciding = [o for o in node.operands if everyone or self.truth(o) is truth]
        return {name for operand in deciding for name in self.visit(operand)}

    visit_Or = visit_And

    def visit_predicate(self, node: ast.Predicate) -> set[str]:
        return {node.field.name}


def deciding_rules(profile: Profile, result: Result) -> Iterator[tuple[BoundRule, RuleOutcome]]:
    """The rules whose outcomes gave `result` its verdict (and, for a fit, its tier)."""
    wanted = _DECIDING[result.verdict]
    for bound, outcome in zip(profile.rules, result.rules, strict=True):
        if (outcome.kind, outcome.status) in wanted:
            yield bound, outcome


def blamed_names(
    profile: Profile, result: Result, record: Any, as_of: datetime.date
) -> dict[str, RuleOutcome]:
    """Each name (field or define, loosely keyed) that decided the verdict → its rule."""
    rules = Context(record, as_of, profile.defines, profile.reader)
    tiers = Context(record, as_of, profile.defines, profile.reader, result.score)
    found: dict[str, RuleOutcome] = {}
    for bound, outcome in deciding_rules(profile, result):
        condition = getattr(bound.node, "condition", None)
        if condition is None:  # `tier C otherwise`
            continue
        blamer = _Blamer(tiers if outcome.kind == "tier" else rules)
        for name in blamer.names(condition):
            found.setdefault(loose_key(name), outcome)
    return found
