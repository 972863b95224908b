"""A validation as text for a terminal and as JSON-ready data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ..io.table import display_width, shorten
from ..source import escape
from .metrics import Group, ProfileStats, RuleStats, Validation
from .stats import CONFIDENCE

#: The widest a rule's text gets in the rule table (JSON and HTML keep it whole).
RULE_WIDTH = 60


def percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def interval(low_high: tuple[float, float] | None, *, as_percent: bool = True) -> str:
    if low_high is None:
        return ""
    low, high = low_high
    if as_percent:
        return f"[{low * 100:.1f}–{high * 100:.1f}]"
    return f"[{low:.2f}–{high:.2f}]"


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def lift_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


_POINTS_WORDS = {
    "agree": "points agree",
    "unclear": "points: no clear effect",
    "disagree": "points disagree",
    "too few accounts": "too few accounts",
}


def judgement_text(rule: RuleStats) -> str:
    """`carries`, `adds nothing`, …; for points rules `points agree`, …"""
    if rule.points_check is None:
        return rule.judgement
    return _POINTS_WORDS[rule.points_check]


def headline(validation: Validation) -> list[str]:
    """What was validated: the history, its base rate, its value classes, the method."""
    history = validation.history
    lines = [
        f"{history.source}: {len(history.accounts):,} accounts, outcome {history.outcome!r}: "
        f"{history.good:,} good, base rate {percent(validation.base_rate)} "
        f"{interval(validation.base_interval)}"
    ]
    left_out = []
    if history.no_outcome:
        left_out.append(f"{history.no_outcome:,} without an outcome")
    if history.unreadable:
        left_out.append(f"{history.unreadable:,} unreadable")
    if left_out:
        lines.append("left out: " + ", ".join(left_out))
    lines += [f"warning: {warning}" for warning in validation.warnings]
    classes = validation.classes
    if classes is not None:
        floor1, floor2 = classes.floors
        c1, c2, c3 = classes.counts
        lines.append(
            f"value {history.value_column!r}: Class 1 (top 10%) {c1:,} accounts ≥ {number(floor1)}"
            f" · Class 2 (next 10%) {c2:,} ≥ {number(floor2)} · Class 3 {c3:,}"
        )
    lines.append(
        f"intervals: {CONFIDENCE:.0%} Wilson score intervals on rates; lift = rate ÷ base rate"
    )
    return lines


def render_text(validation: Validation) -> str:
    """The whole validation as plain-text tables."""
    lines = headline(validation)
    if len(validation.profiles) > 1:
        header, rows = comparison(validation)
        lines += ["", "profiles compared (their fit accounts)", ""]
        lines += _indent(table(header, rows, right=set(range(1, len(header)))))
    for profile in validation.profiles:
        lines += ["", f'profile "{profile.name}"', ""]
        lines += _indent(_group_table(profile.groups, validation.classes is not None))
        lines += ["", *_indent(_rule_table(profile.rules))]
        if profile.points_correlation is not None:
            lines.append(
                f"  points vs observed lift: Spearman {profile.points_correlation:+.2f} "
                "(+1: the points rank the rules as the outcomes do)"
            )
    return "\n".join(escape(line) for line in lines) + "\n"  # names, rules, columns


def comparison(validation: Validation) -> tuple[list[str], list[list[str]]]:
    """One row per profile: what its fit accounts hold (the header and the rows)."""
    header = ["profile", "fit", "share", "outcome rate", "lift", "recall"]
    with_value = validation.classes is not None
    if with_value:
        header += ["value/account", "class 1", "class 2"]
    rows = []
    for profile in validation.profiles:
        fit = profile.group("fit")
        row = [
            profile.name,
            f"{fit.accounts:,}",
            percent(fit.share),
            percent(fit.rate),
            lift_text(fit.lift),
            percent(fit.recall, 0),
        ]
        if with_value:
            row += [
                number(fit.value_per_account),
                percent(fit.class1_capture, 0),
                percent(fit.class2_capture, 0),
            ]
        rows.append(row)
    return header, rows


def _group_table(groups: Sequence[Group], with_value: bool) -> list[str]:
    header = ["group", "accounts", "share", "outcome rate", "lift", "recall"]
    if with_value:
        header += ["value/account", "class 1", "class 2"]
    rows = []
    for group in groups:
        row = [
            group.name,
            f"{group.accounts:,}",
            percent(group.share),
            f"{percent(group.rate)} {interval(group.rate_interval) if group.accounts else ''}",
            f"{lift_text(group.lift)} {interval(group.lift_interval, as_percent=False)}",
            percent(group.recall, 0),
        ]
        if with_value:
            row += [
                number(group.value_per_account),
                percent(group.class1_capture, 0),
                percent(group.class2_capture, 0),
            ]
        rows.append(row)
    return table(header, rows, right={1, 2, 5, 6, 7, 8})


def _rule_table(rules: Sequence[RuleStats]) -> list[str]:
    header = ["rule", "holds", "rate", "not", "rate", "unknown", "lift", "judgement"]
    rows = []
    for rule in rules:
        verdict = judgement_text(rule)
        if rule.only_blocker is not None and rule.only_blocker.accounts:
            blocker = rule.only_blocker
            verdict += f" (sole blocker of {blocker.accounts:,} at {percent(blocker.rate)})"
        rows.append(
            [
                shorten(rule.rule, RULE_WIDTH),
                f"{rule.holds.accounts:,}",
                percent(rule.holds.rate),
                f"{rule.not_holds.accounts:,}",
                percent(rule.not_holds.rate),
                f"{rule.unknown.accounts:,}",
                f"{lift_text(rule.lift)} {interval(rule.lift_interval, as_percent=False)}",
                verdict,
            ]
        )
    return table(header, rows, right={1, 2, 3, 4, 5})


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; columns in `right` aligned right."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = []
        for index, cell in enumerate(row):
            pad = " " * (widths[index] - display_width(cell))
            cells.append(pad + cell if index in right else cell + pad)
        out.append("  ".join(cells).rstrip())
    return out


def _indent(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def to_dict(validation: Validation) -> dict[str, Any]:
    """The validation as JSON-ready data (rates and lifts as fractions, not percents)."""
    history = validation.history
    classes = validation.classes
    return {
        "history": {
            "source": history.source,
            "outcome": history.outcome,
            "value": history.value_column,
            "accounts": len(history.accounts),
            "good": history.good,
            "without_outcome": history.no_outcome,
            "unreadable": history.unreadable,
        },
        "as_of": validation.as_of.isoformat(),
        "confidence": CONFIDENCE,
        "method": validation.method,
        "base_rate": validation.base_rate,
        "base_interval": list(validation.base_interval),
        "warnings": list(validation.warnings),
        "classes": None
        if classes is None
        else {"floors": list(classes.floors), "counts": list(classes.counts)},
        "profiles": [_profile_dict(p) for p in validation.profiles],
    }


def _profile_dict(profile: ProfileStats) -> dict[str, Any]:
    groups = []
    for group in profile.groups:
        data = attrs.asdict(group)
        data["precision"] = group.precision
        groups.append(data)
    rules = []
    for rule in profile.rules:
        data = attrs.asdict(rule)
        for side in ("holds", "not_holds", "unknown"):
            data[side]["rate"] = getattr(rule, side).rate
        if rule.only_blocker is not None:
            data["only_blocker"]["rate"] = rule.only_blocker.rate
        rules.append(data)
    return {
        "name": profile.name,
        "groups": groups,
        "rules": rules,
        "score_bins": [attrs.asdict(b) for b in profile.score_bins],
        "points_correlation": profile.points_correlation,
    }
