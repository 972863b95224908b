"""What evaluation returns: verdicts, per-rule outcomes and their text and JSON forms."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Mapping
from typing import Any, Literal, Protocol

import attrs

from .semantics.bands import Band
from .semantics.logic import CheckStatus
from .semantics.missing import MISSING
from .semantics.shown import format_value, huge_int, safe_repr
from .semantics.verdict import REASON_KINDS, REASON_STATUSES, Verdict
from .semantics.verdict import best as best_of
from .semantics.verdict import closest as closest_of
from .source import escape

Status = Literal["pass", "fail", "unknown", "fired", "clear", "applied", "not_applied", "skipped"]
RuleKind = Literal["criterion", "disqualifier", "points", "tier"]

#: The mark of each status: ✓ what lets an account fit, ✗ what keeps it out (or, for
#: an applied penalty, costs it points), ? unknown, · what did not count either way.
MARKS: dict[str, str] = {
    "pass": "✓",
    "clear": "✓",
    "applied": "✓",
    "fail": "✗",
    "fired": "✗",
    "unknown": "?",
    "not_applied": "·",
    "skipped": "·",
}

__all__ = [
    "MARKS",
    "DocumentResult",
    "LaterOutcomes",
    "PredicateOutcome",
    "Result",
    "RuleInfo",
    "RuleOutcome",
    "Verdict",
    "format_value",
    "json_value",
    "safe_repr",
]


def json_value(value: Any) -> Any:
    """A record value made JSON-ready (dates as ISO text, sets as sorted lists)."""
    if value is MISSING:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() >= 100:
        return huge_int(value)  # beyond what JSON readers hold exactly; text never overflows
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


@attrs.frozen(slots=False)  # one per predicate and account: a frozen dict class builds faster
class PredicateOutcome:
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


@attrs.frozen
class RuleInfo:
    """What every outcome of one rule shares: its text as written, kind, expectation and
    place (built once per rule when the profile is loaded)."""

    rule: str
    kind: RuleKind
    expected: str
    line: int
    column: int = 1
    filename: str = "<string>"
    #: The disqualifier's stated reason or the tier's name.
    label: str | None = None
    #: The defines the rule used, spelled out (`modern_stack = tech has any [AWS, GCP]`).
    where: str | None = None


#: A rule outcome's account-specific part: the value seen, the reason, the predicates.
Detail = tuple[Any, str, tuple[PredicateOutcome, ...]]


class Explainer(Protocol):
    """Builds the detail of outcome `index` of one account, when it is first read."""

    def detail(self, index: int) -> Detail: ...


class RuleOutcome:
    """One rule's outcome for one account: `status` and `points` at once, the value seen,
    the reason and the predicates' outcomes (`actual`, `reason`, `checks`) when first read.

    Engines that judge an account without explaining it (the compiled code) pass an
    `Explainer` and the rule's index instead of the detail; the reference evaluator
    passes the detail itself.  Either way the outcome reads and compares the same.
    """

    __slots__ = ("_detail", "_explainer", "_line", "info", "points", "status")

    info: RuleInfo
    status: Status
    #: Points this rule added to the score (points rules only).
    points: int | float | None

    def __init__(
        self,
        info: RuleInfo,
        status: Status,
        points: int | float | None = None,
        detail: Detail | int = (None, "", ()),
        explainer: Explainer | None = None,
    ) -> None:
        self.info = info
        self.status = status
        self.points = points
        self._detail = detail
        self._explainer = explainer
        self._line: str | None = None  # `explain()`, once written

    def _explained(self) -> Detail:
        explainer = self._explainer
        if explainer is not None:
            self._detail = explainer.detail(self._detail)  # type: ignore[arg-type]
            self._explainer = None
        return self._detail  # type: ignore[return-value]

    @property
    def actual(self) -> Any:
        return self._explained()[0]

    @property
    def reason(self) -> str:
        return self._explained()[1]

    @property
    def checks(self) -> tuple[PredicateOutcome, ...]:
        return self._explained()[2]

    @property
    def rule(self) -> str:
        """The rule's text as written."""
        return self.info.rule

    @property
    def kind(self) -> RuleKind:
        return self.info.kind

    @property
    def expected(self) -> str:
        return self.info.expected

    @property
    def line(self) -> int:
        return self.info.line

    @property
    def column(self) -> int:
        return self.info.column

    @property
    def filename(self) -> str:
        return self.info.filename

    @property
    def label(self) -> str | None:
        return self.info.label

    @property
    def where(self) -> str | None:
        return self.info.where

    @property
    def mark(self) -> str:
        """`MARKS[status]`; an applied penalty (negative points) is ✗."""
        if self.status == "applied" and (self.points or 0) < 0:
            return "✗"
        return MARKS[self.status]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.field for c in self.checks))

    def explain(self) -> str:
        """`✗ employees 200..1000 — employees 150 is below 200..1000 (50 short)`: one line,
        its text from the ICP file shown as data values are (`\x1b` for an escape).
        Written once: an outcome may be shared by every account with the same cells
        (`icp eval --explain`)."""
        if self._line is not None:
            return self._line
        head = f"{self.mark} {self.rule}"
        if self.kind == "points":
            gained = self.points or 0
            head += f"  [{'+' if gained >= 0 else ''}{format_value(gained)}]"
        reason = self.reason
        line = f"{head} — {reason}" if reason else head
        self._line = escape(f"{line} (where {self.where})" if self.where else line)
        return self._line

    def to_dict(self) -> dict[str, Any]:
        actual, reason, checks = self._explained()
        info = self.info
        return {
            "rule": info.rule,
            "kind": info.kind,
            "status": self.status,
            "actual": json_value(actual),
            "expected": info.expected,
            "reason": reason,
            "line": info.line,
            "column": info.column,
            "file": info.filename,
            "points": json_value(self.points),
            "label": info.label,
            "where": info.where,
            "checks": [c.to_dict() for c in checks],
        }

    def _key(self) -> tuple[Any, ...]:
        return (self.info, self.status, self.points, *self._explained())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not RuleOutcome:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.info, self.status, self.points))

    def __repr__(self) -> str:
        return (
            f"RuleOutcome(rule={self.rule!r}, kind={self.kind!r}, status={self.status!r}, "
            f"actual={self.actual!r}, reason={self.reason!r}, points={self.points!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its detail built (an explainer holds the account's record)."""
        return (RuleOutcome, (self.info, self.status, self.points, self._explained()))


class LaterOutcomes(Protocol):
    """Outcomes an engine builds when they are first read (the compiled path's)."""

    def get(self) -> tuple[RuleOutcome, ...]: ...


def _outcomes(rules: tuple[RuleOutcome, ...] | LaterOutcomes) -> tuple[RuleOutcome, ...]:
    return rules if isinstance(rules, tuple) else rules.get()


@attrs.frozen(slots=False)  # one per account: a frozen dict class builds faster
class Result:
    """One account evaluated against one profile.

    `rules` may be built when first read (`Profile.compile().evaluate`, `evaluate_many`):
    an engine passes an object whose `get()` builds them.
    """

    profile: str
    verdict: Verdict
    score: int | float
    tier: str | None
    _rules: tuple[RuleOutcome, ...] | LaterOutcomes = attrs.field(
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
        wanted = REASON_STATUSES[self.verdict]
        if not wanted:
            return []
        return [o.reason for o in self.rules if o.status in wanted and o.info.kind in REASON_KINDS]

    def explain(self) -> str:
        """Human-readable: a headline, then one line per rule with ✓ ✗ ? marks."""
        tier = f", tier {self.tier}" if self.tier is not None else ""
        head = f"{self.profile}: {self.verdict.value} (score {format_value(self.score)}{tier})"
        lines = [escape(head)]
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


@attrs.frozen
class DocumentResult:
    """One account evaluated against every profile of a document."""

    results: dict[str, Result]

    @property
    def best(self) -> Result | None:
        """The first profile the account fits; None when it fits none."""
        results = list(self.results.values())
        chosen = best_of([(r.verdict, r.score) for r in results])
        return None if chosen is None else results[chosen]

    @property
    def closest(self) -> Result | None:
        """The profile the account came nearest to fitting: the best, else the highest
        score (ties: the verdict nearer a fit, then the first); None without profiles."""
        results = list(self.results.values())
        chosen = closest_of([(r.verdict, r.score) for r in results])
        return None if chosen is None else results[chosen]

    def __getitem__(self, name: str) -> Result:
        return self.results[name]

    def __iter__(self) -> Iterator[Result]:
        return iter(self.results.values())

    def __len__(self) -> int:
        return len(self.results)

    def explain(self) -> str:
        return "\n\n".join(r.explain() for r in self.results.values())

    def to_dict(self) -> dict[str, Any]:
        best, closest = self.best, self.closest
        return {
            "best": best.profile if best is not None else None,
            "closest": closest.profile if closest is not None else None,
            "results": {name: r.to_dict() for name, r in self.results.items()},
        }
