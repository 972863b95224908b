"""Reference semantics: a profile's rules × one record → verdict, score, tier, outcomes.

A visitor over conditions that asks the semantics kernel (icpdsl/semantics) what each
value means and how it compares, and writes the explanation of each predicate: what
was expected, what the record held and why it passed or failed.  Missing data and
wrong-typed values are unknown, never exceptions.  Faster engines are tested against
this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from . import ast
from .program import BoundProfile, BoundRule, FieldReader
from .records import get_field
from .result import Detail, PredicateOutcome, Result, RuleOutcome
from .semantics.bands import Band, Interval, below, empty
from .semantics.cells import as_date, as_items, is_number, number_syntax, tidy_number
from .semantics.compare import (
    OP_INTERVALS,
    Founded,
    as_band,
    comparable,
    field_value,
    gap,
    item_key,
    less,
    public,
    target,
)
from .semantics.logic import (
    APPLIED,
    FIRED,
    STATUS,
    CheckStatus,
    Truth,
    kleene_and,
    kleene_not,
    kleene_or,
)
from .semantics.missing import MISSING, Invalid
from .semantics.predicates import prepare
from .semantics.shown import format_like, format_value, safe_repr, unit_text
from .semantics.verdict import ONLY_FITS_GET_A_TIER, Verdict, tier_taken, verdict_of
from .visitor import ConditionVisitor, Named

Judged = tuple[Truth, list[PredicateOutcome]]


class Context:
    """What a condition is evaluated against: one record, a date, the defines (and, while
    tiers are evaluated, the score).  A plain class: one is made per explanation."""

    __slots__ = ("as_of", "defines", "reader", "record", "score")

    def __init__(
        self,
        record: Any,
        as_of: datetime.date,
        defines: Mapping[str, Named],
        reader: FieldReader = get_field,
        score: int | float | None = None,
    ) -> None:
        self.record = record
        self.as_of = as_of
        self.defines = defines
        self.reader = reader
        self.score = score

    def field(self, path: ast.Path) -> Any:
        return seen_value(self.reader, self.record, path, self.score)


def seen_value(reader: FieldReader, record: Any, path: ast.Path, score: int | float | None) -> Any:
    """The value a predicate on `path` sees: the record's, or the score while tiers are
    evaluated (`score` not None)."""
    if score is not None and path.parts == ("score",):
        return score
    return field_value(reader, record, path.parts)


# ------------------------------------------------------------------ texts


_KIND_NAMES = {
    "number": "a number",
    "date": "a date",
    "bool": "true or false",
    "duration": "a date or a number",
    "string": "text",
}


def _describe(value: Any) -> str:
    if isinstance(value, Founded):
        return f"founded {format_value(value.founded)}"
    kind = type(value).__name__
    names = {"str": "text", "int": "number", "float": "number", "bool": "boolean"}
    shown = f"'{format_value(value)}'" if isinstance(value, str) else format_value(value)
    return f"{shown} ({names.get(kind, kind)})"


def _list_text(values: tuple[ast.Value, ...]) -> str:
    return "[" + ", ".join(v.text for v in values) + "]"


#: What a node's explanation needs that no record changes (its test, texts, targets),
#: by builder and node identity; each entry keeps its node, so a reused id is never
#: mistaken.
_STATIC: dict[tuple[int, Any], tuple[Any, Any]] = {}
_STATIC_LIMIT = 100_000


def _static(node: Any, build: Any) -> Any:
    key = (id(node), build)
    entry = _STATIC.get(key)
    if entry is not None and entry[0] is node:
        return entry[1]
    if len(_STATIC) >= _STATIC_LIMIT:  # a process that loads profiles without end
        _STATIC.clear()
    data = build(node)
    _STATIC[key] = (node, data)
    return data


def _in_list_text(node: ast.InList) -> tuple[str, str]:
    """(expected, the list as written)."""
    listed = _list_text(node.values)
    return ("not in " if node.negated else "in ") + listed, listed


def _range_text(node: ast.Range) -> str:
    low_text = node.low.text if node.low is not None else ""
    high_text = node.high.text if node.high is not None else ""
    return f"{low_text}..{high_text}"


def _compare_text(node: ast.Compare) -> str:
    return f"{node.op} {node.value.text}"


def _has_text(node: ast.Has) -> tuple[str, str, tuple[Any, ...]]:
    """(expected, the wanted list as written, each value's target)."""
    wanted = _list_text(node.values)
    expected = f"has {node.values[0].text}" if node.mode == "one" else f"has {node.mode} {wanted}"
    return expected, wanted, tuple(target(v) for v in node.values)


# ------------------------------------------------------------------ predicates


class ConditionEvaluator(ConditionVisitor[Judged]):
    """Evaluates condition nodes: each gives its truth and its predicates' outcomes."""

    def __init__(self, context: Context) -> None:
        self.context = context

    # -- leaves ------------------------------------------------------------
    def _judge(self, node: ast.Predicate) -> tuple[str, Any, Truth]:
        """The field's name, the value the record holds, and the predicate's truth."""
        actual = self.context.field(node.field)
        return node.field.name, actual, _static(node, prepare)(actual, self.context.as_of)

    @staticmethod
    def _missing(name: str, expected: str) -> Judged:
        return None, [PredicateOutcome(name, "unknown", MISSING, expected, f"{name} is missing")]

    @staticmethod
    def _wrong_type(name: str, actual: Any, expected: str, want: str) -> Judged:
        if isinstance(actual, Invalid):  # a value the schema could not coerce
            raw = safe_repr(actual.raw)
            reason = f"{name} is {raw}, {actual.reason} (expected {actual.expected})"
            return None, [PredicateOutcome(name, "unknown", actual.raw, expected, reason)]
        reason = f"{name} is {_describe(actual)}, not {want}"
        return None, [PredicateOutcome(name, "unknown", public(actual), expected, reason)]

    @staticmethod
    def _done(
        truth: bool, name: str, actual: Any, expected: str, reason: str, gap: Any = None
    ) -> Judged:
        status: CheckStatus = "pass" if truth else "fail"
        return truth, [PredicateOutcome(name, status, public(actual), expected, reason, gap)]

    def visit_InList(self, node: ast.InList) -> Judged:
        expected, listed = _static(node, _in_list_text)
        name, actual, truth = self._judge(node)
        if actual is MISSING:
            return self._missing(name, expected)
        if truth is None:
            return self._wrong_type(name, actual, expected, _KIND_NAMES[node.values[0].kind])
        verb = "is in" if truth != node.negated else "is not in"
        reason = f"{name} {format_like(public(actual), node.values[0].text)} {verb} {listed}"
        return self._done(truth, name, actual, expected, reason)

    def visit_Range(self, node: ast.Range) -> Judged:
        expected = _static(node, _range_text)
        name, actual, truth = self._judge(node)
        if actual is MISSING:
            return self._missing(name, expected)
        reference = _styled(node)
        converted = comparable(actual, reference, self.context.as_of)
        if converted is None or isinstance(converted, str):
            band = as_band(actual, reference)
            if band is not None:
                low = target(node.low) if node.low is not None else None
                high = target(node.high) if node.high is not None else None
                return _band_outcome(name, band, Interval(low, high), expected, "within ", truth)
            return self._wrong_type(name, actual, expected, _KIND_NAMES[reference.kind])
        shown = _shown(actual, converted, reference)
        if truth:
            return self._done(True, name, actual, expected, f"{name} {shown} is within {expected}")
        if node.low is not None and less(converted, target(node.low)):
            short = gap(target(node.low), converted)
            extra = f" ({_amount(short, reference)} short)" if short is not None else ""
            reason = f"{name} {shown} is below {expected}{extra}"
            return self._done(False, name, actual, expected, reason, short)
        assert node.high is not None
        over = gap(converted, target(node.high))
        extra = f" ({_amount(over, reference)} over)" if over is not None else ""
        reason = f"{name} {shown} is above {expected}{extra}"
        return self._done(False, name, actual, expected, reason, over)

    def visit_Compare(self, node: ast.Compare) -> Judged:
        expected = _static(node, _compare_text)
        name, actual, truth = self._judge(node)
        if actual is MISSING:
            return self._missing(name, expected)
        converted = comparable(actual, node.value, self.context.as_of)
        if converted is None:
            band = as_band(actual, node.value)
            if band is not None:
                return _compare_band(name, band, node.op, target(node.value), expected, truth)
        if truth is None:
            return self._wrong_type(name, actual, expected, _KIND_NAMES[node.value.kind])
        shown = _shown(actual, converted, node.value)
        if node.op in ("==", "!="):
            equal = (node.op == "==") == truth
            reason = f"{name} is {shown}" + ("" if equal else f", not {node.value.text}")
            return self._done(truth, name, actual, expected, reason)
        distance = None
        if not truth:
            wanted = target(node.value)
            distance = gap(wanted, converted) if node.op.startswith(">") else gap(converted, wanted)
        verb = "is" if truth else "is not"
        reason = f"{name} {shown} {verb} {expected}"
        return self._done(truth, name, actual, expected, reason, distance)

    def visit_Has(self, node: ast.Has) -> Judged:
        expected, wanted, targets = _static(node, _has_text)
        name, actual, truth = self._judge(node)
        if actual is MISSING:
            return self._missing(name, expected)
        if truth is None:
            return self._wrong_type(name, actual, expected, "a list")
        keys = {item_key(item) for item in as_items(actual) or ()}
        pairs = list(zip(node.values, targets, strict=True))
        present = ", ".join(v.text for v, t in pairs if t in keys)
        absent = ", ".join(v.text for v, t in pairs if t not in keys)
        if node.mode in ("one", "all"):
            reason = f"{name} has {present}" if truth else f"{name} lacks {absent}"
        elif node.mode == "any":
            reason = f"{name} has {present}" if truth else f"{name} has none of {wanted}"
        else:  # none
            reason = f"{name} has none of {wanted}" if truth else f"{name} has {present}"
        return self._done(truth, name, actual, expected, reason)

    def visit_IsKnown(self, node: ast.IsKnown) -> Judged:
        name, actual, truth = self._judge(node)
        expected = "is known" if node.known else "is missing"
        reason = (
            f"{name} is missing"
            if actual is MISSING
            else f"{name} is known ({format_value(public(actual))})"
        )
        return self._done(bool(truth), name, actual, expected, reason)

    def visit_Within(self, node: ast.Within) -> Judged:
        name, actual, truth = self._judge(node)
        expected = f"within {node.duration.text}"
        if actual is MISSING:
            return self._missing(name, expected)
        when = as_date(public(actual))
        if truth is None or when is None:
            return self._wrong_type(name, actual, expected, "a date")
        as_of = self.context.as_of
        if truth:
            reason = (
                f"{name} {when.isoformat()} is within {node.duration.text} of {as_of.isoformat()}"
            )
        elif when > as_of:
            reason = f"{name} {when.isoformat()} is after {as_of.isoformat()}"
        else:
            before = f"more than {node.duration.text} before {as_of.isoformat()}"
            reason = f"{name} {when.isoformat()} is {before}"
        return self._done(truth, name, actual, expected, reason)

    def visit_Matches(self, node: ast.Matches) -> Judged:
        name, actual, truth = self._judge(node)
        expected = node.value.text
        if actual is MISSING:
            return self._missing(name, expected)
        if truth is None:
            return self._wrong_type(name, actual, expected, _KIND_NAMES[node.value.kind])
        if (not isinstance(actual, str) and as_items(actual) is not None) or (
            isinstance(actual, str) and node.value.kind == "string"
        ):
            verb = "includes" if truth else "does not include"
            return self._done(truth, name, actual, expected, f"{name} {verb} {expected}")
        verb = "is" if truth else "is not"
        reason = f"{name} {format_value(actual)} {verb} {expected}"
        return self._done(truth, name, actual, expected, reason)

    def visit_Truthy(self, node: ast.Truthy) -> Judged:
        name, actual, truth = self._judge(node)
        if actual is MISSING:
            return self._missing(name, "true")
        if truth is None:
            return self._wrong_type(name, actual, "true", "true or false")
        return self._done(truth, name, actual, "true", f"{name} is {'true' if truth else 'false'}")

    # -- combinations -------------------------------------------------------
    def visit_Ref(self, node: ast.Ref) -> Judged:
        return self.visit(self.context.defines[node.name].condition)

    def visit_Not(self, node: ast.Not) -> Judged:
        truth, checks = self.visit(node.operand)
        return kleene_not(truth), checks

    def visit_And(self, node: ast.And) -> Judged:
        results = [self.visit(operand) for operand in node.operands]
        return kleene_and(t for t, _ in results), [c for _, checks in results for c in checks]

    def visit_Or(self, node: ast.Or) -> Judged:
        results = [self.visit(operand) for operand in node.operands]
        return kleene_or(t for t, _ in results), [c for _, checks in results for c in checks]


class KnownValue(ConditionEvaluator):
    """Explains one predicate whose value and truth are known already (the compiled code
    judged it): the reference's text, without reading or judging the value again."""

    def __init__(self, context: Context, actual: Any, truth: Truth) -> None:
        super().__init__(context)
        self.actual = actual
        self.truth = truth

    def _judge(self, node: ast.Predicate) -> tuple[str, Any, Truth]:
        return node.field.name, self.actual, self.truth


def _band_outcome(
    name: str, band: Band, accepted: Interval, expected: str, relation: str, truth: Truth
) -> Judged:
    """A band against the numbers a rule accepts: the whole band in, none of it, or part."""
    if truth:
        reason = f"{name} {band} is {relation}{expected}"
    elif truth is False:
        if not relation or empty(accepted):
            side = f"not {relation}"
        else:
            side = "below " if below(band, accepted) else "above "
        reason = f"{name} {band} is {side}{expected}"
    else:
        reason = f"{name} {band} is only partly {relation}{expected}"
    return truth, [PredicateOutcome(name, STATUS[truth], band, expected, reason)]


def _compare_band(
    name: str, band: Band, op: str, wanted: Any, expected: str, truth: Truth
) -> Judged:
    if op != "!=":
        return _band_outcome(name, band, OP_INTERVALS[op](wanted), expected, "", truth)
    reason = {
        True: f"{name} {band} is {expected}",
        False: f"{name} {band} is not {expected}",
        None: f"{name} {band} is only partly {expected}",
    }[truth]
    return truth, [PredicateOutcome(name, STATUS[truth], band, expected, reason)]


def _shown(actual: Any, converted: Any, reference: ast.Value) -> str:
    """The value a record held, as a reason shows it: a number in its literal's form."""
    if reference.kind == "duration" and not is_number(actual):
        unit = reference.value.unit  # type: ignore[union-attr]
        founded = public(actual)
        since = str(founded) if is_number(founded) else format_value(founded)  # 1990, not 1,990
        return f"{converted} {unit_text(converted, unit)} (since {since})"
    if reference.kind == "number" and is_number(converted):
        return format_like(converted, reference.text)
    return format_value(public(actual))


def literal_form(node: ast.Predicate) -> ast.Value | None:
    """The literal whose form a predicate's numbers are shown in (`$10M`, `20%`)."""
    if isinstance(node, ast.Range):
        return _styled(node)
    if isinstance(node, ast.Compare):
        return node.value
    if isinstance(node, ast.InList) and node.values:
        return node.values[0]
    return None


def amount_text(gap: Any, reference: ast.Value) -> str:
    """How far a value falls short or over, in its literal's form: `$8M`, `2 years`."""
    return _amount(gap, reference)


def _amount(gap: Any, reference: ast.Value) -> str:
    """How far a value falls short or over, in its literal's form: `$8M`, `2 years`."""
    if reference.kind == "duration" and is_number(gap):
        unit = reference.value.unit  # type: ignore[union-attr]
        return f"{format_value(gap)} {unit_text(gap, unit)}"
    return format_like(gap, reference.text)


def _styled(node: ast.Range) -> ast.Value:
    """The end of a range whose form numbers are shown in: the one written with a
    currency, a suffix or a percent (`0..$50M`: `$50M`), else the low end."""
    ends = [end for end in (node.low, node.high) if end is not None]
    return next((end for end in ends if _has_form(end)), ends[0])


def _has_form(value: ast.Value) -> bool:
    syntax = number_syntax(value.text) if value.kind == "number" else None
    return syntax is not None and bool(syntax["cur"] or syntax["suffix"] or syntax["pct"])


# ------------------------------------------------------------------ rules


def rule_detail(bound: BoundRule, truth: Truth, checks: list[PredicateOutcome]) -> Detail:
    """A rule's value seen, reason and predicate outcomes, from its condition's checks:
    the deciding ones first; a disqualifier that fired leads with its stated reason."""
    if len(checks) == 1:
        actual, reason = checks[0].actual, checks[0].reason
    else:
        status = STATUS[truth]
        deciding = [c for c in checks if c.status == status] or checks
        actual = {c.field: c.actual for c in checks}
        reason = "; ".join(dict.fromkeys(c.reason for c in deciding))
    node = bound.node
    if truth and isinstance(node, ast.Disqualifier) and node.reason:
        reason = f"{node.reason} ({reason})"
    return actual, reason, tuple(checks)


def evaluate_profile(
    profile: BoundProfile,
    record: Any,
    as_of: datetime.date | None = None,
) -> Result:
    """Apply every rule of `profile` to `record`: the reference semantics.

    "Now" is `as_of`, else the date the file pins (`as of`), else today."""
    day = profile.evaluation_date(as_of)
    context = Context(record, day, profile.defines, profile.reader)
    visitor = ConditionEvaluator(context)
    outcomes: list[RuleOutcome | None] = [None] * len(profile.rules)
    fired = False
    criteria: list[Truth] = []
    score: int | float = 0
    tier_rules: list[int] = []
    for index, bound in enumerate(profile.rules):
        node = bound.node
        kind = node.__class__
        if node.condition is None or kind is ast.Tier:
            tier_rules.append(index)
            continue
        truth, checks = visitor.visit(node.condition)
        detail = rule_detail(bound, truth, checks)
        if kind is ast.Criterion:
            criteria.append(truth)
            outcomes[index] = RuleOutcome(bound.info, STATUS[truth], None, detail)
        elif kind is ast.Disqualifier:
            fired = fired or truth is True
            outcomes[index] = RuleOutcome(bound.info, FIRED[truth], None, detail)  # type: ignore[arg-type]
        else:
            gained = node.points if truth else 0  # type: ignore[union-attr]
            score += gained
            outcomes[index] = RuleOutcome(bound.info, APPLIED[truth], gained, detail)  # type: ignore[arg-type]
    verdict = verdict_of(fired, kleene_and(criteria))
    score = tidy_number(score)
    scored = (  # tiers read the score, and only a fitting account's tiers are visited
        Context(record, day, profile.defines, profile.reader, score)
        if verdict is Verdict.FIT and tier_rules
        else context
    )
    tier = _assign_tier(profile, verdict, tier_rules, ConditionEvaluator(scored), outcomes)
    return Result(
        profile=profile.name,
        verdict=verdict,
        score=score,
        tier=tier,
        rules=tuple(o for o in outcomes if o is not None),
        as_of=day,
    )


def _assign_tier(
    profile: BoundProfile,
    verdict: Verdict,
    tier_rules: list[int],
    visitor: ConditionEvaluator,
    outcomes: list[RuleOutcome | None],
) -> str | None:
    chosen: str | None = None
    for index in tier_rules:
        bound = profile.rules[index]
        node = bound.node
        assert isinstance(node, ast.Tier)
        if verdict is not Verdict.FIT or chosen is not None:
            outcomes[index] = RuleOutcome(bound.info, "skipped", None, skipped_tier(chosen))
            continue
        if node.condition is None:
            chosen = node.name
            outcomes[index] = RuleOutcome(bound.info, "pass", None, (None, f"tier {chosen}", ()))
            continue
        truth, checks = visitor.visit(node.condition)
        if truth:
            chosen = node.name
        outcomes[index] = RuleOutcome(
            bound.info, STATUS[truth], None, rule_detail(bound, truth, checks)
        )
    return chosen


def skipped_tier(chosen: str | None) -> Detail:
    """Why a tier rule was not tried: the account does not fit, or a tier came first."""
    return None, ONLY_FITS_GET_A_TIER if chosen is None else tier_taken(chosen), ()
