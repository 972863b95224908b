"""One account explained as `icp explain` explains it: every rule, and the nearest miss."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from ..document import Document
from ..explanation import (
    advice_lines,
    expected_text,
    explanation_json,
    points_text,
    seen_text,
)
from ..result import format_value


def explain_account(
    document: Document, profiles: Sequence[str], record: Any, as_of: datetime.date
) -> list[dict[str, Any]]:
    """Per profile: `icp explain --format json`'s object, each rule with the columns the
    text report shows (mark, seen, expected, points), and the advice lines it prints."""
    out = []
    for name in profiles:
        profile = document.profiles[name]
        result = profile.evaluate(record, as_of=as_of)
        data = explanation_json(profile, result, record, as_of)
        data["score_text"] = format_value(result.score)
        for outcome, rule in zip(result.rules, data["rules"], strict=True):
            rule.update(
                mark=outcome.mark,
                seen=seen_text(outcome),
                expected_text=expected_text(outcome),
                points_text=points_text(outcome),
            )
        data["advice"] = [line for line in advice_lines(profile, result, record, as_of) if line]
        out.append(data)
    return out
