"""What evaluation returns: verdicts, per-rule outcomes and their text and JSON forms."""

from __future__ import annotations

import datetime
import enum
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

import attrs

from .bands import Band
from .records import MISSING


class Verdict(enum.StrEnum):
    """An account's verdict for one profile, in order of precedence."""

    DISQUALIFIED = "disqualified"
    NOT_FIT = "not_fit"
    UNKNOWN = "unknown"
    FIT = "fit"


Status = Literal["pass", "fail", "unknown", "fired", "clear", "skipped"]
CheckStatus = Literal["pass", "fail", "unknown"]
RuleKind = Literal["criterion", "disqualifier", "points", "tier"]

MARKS: dict[str, str] = {
    "pass": "✓",
    "clear": "✓",
    "fail": "✗",
    "fired": "✗",
    "unknown": "?",
    "skipped": "·",
}


def format_value(value: Any) -> str:
    """A record value as explanations show it."""
    if value is MISSING or value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}" if value.bit_length() < 100 else _huge(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.6g}" if math.isfinite(value) else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value if value.isprintable() else _escape(value)
    if isinstance(value, Band):
        return format_value(value.text)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=format_value) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(format_value(v) for v in items) + "]"
    return safe_repr(value)


def safe_repr(value: Any) -> str:
    """`repr(value)`, or `<TypeName>` when the object's own `__repr__` raises."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _escape(text: str) -> str:
    """Control characters and line breaks as escapes: an explanation stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _huge(value: int) -> str:
    """An int too long to print in full (Python refuses over 4,300 digits): `1.23457e+5000`."""
    exponent = int(math.log10(abs(value)))
    exponent += (abs(value) >= 10 ** (exponent + 1)) - (abs(value) < 10**exponent)  # float error
    digits = abs(value) // 10 ** max(0, exponent - 5)  # the six leading digits
    mantissa = f"{digits // 10**5}.{digits % 10**5:05d}".rstrip("0").rstrip(".")
    return f"{'-' if value < 0 else ''}{mantissa}e+{exponent}"


def json_value(value: Any) -> Any:
    """A record value made JSON-ready (dates as ISO text, sets as sorted lists)."""
    if value is MISSING:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() >= 100:
        return _huge(value)  # beyond what JSON readers hold exactly; text never overflows
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Band):
        return value.text
    if isinstance(value, (set, frozenset)):
        return sorted((json_value(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return safe_repr(value)


@attrs.frozen(slots=False)  # one per rule and account: a frozen dict class builds faster
class Check:
    """One predicate's outcome inside a rule: the field, what it held, why."""

    field: str
    status: CheckStatus
    actual: Any
    expected: str
    reason: str
    #: How far a number falls short of (or past) what was expected, when it does.
    gap: int | float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "status": self.status,
            "actual": json_value(self.actual),
            "expected": self.expected,
            "reason": self.reason,
            "gap": json_value(self.gap),
        }


@attrs.frozen(slots=False)  # one per rule and account: a frozen dict class builds faster
class RuleOutcome:
    """One rule's outcome for one account; `rule` is the rule's text as written."""

    rule: str
    kind: RuleKind
    status: Status
    actual: Any
    expected: str
    reason: str
    line: int
    column: int = 1
    filename: str = "<string>"
    #: Points this rule added to the score (points rules only).
    points: int | float | None = None
    #: The disqualifier's stated reason or the tier's name.
    label: str | None = None
    checks: tuple[Check, ...] = ()
    #: The defines the rule used, spelled out (`modern_stack = tech has any [AWS, GCP]`).
    where: str | None = None

    @property
    def mark(self) -> str:
        return MARKS[self.status]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.field for c in self.checks))

    def explain(self) -> str:
        """`✗ employees 200..1000 — employees 150 is below 200..1000 (50 short)`."""
        head = f"{self.mark} {self.rule}"
        if self.kind == "points":
            gained = self.points or 0
            head += f"  [{'+' if gained >= 0 else ''}{format_value(gained)}]"
        line = f"{head} — {self.reason}" if self.reason else head
        return f"{line} (where {self.where})" if self.where else line

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "status": self.status,
            "actual": json_value(self.actual),
            "expected": self.expected,
            "reason": self.reason,
            "line": self.line,
            "column": self.column,
            "file": self.filename,
            "points": json_value(self.points),
            "label": self.label,
            "where": self.where,
            "checks": [c.to_dict() for c in self.checks],
        }


class LazyOutcomes:
    """Rule outcomes built on first use by `build(record)`, then kept."""

    __slots__ = ("_build", "_record", "_value")

    def __init__(self, build: Callable[[Any], tuple[RuleOutcome, ...]], record: Any) -> None:
        self._build = build
        self._record = record
        self._value: tuple[RuleOutcome, ...] | None = None

    def get(self) -> tuple[RuleOutcome, ...]:
        if self._value is None:
            self._value = self._build(self._record)
            self._record = None  # the record is no longer needed
        return self._value

    def __reduce__(self) -> tuple[type[tuple[RuleOutcome, ...]], tuple[tuple[RuleOutcome, ...]]]:
        """Pickled and copied as the outcomes themselves (built now)."""
        return (tuple, (self.get(),))


def _outcomes(rules: tuple[RuleOutcome, ...] | LazyOutcomes) -> tuple[RuleOutcome, ...]:
    return rules.get() if isinstance(rules, LazyOutcomes) else rules


@attrs.frozen(slots=False)  # one per account: a frozen dict class builds faster
class Result:
    """One account evaluated against one profile.

    `rules` may be built lazily (`Profile.compile().evaluate`, `evaluate_many`): pass a
    `LazyOutcomes` as `rules` and they are computed when first read.
    """

    profile: str
    verdict: Verdict
    score: int | float
    tier: str | None
    _rules: tuple[RuleOutcome, ...] | LazyOutcomes = attrs.field(
        eq=_outcomes, repr=lambda rules: repr(_outcomes(rules))
    )
    as_of: datetime.date

    @property
    def rules(self) -> tuple[RuleOutcome, ...]:
        """One outcome per rule, in source order."""
        rules = self._rules
        return rules if isinstance(rules, tuple) else rules.get()

    @property
    def fit(self) -> bool:
        return self.verdict is Verdict.FIT

    @property
    def reasons(self) -> list[str]:
        """Short text for what kept the account from fitting (failed, unknown, fired)."""
        wanted = {
            Verdict.DISQUALIFIED: ("fired",),
            Verdict.NOT_FIT: ("fail",),
            Verdict.UNKNOWN: ("unknown",),
            Verdict.FIT: (),
        }[self.verdict]
        return [
            o.reason
            for o in self.rules
            if o.status in wanted and o.kind in ("criterion", "disqualifier")
        ]

    def explain(self) -> str:
        """Human-readable: a headline, then one line per rule with ✓ ✗ ? marks."""
        tier = f", tier {self.tier}" if self.tier is not None else ""
        lines = [f"{self.profile}: {self.verdict.value} (score {format_value(self.score)}{tier})"]
        lines += [f"  {outcome.explain()}" for outcome in self.rules]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "verdict": self.verdict.value,
            "fit": self.fit,
            "score": json_value(self.score),
            "tier": self.tier,
            "as_of": self.as_of.isoformat(),
            "reasons": self.reasons,
            "rules": [o.to_dict() for o in self.rules],
        }


_PRECEDENCE = {Verdict.FIT: 0, Verdict.UNKNOWN: 1, Verdict.NOT_FIT: 2, Verdict.DISQUALIFIED: 3}


@attrs.frozen
class DocumentResult:
    """One account evaluated against every profile of a document."""

    results: dict[str, Result]

    @property
    def best(self) -> Result | None:
        """The first fitting profile, else the highest score (ties: the better verdict)."""
        if not self.results:
            return None
        for result in self.results.values():
            if result.fit:
                return result
        return max(self.results.values(), key=lambda r: (r.score, -_PRECEDENCE[r.verdict]))

    def __getitem__(self, name: str) -> Result:
        return self.results[name]

    def __iter__(self) -> Iterator[Result]:
        return iter(self.results.values())

    def __len__(self) -> int:
        return len(self.results)

    def explain(self) -> str:
        return "\n\n".join(r.explain() for r in self.results.values())

    def to_dict(self) -> dict[str, Any]:
        best = self.best
        return {
            "best": best.profile if best is not None else None,
            "results": {name: r.to_dict() for name, r in self.results.items()},
        }
