"""Reference semantics: a profile's rules × one record → verdict, score, tier, outcomes.

Three-valued (Kleene) logic: every predicate is true, false or unknown (None); missing
data and wrong-typed values are unknown, never exceptions.  Faster back-ends are tested
against this module.
"""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from . import ast
from .bands import Band, Interval, above, below, empty, parse_band, within
from .clock import today
from .records import MISSING, Invalid, get_field
from .result import (
    Check,
    CheckStatus,
    DocumentResult,
    Result,
    RuleOutcome,
    Verdict,
    format_value,
    safe_repr,
)
from .values import (
    is_number,
    normalize_text,
    parse_bool,
    parse_date,
    parse_number,
    split_items,
    tidy_number,
)

if TYPE_CHECKING:
    from .model import Document, Profile

Truth = bool | None
FieldReader = Callable[[Any, tuple[str, ...]], Any]
#: Fields that `age` falls back to when a record has no `age` of its own.
AGE_SOURCES = ("founded", "founded_on", "founded_at", "founded_year", "year_founded")
_ITEM_SPLIT = re.compile(r"\s*[;,|]\s*")


class Named(Protocol):
    """A named condition: an `ast.Define` or a loaded `BoundDefine`."""

    @property
    def condition(self) -> ast.Condition: ...


@attrs.frozen
class Context:
    """What a condition is evaluated against: one record, a date, the defines."""

    record: Any
    as_of: datetime.date
    defines: Mapping[str, Named]
    reader: FieldReader = get_field
    score: int | float | None = None  # set while tiers are evaluated

    def field(self, path: ast.Path) -> Any:
        if self.score is not None and path.parts == ("score",):
            return self.score
        value = self.reader(self.record, path.parts)
        if value is MISSING and path.parts == ("age",):
            for name in AGE_SOURCES:
                founded = self.reader(self.record, (name,))
                if isinstance(founded, Invalid):
                    return founded
                if founded is not MISSING:
                    return _Founded(founded)
        return value


@attrs.frozen
class _Founded:
    """`age` derived from a founding date: compared in elapsed years/months/days."""

    founded: Any


# ------------------------------------------------------------------ coercions


def as_number(value: Any) -> int | float | None:
    if is_number(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        return parse_number(value)
    if type(value).__name__ == "Decimal":
        return tidy_number(float(value))
    return None


def as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return datetime.date(value, 1, 1)  # a founding year
    return None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return parse_bool(value)
    return None


def as_items(value: Any) -> list[Any] | None:
    """A list-like field's items; a text cell `Salesforce; Slack` is split."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, str):
        return split_items(value)
    return None


def subtract(as_of: datetime.date, duration: ast.Duration) -> datetime.date:
    """The calendar date `duration` before `as_of` (month ends clamp: Mar 31 - 1 month)."""
    amount = duration.amount
    if duration.unit == "days":
        return as_of - datetime.timedelta(days=amount)
    if duration.unit == "weeks":
        return as_of - datetime.timedelta(weeks=amount)
    months = round(amount * (12 if duration.unit == "years" else 1))
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    month += 1
    day = min(as_of.day, _days_in_month(max(1, year), month))
    return datetime.date(max(1, year), month, day)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def elapsed(since: datetime.date, as_of: datetime.date, unit: str) -> int:
    """Whole units elapsed from `since` to `as_of`, as a person counts an age."""
    if unit == "days":
        return (as_of - since).days
    if unit == "weeks":
        return (as_of - since).days // 7
    months = (as_of.year - since.year) * 12 + as_of.month - since.month
    if as_of.day < since.day:
        months -= 1
    return months // 12 if unit == "years" else months


# ------------------------------------------------------------------ values


_KIND_NAMES = {
    "number": "a number",
    "date": "a date",
    "bool": "true or false",
    "duration": "a date or a number",
    "string": "text",
}


def _describe(value: Any) -> str:
    if isinstance(value, _Founded):
        return f"founded {format_value(value.founded)}"
    kind = type(value).__name__
    names = {"str": "text", "int": "number", "float": "number", "bool": "boolean"}
    shown = f"'{format_value(value)}'" if isinstance(value, str) else format_value(value)
    return f"{shown} ({names.get(kind, kind)})"


def _comparable(actual: Any, target: ast.Value, as_of: datetime.date) -> Any:
    """`actual` converted to compare with the literal `target`; None if it cannot be."""
    kind = target.kind
    if isinstance(actual, _Founded):
        if kind != "duration":
            actual = actual.founded
        else:
            since = as_date(actual.founded)
            if since is None:
                return None
            return elapsed(since, as_of, target.value.unit)  # type: ignore[union-attr]
    if kind == "number":
        return as_number(actual)
    if kind == "date":
        return as_date(actual)
    if kind == "bool":
        return as_bool(actual)
    if kind == "duration":
        unit = target.value.unit  # type: ignore[union-attr]
        since = as_date(actual) if not is_number(actual) else None
        if since is not None:
            return elapsed(since, as_of, unit)
        return as_number(actual)
    if isinstance(actual, str):
        return normalize_text(actual)
    if is_number(actual) or isinstance(actual, bool):
        return normalize_text(format_value(actual).replace(",", ""))
    return None


def _target(value: ast.Value) -> Any:
    if value.kind == "string":
        return normalize_text(str(value.value))
    if value.kind == "duration":
        return value.value.amount  # type: ignore[union-attr]
    return value.value


def _equals(actual: Any, value: ast.Value, as_of: datetime.date) -> Truth:
    converted = _comparable(actual, value, as_of)
    if converted is None:
        return None
    return bool(converted == _target(value))


def _list_text(values: tuple[ast.Value, ...]) -> str:
    return "[" + ", ".join(v.text for v in values) + "]"


def _item_key(item: Any) -> Any:
    if isinstance(item, str):
        return normalize_text(item)
    if is_number(item):
        return item
    return normalize_text(format_value(item))


#: What a node's explanation needs that no record changes (texts, normalised targets),
#: by node identity; each entry keeps its node, so a reused id is never mistaken.
_STATIC: dict[int, tuple[Any, Any]] = {}
_STATIC_LIMIT = 100_000


def _static(node: Any, build: Callable[[Any], Any]) -> Any:
    entry = _STATIC.get(id(node))
    if entry is not None and entry[0] is node:
        return entry[1]
    if len(_STATIC) >= _STATIC_LIMIT:  # a process that loads profiles without end
        _STATIC.clear()
    data = build(node)
    _STATIC[id(node)] = (node, data)
    return data


def _in_list_text(node: ast.InList) -> tuple[str, str, str | None, frozenset[Any]]:
    """(expected, the list as written, the values' one kind if text or number, targets)."""
    listed = _list_text(node.values)
    expected = ("not in " if node.negated else "in ") + listed
    kinds = {v.kind for v in node.values}
    kind = kinds.pop() if len(kinds) == 1 and kinds <= {"string", "number"} else None
    return expected, listed, kind, frozenset(_target(v) for v in node.values if kind)


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
    return expected, wanted, tuple(_target(v) for v in node.values)


# ------------------------------------------------------------------ predicates


class ConditionEvaluator:
    """Evaluates condition nodes; dispatches on `visit_<ClassName>`."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def visit(self, node: ast.Condition) -> tuple[Truth, list[Check]]:
        return _VISITS[type(node)](self, node)

    # -- leaves ------------------------------------------------------------
    def _leaf(self, path: ast.Path) -> tuple[str, Any]:
        return path.name, self.context.field(path)

    @staticmethod
    def _missing(name: str, expected: str) -> tuple[Truth, list[Check]]:
        return None, [Check(name, "unknown", MISSING, expected, f"{name} is missing")]

    @staticmethod
    def _wrong_type(name: str, actual: Any, expected: str, want: str) -> tuple[Truth, list[Check]]:
        if isinstance(actual, Invalid):  # a value the schema could not coerce
            raw = safe_repr(actual.raw)
            reason = f"{name} is {raw}, {actual.reason} (expected {actual.expected})"
            return None, [Check(name, "unknown", actual.raw, expected, reason)]
        reason = f"{name} is {_describe(actual)}, not {want}"
        return None, [Check(name, "unknown", _public(actual), expected, reason)]

    @staticmethod
    def _done(
        truth: bool, name: str, actual: Any, expected: str, reason: str, gap: Any = None
    ) -> tuple[Truth, list[Check]]:
        status: CheckStatus = "pass" if truth else "fail"
        return truth, [Check(name, status, _public(actual), expected, reason, gap)]

    def visit_InList(self, node: ast.InList) -> tuple[Truth, list[Check]]:
        expected, listed, kind, targets = _static(node, _in_list_text)
        name, actual = self._leaf(node.field)
        if actual is MISSING:
            return self._missing(name, expected)
        if kind == "string" and isinstance(actual, str):
            found = normalize_text(actual) in targets  # `_equals` against every value at once
        elif kind == "number" and is_number(actual):
            found = actual in targets
        else:
            items = as_items(actual) if not isinstance(actual, str) else None
            candidates = items if items is not None else [actual]
            as_of = self.context.as_of
            matches = [_equals(c, v, as_of) for c in candidates for v in node.values]
            if matches and all(m is None for m in matches):
                return self._wrong_type(name, actual, expected, _KIND_NAMES[node.values[0].kind])
            found = True in matches
        truth = found != node.negated
        verb = "is in" if found else "is not in"
        return self._done(
            truth, name, actual, expected, f"{name} {format_value(actual)} {verb} {listed}"
        )

    def visit_Range(self, node: ast.Range) -> tuple[Truth, list[Check]]:
        expected = _static(node, _range_text)
        name, actual = self._leaf(node.field)
        if actual is MISSING:
            return self._missing(name, expected)
        reference = node.low if node.low is not None else node.high
        assert reference is not None
        converted = _comparable(actual, reference, self.context.as_of)
        if converted is None or isinstance(converted, str):
            band = _as_band(actual, reference)
            if band is not None:
                low = _target(node.low) if node.low is not None else None
                high = _target(node.high) if node.high is not None else None
                return _judge_band(name, band, Interval(low, high), expected, "within ")
            return self._wrong_type(name, actual, expected, _KIND_NAMES[reference.kind])
        shown = _shown(actual, converted, reference)
        if node.low is not None:
            low = _target(node.low)
            if _safe_lt(converted, low):
                gap = _gap(low, converted)
                extra = f" ({format_value(gap)} short)" if gap is not None else ""
                return self._done(
                    False, name, actual, expected, f"{name} {shown} is below {expected}{extra}", gap
                )
        if node.high is not None:
            high = _target(node.high)
            if _safe_lt(high, converted):
                gap = _gap(converted, high)
                extra = f" ({format_value(gap)} over)" if gap is not None else ""
                return self._done(
                    False, name, actual, expected, f"{name} {shown} is above {expected}{extra}", gap
                )
        return self._done(True, name, actual, expected, f"{name} {shown} is within {expected}")

    def visit_Compare(self, node: ast.Compare) -> tuple[Truth, list[Check]]:
        expected = _static(node, _compare_text)
        name, actual = self._leaf(node.field)
        if actual is MISSING:
            return self._missing(name, expected)
        converted = _comparable(actual, node.value, self.context.as_of)
        if converted is None:
            band = _as_band(actual, node.value)
            if band is not None:
                return _compare_band(name, band, node.op, _target(node.value), expected)
            return self._wrong_type(name, actual, expected, _KIND_NAMES[node.value.kind])
        target = _target(node.value)
        try:
            truth = _OPS[node.op](converted, target)
        except TypeError:
            return self._wrong_type(name, actual, expected, _KIND_NAMES[node.value.kind])
        shown = _shown(actual, converted, node.value)
        gap = None
        if node.op in ("==", "!="):
            equal = (node.op == "==") == truth
            reason = f"{name} is {shown}" + ("" if equal else f", not {node.value.text}")
            return self._done(truth, name, actual, expected, reason)
        if not truth:
            gap = _gap(target, converted) if node.op.startswith(">") else _gap(converted, target)
        verb = "is" if truth else "is not"
        return self._done(truth, name, actual, expected, f"{name} {shown} {verb} {expected}", gap)

    def visit_Has(self, node: ast.Has) -> tuple[Truth, list[Check]]:
        expected, wanted, targets = _static(node, _has_text)
        name, actual = self._leaf(node.field)
        if actual is MISSING:
            return self._missing(name, expected)
        items = as_items(actual)
        if items is None:
            return self._wrong_type(name, actual, expected, "a list")
        keys = {_item_key(item) for item in items}
        present = [v for v, t in zip(node.values, targets, strict=True) if t in keys]
        absent = [v for v, t in zip(node.values, targets, strict=True) if t not in keys]
        if node.mode in ("one", "all"):
            truth = not absent
            reason = (
                f"{name} has {', '.join(v.text for v in present)}"
                if truth
                else f"{name} lacks {', '.join(v.text for v in absent)}"
            )
        elif node.mode == "any":
            truth = bool(present)
            reason = (
                f"{name} has {', '.join(v.text for v in present)}"
                if truth
                else f"{name} has none of {wanted}"
            )
        else:  # none
            truth = not present
            reason = (
                f"{name} has none of {wanted}"
                if truth
                else f"{name} has {', '.join(v.text for v in present)}"
            )
        return self._done(truth, name, actual, expected, reason)

    def visit_IsKnown(self, node: ast.IsKnown) -> tuple[Truth, list[Check]]:
        name, actual = self._leaf(node.field)
        expected = "is known" if node.known else "is missing"
        missing = actual is MISSING
        reason = (
            f"{name} is missing"
            if missing
            else f"{name} is known ({format_value(_public(actual))})"
        )
        return self._done(missing != node.known, name, actual, expected, reason)

    def visit_Within(self, node: ast.Within) -> tuple[Truth, list[Check]]:
        name, actual = self._leaf(node.field)
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        expected = f"within {node.duration.text}"
        if actual is MISSING:
            return self._missing(name, expected)
        when = as_date(actual.founded if isinstance(actual, _Founded) else actual)
        if when is None:
            return self._wrong_type(name, actual, expected, "a date")
        as_of = self.context.as_of
        start = subtract(as_of, duration)
        truth = start <= when <= as_of
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

    def visit_Matches(self, node: ast.Matches) -> tuple[Truth, list[Check]]:
        name, actual = self._leaf(node.field)
        expected = node.value.text
        if actual is MISSING:
            return self._missing(name, expected)
        items = as_items(actual) if not isinstance(actual, str) else None
        if items is None and isinstance(actual, str) and node.value.kind == "string":
            items = as_items(actual)
        if items is not None:
            truth = _target(node.value) in {_item_key(i) for i in items}
            verb = "includes" if truth else "does not include"
            return self._done(truth, name, actual, expected, f"{name} {verb} {expected}")
        match = _equals(actual, node.value, self.context.as_of)
        if match is None:
            return self._wrong_type(name, actual, expected, _KIND_NAMES[node.value.kind])
        verb = "is" if match else "is not"
        reason = f"{name} {format_value(actual)} {verb} {expected}"
        return self._done(match, name, actual, expected, reason)

    def visit_Truthy(self, node: ast.Truthy) -> tuple[Truth, list[Check]]:
        name, actual = self._leaf(node.field)
        if actual is MISSING:
            return self._missing(name, "true")
        truth = as_bool(actual)
        if truth is None:
            return self._wrong_type(name, actual, "true", "true or false")
        return self._done(truth, name, actual, "true", f"{name} is {'true' if truth else 'false'}")

    # -- combinations -------------------------------------------------------
    def visit_Ref(self, node: ast.Ref) -> tuple[Truth, list[Check]]:
        return self.visit(self.context.defines[node.name].condition)

    def visit_Not(self, node: ast.Not) -> tuple[Truth, list[Check]]:
        truth, checks = self.visit(node.operand)
        return (None if truth is None else not truth), checks

    def visit_And(self, node: ast.And) -> tuple[Truth, list[Check]]:
        results = [self.visit(operand) for operand in node.operands]
        truths = [t for t, _ in results]
        truth: Truth = False if False in truths else (None if None in truths else True)
        return truth, [c for _, checks in results for c in checks]

    def visit_Or(self, node: ast.Or) -> tuple[Truth, list[Check]]:
        results = [self.visit(operand) for operand in node.operands]
        truths = [t for t, _ in results]
        truth: Truth = True if True in truths else (None if None in truths else False)
        return truth, [c for _, checks in results for c in checks]


#: `visit_<ClassName>` per condition class, looked up once rather than per node.
_VISITS: dict[type, Callable[[ConditionEvaluator, Any], tuple[Truth, list[Check]]]] = {
    cls: getattr(ConditionEvaluator, f"visit_{cls.__name__}")
    for cls in typing.get_args(ast.Condition)
}


def _as_band(actual: Any, reference: ast.Value) -> Band | None:
    """`actual` as a size or revenue band (`250 to 499`) when a number is expected."""
    if reference.kind != "number":
        return None
    if isinstance(actual, Band):
        return actual
    return parse_band(actual) if isinstance(actual, str) else None


def _judge_band(
    name: str, band: Band, accepted: Interval, expected: str, relation: str
) -> tuple[Truth, list[Check]]:
    """True when the whole band is accepted, False when none of it is, else unknown."""
    if within(band, accepted):
        truth: Truth = True
        reason = f"{name} {band} is {relation}{expected}"
    elif empty(accepted) or below(band, accepted) or above(band, accepted):
        truth = False
        if not relation or empty(accepted):
            side = f"not {relation}"
        else:
            side = "below " if below(band, accepted) else "above "
        reason = f"{name} {band} is {side}{expected}"
    else:
        truth = None
        reason = f"{name} {band} is only partly {relation}{expected}"
    return truth, [Check(name, _STATUS[truth], band, expected, reason)]


#: The numbers each comparison with `x` accepts, as an interval.
_OP_INTERVALS: dict[str, Callable[[Any], Interval]] = {
    "==": lambda x: Interval(x, x),
    ">=": lambda x: Interval(x, None),
    ">": lambda x: Interval(x, None, low_open=True),
    "<=": lambda x: Interval(None, x),
    "<": lambda x: Interval(None, x, high_open=True),
}


def _compare_band(
    name: str, band: Band, op: str, target: Any, expected: str
) -> tuple[Truth, list[Check]]:
    if op != "!=":
        return _judge_band(name, band, _OP_INTERVALS[op](target), expected, "")
    equal, _ = _judge_band(name, band, Interval(target, target), expected, "")
    truth: Truth = None if equal is None else not equal
    reason = {
        True: f"{name} {band} is {expected}",
        False: f"{name} {band} is not {expected}",
        None: f"{name} {band} is only partly {expected}",
    }[truth]
    return truth, [Check(name, _STATUS[truth], band, expected, reason)]


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def _safe_lt(a: Any, b: Any) -> bool:
    try:
        return bool(a < b)
    except TypeError:
        return False


def _gap(high: Any, low: Any) -> int | float | None:
    if is_number(high) and is_number(low):
        try:
            return tidy_number(high - low)
        except OverflowError:  # a huge int against a float: no meaningful gap
            return None
    return None


def _shown(actual: Any, converted: Any, reference: ast.Value) -> str:
    if reference.kind == "duration" and not is_number(actual):
        unit = reference.value.unit  # type: ignore[union-attr]
        founded = _public(actual)
        since = str(founded) if is_number(founded) else format_value(founded)  # 1990, not 1,990
        return f"{converted} {unit} (since {since})"
    return format_value(_public(actual))


def _public(actual: Any) -> Any:
    return actual.founded if isinstance(actual, _Founded) else actual


# ------------------------------------------------------------------ rules


_STATUS: dict[Truth, CheckStatus] = {True: "pass", False: "fail", None: "unknown"}
_FIRED: dict[Truth, str] = {True: "fired", False: "clear", None: "unknown"}


def _summarize(truth: Truth, checks: list[Check]) -> tuple[Any, str]:
    """A rule's `actual` and `reason` from its checks: the deciding ones first."""
    status = _STATUS[truth]
    if len(checks) == 1:
        return checks[0].actual, checks[0].reason
    deciding = [c for c in checks if c.status == status] or checks
    actual = {c.field: c.actual for c in checks}
    return actual, "; ".join(dict.fromkeys(c.reason for c in deciding))


def evaluate_profile(
    profile: Profile,
    record: Any,
    as_of: datetime.date | None = None,
) -> Result:
    """Apply every rule of `profile` to `record`: the reference semantics."""
    day = as_of or today()
    context = Context(record, day, profile.defines, profile.reader)
    visitor = ConditionEvaluator(context)
    outcomes: list[RuleOutcome | None] = [None] * len(profile.rules)
    disqualified = failed = unknown = False
    score: int | float = 0
    tier_rules: list[int] = []
    for index, bound in enumerate(profile.rules):
        node = bound.node
        kind = node.__class__
        if kind is ast.Tier:
            tier_rules.append(index)
            continue
        truth, checks = visitor.visit(node.condition)  # type: ignore[arg-type]  # a Tier (condition may be None) went on above
        actual, reason = _summarize(truth, checks)
        if kind is ast.Criterion:
            failed = failed or truth is False
            unknown = unknown or truth is None
            outcome = bound.outcome(_STATUS[truth], actual, bound.condition_text, reason, checks)
        elif kind is ast.Disqualifier:
            assert isinstance(node, ast.Disqualifier)
            disqualified = disqualified or truth is True
            if truth and node.reason:
                reason = f"{node.reason} ({reason})"
            status = _FIRED[truth]
            outcome = bound.outcome(
                status, actual, bound.condition_text, reason, checks, label=node.reason
            )
        else:
            assert isinstance(node, ast.Points)
            gained = node.points if truth else 0
            score += gained
            outcome = bound.outcome(
                _STATUS[truth], actual, bound.condition_text, reason, checks, points=gained
            )
        outcomes[index] = outcome
    verdict = (
        Verdict.DISQUALIFIED
        if disqualified
        else Verdict.NOT_FIT
        if failed
        else Verdict.UNKNOWN
        if unknown
        else Verdict.FIT
    )
    score = tidy_number(score)
    scored = (  # tiers read the score, and only a fitting account's tiers are visited
        Context(record, day, profile.defines, profile.reader, score)
        if verdict is Verdict.FIT and tier_rules
        else context
    )
    tier = _assign_tier(profile, verdict, tier_rules, scored, outcomes)
    return Result(
        profile=profile.name,
        verdict=verdict,
        score=score,
        tier=tier,
        rules=tuple(o for o in outcomes if o is not None),
        as_of=day,
    )


def _assign_tier(
    profile: Profile,
    verdict: Verdict,
    tier_rules: list[int],
    context: Context,
    outcomes: list[RuleOutcome | None],
) -> str | None:
    visitor = ConditionEvaluator(context)
    chosen: str | None = None
    for index in tier_rules:
        bound = profile.rules[index]
        node = bound.node
        assert isinstance(node, ast.Tier)
        if verdict is not Verdict.FIT or chosen is not None:
            why = (
                "only fitting accounts get a tier"
                if chosen is None
                else f"tier {chosen} came first"
            )
            outcomes[index] = bound.outcome(
                "skipped", None, bound.condition_text, why, [], label=node.name
            )
            continue
        if node.condition is None:
            chosen = node.name
            outcomes[index] = bound.outcome(
                "pass", None, "otherwise", f"tier {node.name}", [], label=node.name
            )
            continue
        truth, checks = visitor.visit(node.condition)
        actual, reason = _summarize(truth, checks)
        if truth:
            chosen = node.name
        outcomes[index] = bound.outcome(
            _STATUS[truth], actual, bound.condition_text, reason, checks, label=node.name
        )
    return chosen


def evaluate_document(
    document: Document, record: Any, as_of: datetime.date | None = None
) -> DocumentResult:
    return DocumentResult(
        {name: evaluate_profile(p, record, as_of) for name, p in document.profiles.items()}
    )
