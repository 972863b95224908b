"""Backtest a profile on past outcomes: rates, lift, capture and value per group and rule.

Every figure comes from the reference evaluator (`Profile.evaluate`) applied to each
past account.  Rates carry 95% Wilson score intervals; lift is a group's rate over the
base rate (the base rate taken as fixed), so its interval is the rate's divided by it.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Sequence
from typing import Literal

import attrs

from .. import ast
from ..document import Document, Profile
from ..program import BoundRule
from ..result import Result, Verdict
from .classes import ValueClasses, value_classes
from .data_checks import history_warnings
from .history import Account, History
from .stats import Z, rate_difference, spearman, wilson

#: Fewer accounts than this on either side of a rule and no judgement is made.
MIN_GROUP = 10
VERDICT_ORDER = (Verdict.FIT, Verdict.UNKNOWN, Verdict.NOT_FIT, Verdict.DISQUALIFIED)

Judgement = Literal["carries", "adds nothing", "works against", "too few accounts"]
PointsCheck = Literal["agree", "unclear", "disagree", "too few accounts"]


@attrs.frozen
class Group:
    """Accounts sharing a verdict or a tier (or all of them), and how they turned out."""

    name: str
    kind: Literal["all", "verdict", "tier"]
    accounts: int
    share: float
    good: int
    #: The outcome rate, which is also the group's precision for the good outcome.
    rate: float | None
    rate_interval: tuple[float, float]
    lift: float | None
    lift_interval: tuple[float, float] | None
    #: The share of all good outcomes that fall in this group (recall).
    recall: float | None
    #: Total value of the group's accounts divided by its accounts (blank value = 0).
    value_per_account: float | None
    value_share: float | None
    #: The share of Class 1 (and Class 2) accounts that fall in this group.
    class1_capture: float | None
    class2_capture: float | None

    @property
    def precision(self) -> float | None:
        return self.rate


@attrs.frozen
class Side:
    """The accounts on one side of a rule: how many, how many turned out good."""

    accounts: int
    good: int

    @property
    def rate(self) -> float | None:
        return self.good / self.accounts if self.accounts else None


@attrs.frozen
class RuleStats:
    """One rule's backtest: outcome rates where its condition holds and where it does not."""

    rule: str
    kind: str
    filename: str
    line: int
    points: float | None
    #: +1 if accounts meeting the condition should do better (criteria, positive points),
    #: -1 if worse (disqualifiers, negative points).
    direction: int
    holds: Side
    not_holds: Side
    unknown: Side
    #: rate(holds) - rate(not holds), with Newcombe's 95% interval.
    difference: float | None
    difference_interval: tuple[float, float]
    #: rate(holds) / rate(not holds), with a 95% (Katz log) interval.
    lift: float | None
    lift_interval: tuple[float, float] | None
    judgement: Judgement
    #: Points rules: whether the sign of the points matches what the outcomes show.
    points_check: PointsCheck | None
    #: Criteria: accounts that fail this criterion and no other (they would fit without it).
    only_blocker: Side | None


@attrs.frozen
class ScoreBin:
    label: str
    low: float
    high: float
    good: int
    bad: int


@attrs.frozen
class ProfileStats:
    """Everything measured for one profile."""

    name: str
    groups: tuple[Group, ...]
    rules: tuple[RuleStats, ...]
    score_bins: tuple[ScoreBin, ...]
    #: Spearman's correlation between points rules' points and their observed log lift.
    points_correlation: float | None
    has_points: bool

    def group(self, name: str) -> Group:
        return next(g for g in self.groups if g.name == name)


@attrs.frozen
class Validation:
    """A document validated against a history."""

    history: History
    as_of: datetime.date
    base_rate: float
    base_interval: tuple[float, float]
    classes: ValueClasses | None
    profiles: tuple[ProfileStats, ...]
    #: What in the history may make these figures mislead (`data_checks`).
    warnings: tuple[str, ...] = ()
    method: str = (
        "rates: 95% Wilson score intervals; lift = rate / base rate (base rate fixed); "
        "rule lift: Katz log interval; rate differences: Newcombe hybrid score interval"
    )


def validate(
    document: Document,
    history: History,
    *,
    as_of: datetime.date | None = None,
    profiles: Sequence[str] | None = None,
) -> Validation:
    """Evaluate every past account against each profile and measure how well it predicts."""
    day = as_of or document.as_of or datetime.date.today()
    accounts = history.accounts
    valued = any(a.value is not None for a in accounts)
    classes = value_classes(accounts) if history.value_column and valued else None
    chosen = [document.profiles[n] for n in profiles] if profiles else document.profiles.values()
    return Validation(
        history=history,
        as_of=day,
        base_rate=history.base_rate,
        base_interval=wilson(history.good, len(accounts)),
        classes=classes,
        profiles=tuple(
            _profile_stats(p, accounts, classes, p.evaluation_date(as_of or document.as_of))
            for p in chosen
        ),
        warnings=history_warnings(history, document),
    )


def _profile_stats(
    profile: Profile, accounts: Sequence[Account], classes: ValueClasses | None,
    day: datetime.date,
) -> ProfileStats:  # fmt: skip
    results = [profile.evaluate(a.record, as_of=day) for a in accounts]
    totals = _Totals(accounts, classes)
    groups = [totals.group("all", "all", list(accounts))]
    for verdict in VERDICT_ORDER:
        if verdict is Verdict.DISQUALIFIED and not profile.disqualifiers:
            continue
        members = [a for a, r in zip(accounts, results, strict=True) if r.verdict is verdict]
        groups.append(totals.group(str(verdict), "verdict", members))
    tiers = [r.node.name for r in profile.tiers if isinstance(r.node, ast.Tier)]
    for tier in dict.fromkeys(tiers):
        members = [a for a, r in zip(accounts, results, strict=True) if r.tier == tier]
        groups.append(totals.group(f"tier {tier}", "tier", members))
    scored = [(i, r) for i, r in enumerate(profile.rules) if not isinstance(r.node, ast.Tier)]
    rules = [_rule_stats(i, rule, accounts, results) for i, rule in scored]
    points = [s for s in rules if s.points is not None and s.lift]
    correlation = spearman(
        [s.points or 0.0 for s in points], [math.log(s.lift or 1) for s in points]
    )
    return ProfileStats(
        name=profile.name,
        groups=tuple(groups),
        rules=tuple(rules),
        score_bins=_score_bins(accounts, results) if profile.scoring else (),
        points_correlation=correlation,
        has_points=bool(profile.scoring),
    )


class _Totals:
    """What every group is measured against: all accounts, good outcomes, value, classes."""

    def __init__(self, accounts: Sequence[Account], classes: ValueClasses | None) -> None:
        self.accounts = len(accounts)
        self.good = sum(a.good for a in accounts)
        self.base = self.good / self.accounts if self.accounts else 0.0
        self.value = sum(a.value or 0.0 for a in accounts)
        self.classes = classes
        self.class_counts = classes.counts if classes else (0, 0, 0)

    def group(self, name: str, kind: Literal["all", "verdict", "tier"],
              members: Sequence[Account]) -> Group:  # fmt: skip
        n = len(members)
        good = sum(a.good for a in members)
        low, high = wilson(good, n)
        rate = good / n if n else None
        value = sum(a.value or 0.0 for a in members)
        has_value = self.classes is not None
        in_class = Counter(self.classes.of(a) for a in members) if self.classes else Counter()
        return Group(
            name=name,
            kind=kind,
            accounts=n,
            share=n / self.accounts if self.accounts else 0.0,
            good=good,
            rate=rate,
            rate_interval=(low, high),
            lift=rate / self.base if rate is not None and self.base else None,
            lift_interval=(low / self.base, high / self.base) if n and self.base else None,
            recall=good / self.good if self.good else None,
            value_per_account=value / n if n and has_value else None,
            value_share=value / self.value if has_value and self.value else None,
            class1_capture=_share(in_class[1], self.class_counts[0]) if has_value else None,
            class2_capture=_share(in_class[2], self.class_counts[1]) if has_value else None,
        )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _rule_stats(
    index: int, rule: BoundRule, accounts: Sequence[Account], results: Sequence[Result]
) -> RuleStats:
    node = rule.node
    sides: dict[str, list[Account]] = {"holds": [], "not": [], "unknown": []}
    blockers: list[Account] = []
    for account, result in zip(accounts, results, strict=True):
        status = result.rules[index].status
        side = (
            "holds"
            if status in ("pass", "fired", "applied")
            else "unknown"
            if status == "unknown"
            else "not"
        )
        sides[side].append(account)
        if isinstance(node, ast.Criterion) and status == "fail" and _only_failure(result, index):
            blockers.append(account)
    holds, not_holds, unknown = (_side(sides[k]) for k in ("holds", "not", "unknown"))
    points = float(node.points) if isinstance(node, ast.Points) else None
    direction = -1 if isinstance(node, ast.Disqualifier) or (points or 0) < 0 else 1
    low, high = rate_difference(holds.good, holds.accounts, not_holds.good, not_holds.accounts)
    difference = (
        holds.rate - not_holds.rate
        if holds.rate is not None and not_holds.rate is not None
        else None
    )
    judgement = _judge(holds, not_holds, direction, (low, high))
    return RuleStats(
        rule=rule.text,
        kind=_kind(node),
        filename=rule.filename,
        line=rule.line,
        points=points,
        direction=direction,
        holds=holds,
        not_holds=not_holds,
        unknown=unknown,
        difference=difference,
        difference_interval=(low, high),
        lift=_lift(holds, not_holds),
        lift_interval=_lift_interval(holds, not_holds),
        judgement=judgement,
        points_check=_points_check(judgement) if points is not None else None,
        only_blocker=_side(blockers) if isinstance(node, ast.Criterion) else None,
    )


def _kind(node: ast.Rule) -> str:
    kinds = {ast.Criterion: "criterion", ast.Disqualifier: "disqualifier", ast.Points: "points"}
    return kinds[type(node)]


def _only_failure(result: Result, index: int) -> bool:
    """True when the rule at `index` is the only criterion or disqualifier keeping the
    account from fitting."""
    return not any(
        position != index
        and outcome.status in ("fail", "fired", "unknown")
        and outcome.kind in ("criterion", "disqualifier")
        for position, outcome in enumerate(result.rules)
    )


def _side(members: Sequence[Account]) -> Side:
    return Side(len(members), sum(a.good for a in members))


def _judge(
    holds: Side, not_holds: Side, direction: int, interval: tuple[float, float]
) -> Judgement:
    if holds.accounts < MIN_GROUP or not_holds.accounts < MIN_GROUP:
        return "too few accounts"
    low, high = (interval[0] * direction, interval[1] * direction)
    low, high = min(low, high), max(low, high)
    if low > 0:
        return "carries"
    if high < 0:
        return "works against"
    return "adds nothing"


_POINTS_CHECKS: dict[Judgement, PointsCheck] = {
    "carries": "agree",
    "adds nothing": "unclear",
    "works against": "disagree",
    "too few accounts": "too few accounts",
}


def _points_check(judgement: Judgement) -> PointsCheck:
    return _POINTS_CHECKS[judgement]


def _lift(holds: Side, not_holds: Side) -> float | None:
    if holds.rate is None or not not_holds.rate:
        return None
    return holds.rate / not_holds.rate


def _lift_interval(holds: Side, not_holds: Side) -> tuple[float, float] | None:
    """Katz's log interval for a ratio of rates, with 0.5 added to each cell when one is 0."""
    if not holds.accounts or not not_holds.accounts:
        return None
    a, n1 = float(holds.good), float(holds.accounts)
    c, n2 = float(not_holds.good), float(not_holds.accounts)
    if a == 0 or c == 0 or a == n1 or c == n2:
        a, n1, c, n2 = a + 0.5, n1 + 1, c + 0.5, n2 + 1
    centre = math.log((a / n1) / (c / n2))
    spread = Z * math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    low, high = math.exp(centre - spread), math.exp(centre + spread)
    observed = _lift(holds, not_holds)
    if observed is not None:  # the correction must not leave the observed lift outside
        low, high = min(low, observed), max(high, observed)
    return (low, high)


def _score_bins(accounts: Sequence[Account], results: Sequence[Result]) -> tuple[ScoreBin, ...]:
    """How scores are spread among good and bad outcomes: one bin per distinct score, or
    ten equal-width bins when there are more than fifteen distinct scores."""
    scores = [float(r.score) for r in results]
    distinct = sorted(set(scores))
    if len(distinct) <= 15:
        edges = [(s, s) for s in distinct]
    else:
        low, high = distinct[0], distinct[-1]
        width = (high - low) / 10
        edges = [(low + i * width, low + (i + 1) * width) for i in range(10)]
    counts = [[0, 0] for _ in edges]
    for account, score in zip(accounts, scores, strict=True):
        slot = _bin_of(score, edges)
        counts[slot][0 if account.good else 1] += 1
    return tuple(
        ScoreBin(_bin_label(low, high), low, high, good, bad)
        for (low, high), (good, bad) in zip(edges, counts, strict=True)
    )


def _bin_of(score: float, edges: list[tuple[float, float]]) -> int:
    for slot, (low, high) in enumerate(edges):
        if score <= high and (score >= low or slot == 0):
            return slot
    return len(edges) - 1


def _bin_label(low: float, high: float) -> str:
    if low == high:
        return f"{low:g}"
    return f"{low:g}–{high:g}"
