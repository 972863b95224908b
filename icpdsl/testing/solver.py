"""Which regions of which fields give a profile each verdict: a small solver over conditions.

A solution is a list of cubes (a disjunction); a cube maps fields to the regions they may
take (a conjunction; a field it leaves out is free).  Kleene logic is followed exactly:
`a and b` is unknown when one side is unknown and neither is false.  Each predicate is
judged by the reference evaluator on one sample per region, so the solver and the
evaluator cannot disagree about what a predicate means.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import ast
from ..document import Profile
from ..errors import ICPError
from ..evaluator import ConditionEvaluator, Context
from ..program import BoundRule
from ..records import MISSING
from ..result import Verdict
from ..semantics.cells import tidy_number
from ..semantics.logic import Truth, kleene_not
from ..visitor import ConditionVisitor
from .regions import FieldKey, FieldSpace, field_key, field_spaces

Cube = Mapping[FieldKey, frozenset[int]]
Truths = frozenset[Truth]
TRUE: Truths = frozenset({True})
FALSE: Truths = frozenset({False})
UNKNOWN: Truths = frozenset({None})
NOT_TRUE: Truths = frozenset({False, None})
NOT_FALSE: Truths = frozenset({True, None})
ANY: Truths = frozenset({True, False, None})
#: Solutions are trimmed to this many cubes; generated accounts are re-checked anyway.
MAX_CUBES = 400
#: `accounts(tier=...)` tries every subset of the points rules: 2**10 at most.
MAX_POINTS_RULES = 10


class ImpossibleVerdictError(ICPError):
    """No account can get the requested verdict from this profile."""


def _flip(truths: Truths) -> Truths:
    return frozenset(None if t is None else not t for t in truths)


def _merge(left: Cube, right: Cube) -> Cube | None:
    merged = dict(left)
    for key, regions in right.items():
        both = merged[key] & regions if key in merged else regions
        if not both:
            return None
        merged[key] = both
    return merged


def _unique(cubes: Iterable[Cube]) -> list[Cube]:
    seen: dict[frozenset[tuple[FieldKey, frozenset[int]]], Cube] = {}
    for cube in cubes:
        seen.setdefault(frozenset(cube.items()), cube)
    found = list(seen.values())
    if len(found) > MAX_CUBES:  # keep an even spread rather than the first ones
        step = len(found) / MAX_CUBES
        found = [found[int(i * step)] for i in range(MAX_CUBES)]
    return found


def product(solutions: Iterable[Sequence[Cube]]) -> list[Cube]:
    """Cubes meeting every solution at once."""
    result: list[Cube] = [{}]
    for solution in solutions:
        merged = (_merge(a, b) for a in result for b in solution)
        result = _unique(c for c in merged if c is not None)
        if not result:
            break
    return result


def union(solutions: Iterable[Sequence[Cube]]) -> list[Cube]:
    """Cubes meeting any one of the solutions."""
    return _unique(cube for solution in solutions for cube in solution)


class Solver:
    """Solves conditions of one profile over the regions of its fields."""

    def __init__(
        self,
        profile: Profile,
        as_of: datetime.date,
        *,
        score: int | float | None = None,
        spaces: dict[FieldKey, FieldSpace] | None = None,
    ) -> None:
        self.profile = profile
        self.as_of = as_of
        #: While tiers are solved, `score` is this number rather than a record field.
        self.score = score
        self.spaces: dict[FieldKey, FieldSpace] = spaces or field_spaces(profile, as_of)
        self._cache: dict[tuple[ast.Condition, Truths], list[Cube]] = {}

    def with_score(self, score: int | float) -> Solver:
        """A solver for tier conditions, where `score` is the account's score."""
        return Solver(self.profile, self.as_of, score=score, spaces=self.spaces)

    def solve(self, node: ast.Condition, truths: Truths) -> list[Cube]:
        """Cubes under which `node` comes out as one of `truths`."""
        key = (node, truths)
        if key not in self._cache:
            self._cache[key] = self._solve(node, truths)
        return self._cache[key]

    def _solve(self, node: ast.Condition, truths: Truths) -> list[Cube]:
        if truths == ANY:
            return [{}]
        return _Cubes(self, truths).visit(node)

    def and_(self, operands: Sequence[ast.Condition], truth: Truth) -> list[Cube]:
        if truth is True:
            return product(self.solve(o, TRUE) for o in operands)
        if truth is False:
            return union(self.solve(o, FALSE) for o in operands)
        return union(
            product(
                self.solve(other, UNKNOWN if j == i else NOT_FALSE)
                for j, other in enumerate(operands)
            )
            for i in range(len(operands))
        )

    def leaf(self, node: ast.Predicate, truths: Truths) -> list[Cube]:
        if self.score is not None and node.field.parts == ("score",):
            return [{}] if self._judge(node, None, MISSING) in truths else []
        key = field_key(node.field)
        space = self.spaces[key]
        allowed = frozenset(
            index
            for index, region in enumerate(space.regions)
            if self._judge(node, space, region.sample) in truths
        )
        return [{key: allowed}] if allowed else []

    def _judge(self, node: ast.Predicate, space: FieldSpace | None, sample: Any) -> Truth:
        record: dict[str, Any] = {}
        if space is not None and sample is not MISSING:
            place = record
            for part in space.parts[:-1]:
                place = place.setdefault(part, {})
            place[space.parts[-1]] = sample
        context = Context(
            record,
            self.as_of,
            self.profile.defines,
            self.profile.reader,
            score=self.score,
        )
        return ConditionEvaluator(context).visit(node)[0]

    # ------------------------------------------------------------------ verdicts
    def verdict(self, verdict: Verdict) -> list[Cube]:
        """Cubes under which the profile gives `verdict`; raises if there are none."""
        criteria = [r for r in self.profile.criteria]
        disqualifiers = [r for r in self.profile.disqualifiers]
        clear = [(r, self.solve(_condition(r), NOT_TRUE)) for r in disqualifiers]
        if verdict is Verdict.DISQUALIFIED:
            if not disqualifiers:
                raise self._impossible(verdict, "it has no `disqualify if` rules")
            cubes = union(self.solve(_condition(r), TRUE) for r in disqualifiers)
            if not cubes:
                raise self._impossible(verdict, "none of its disqualifiers can ever fire")
            return cubes
        if verdict is Verdict.FIT:
            return self._all(
                verdict, [(r, self.solve(_condition(r), TRUE)) for r in criteria] + clear
            )
        if not criteria:
            raise self._impossible(verdict, "it has no criteria")
        want = FALSE if verdict is Verdict.NOT_FIT else UNKNOWN
        some = union(self.solve(_condition(r), want) for r in criteria)
        if not some:
            never = "fail" if verdict is Verdict.NOT_FIT else "be unknown"
            raise self._impossible(verdict, f"none of its criteria can ever {never}")
        rest = [] if verdict is Verdict.NOT_FIT else criteria
        conjuncts = [(r, self.solve(_condition(r), NOT_FALSE)) for r in rest] + clear
        cubes = product([some, *(c for _, c in conjuncts)])
        if not cubes:
            raise self._impossible(
                verdict,
                "every account that would get it is caught by a disqualifier or fails a criterion",
            )
        return cubes

    def _all(self, verdict: Verdict, conjuncts: list[tuple[BoundRule, list[Cube]]]) -> list[Cube]:
        """The product of the rules' cubes; when empty, name the rules that clash."""
        cubes: list[Cube] = [{}]
        for index, (rule, solution) in enumerate(conjuncts):
            cubes = product([cubes, solution])
            if cubes:
                continue
            if not solution:
                raise self._impossible(verdict, f"`{rule.text}` (line {rule.line}) can never hold")
            fields = set(_fields(solution))
            clashing = [r for r, s in conjuncts[:index] if fields & set(_fields(s))]
            named = " and ".join(f"`{r.text}` (line {r.line})" for r in clashing) or "the rest"
            if isinstance(rule.node, ast.Disqualifier):
                why = f"`{rule.text}` (line {rule.line}) fires whenever {named} holds"
            else:
                why = f"`{rule.text}` (line {rule.line}) contradicts {named}"
            raise self._impossible(verdict, why)
        return cubes

    def tier(self, name: str) -> list[Cube]:
        """Cubes under which the profile fits and puts the account in tier `name`.

        The score is a sum of points, so each choice of points rules that add theirs is
        tried in turn: it fixes the score, which settles the tier conditions.
        """
        tiers = self.profile.tiers
        names = [_tier_name(r) for r in tiers]
        if name not in names:
            listed = ", ".join(names) or "none"
            raise self._impossible(
                Verdict.FIT, f"it has no tier {name} (its tiers: {listed})", name
            )
        index = names.index(name)
        if any(_tier_condition(r) is None for r in tiers[:index]):
            raise self._impossible(Verdict.FIT, "an earlier `otherwise` tier takes every fit", name)
        points = self.profile.scoring
        if len(points) > MAX_POINTS_RULES:
            raise ICPError(
                f"profile {self.profile.name!r} has {len(points)} points rules; "
                f"accounts(tier=...) handles at most {MAX_POINTS_RULES}",
                filename=self.profile.filename,
            )
        fit = self.verdict(Verdict.FIT)
        found: list[Cube] = []
        for adds in itertools.product((True, False), repeat=len(points)):
            score = tidy_number(sum(_points(r) for r, on in zip(points, adds, strict=True) if on))
            scored = self.with_score(score)
            parts = [fit] + [
                self.solve(_condition(r), TRUE if on else NOT_TRUE)
                for r, on in zip(points, adds, strict=True)
            ]
            parts += [scored.solve(c, NOT_TRUE) for c in map(_tier_condition, tiers[:index]) if c]
            target = _tier_condition(tiers[index])
            if target is not None:
                parts.append(scored.solve(target, TRUE))
            found = union([found, product(parts)])
        if not found:
            raise self._impossible(
                Verdict.FIT, "no score its points can add up to meets that tier's condition", name
            )
        return found

    def _impossible(
        self, verdict: Verdict, why: str, tier: str | None = None
    ) -> ImpossibleVerdictError:
        if tier is not None:
            return ImpossibleVerdictError(
                f"no account can be in tier {tier} of profile {self.profile.name!r}: {why}",
                filename=self.profile.filename,
            )
        return ImpossibleVerdictError(
            f"no account can be {verdict.value} for profile {self.profile.name!r}: {why}",
            filename=self.profile.filename,
        )


def _condition(rule: BoundRule) -> ast.Condition:
    condition = getattr(rule.node, "condition", None)
    assert condition is not None, "criteria and disqualifiers always have a condition"
    return condition  # type: ignore[no-any-return]


def _tier_name(rule: BoundRule) -> str:
    assert isinstance(rule.node, ast.Tier)
    return rule.node.name


def _tier_condition(rule: BoundRule) -> ast.Condition | None:
    assert isinstance(rule.node, ast.Tier)
    return rule.node.condition


def _points(rule: BoundRule) -> int | float:
    assert isinstance(rule.node, ast.Points)
    return rule.node.points


def _fields(solution: Sequence[Cube]) -> Iterable[FieldKey]:
    for cube in solution:
        yield from cube


class _Cubes(ConditionVisitor[list[Cube]]):
    """The cubes under which one condition comes out as one of `truths`."""

    def __init__(self, solver: Solver, truths: Truths) -> None:
        self.solver = solver
        self.truths = truths

    def visit_Ref(self, node: ast.Ref) -> list[Cube]:
        return self.solver.solve(self.solver.profile.defines[node.name].condition, self.truths)

    def visit_Not(self, node: ast.Not) -> list[Cube]:
        return self.solver.solve(node.operand, _flip(self.truths))

    def visit_And(self, node: ast.And) -> list[Cube]:
        return union(self.solver.and_(node.operands, t) for t in self.truths)

    def visit_Or(self, node: ast.Or) -> list[Cube]:
        flipped = [ast.Not(o, o.span) for o in node.operands]  # a or b = not(not a and not b)
        return union(self.solver.and_(flipped, kleene_not(t)) for t in self.truths)

    def visit_predicate(self, node: ast.Predicate) -> list[Cube]:
        return self.solver.leaf(node, self.truths)
