"""One account's explanation as people read it: each rule's value seen, what it
expected and its points, and the nearest miss (the changes to fit, the fields that would
decide) — what `icp explain` prints and the playground shows."""

from __future__ import annotations

import datetime
from typing import Any

from .document import Profile
from .gaps import changes_to_fit, deciding_fields
from .result import Result, RuleOutcome, Verdict
from .semantics.shown import format_value


def seen_text(outcome: RuleOutcome) -> str:
    """The value (or values, by field) a rule saw."""
    if outcome.kind == "tier" and not outcome.checks:
        return ""
    if len(outcome.checks) == 1:
        return format_value(outcome.checks[0].actual)
    fields = dict.fromkeys(c.field for c in outcome.checks)
    values = {c.field: c.actual for c in outcome.checks}
    return ", ".join(f"{f} {format_value(values[f])}" for f in fields)


def expected_text(outcome: RuleOutcome) -> str:
    """What the rule wants; for a disqualifier, what keeps it from firing."""
    if not outcome.checks:
        return outcome.expected
    text = "; ".join(dict.fromkeys(c.expected for c in outcome.checks))
    return f"not {text}" if outcome.kind == "disqualifier" else text


def points_text(outcome: RuleOutcome) -> str:
    """`+20` for a points rule's gain, blank for other rules."""
    if outcome.kind != "points":
        return ""
    gained = outcome.points or 0
    return ("+" if gained >= 0 else "") + format_value(gained)


def advice_lines(profile: Profile, result: Result, record: Any, as_of: datetime.date) -> list[str]:
    """The nearest miss as the text report prints it: the changes to fit, the deciders."""
    if result.verdict is Verdict.FIT:
        return []
    lines: list[str] = []
    changes = changes_to_fit(profile, record, as_of)
    if changes:
        lines += ["", "  to fit, change:", *(f"    {c.text}" for c in changes)]
    deciders = deciding_fields(profile, record, as_of)
    if deciders:
        if changes:
            lines.append("  and these fields must be known:")
        else:
            lines += ["", "  unknown until these fields are known:"]
        for decider in deciders:
            state = "is missing" if decider.state == "missing" else f"— {decider.state}"
            lines.append(f"    {decider.field} {state} (for {decider.rule})")
    return lines


def explanation_json(
    profile: Profile, result: Result, record: Any, as_of: datetime.date
) -> dict[str, Any]:
    """`icp explain --format json`'s object for one profile: the result, and for a non-fit
    the changes that would make it fit and the fields that would decide it."""
    out = result.to_dict()
    if result.verdict is not Verdict.FIT:
        out["changes_to_fit"] = [
            {"field": c.field, "change": c.text, "rule": c.rule}
            for c in changes_to_fit(profile, record, as_of)
        ]
        out["deciding_fields"] = [
            {"field": d.field, "state": d.state, "rule": d.rule}
            for d in deciding_fields(profile, record, as_of)
        ]
    return out
