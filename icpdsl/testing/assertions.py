"""`assert_fit`, `assert_not_fit`, …: test one account in plain pytest; failures explain.

Each sets `__tracebackhide__`, so pytest shows a failure at the user's test line with
the explanation, not a traceback into icpdsl's own frames.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from ..document import Document, Profile
from ..result import Result, Verdict
from .expectations import Expectation, describe_result, mismatches

Because = str | Iterable[str] | None


def _profile(source: Profile | Document) -> Profile:
    return source.profile if isinstance(source, Document) else source


def assert_verdict(
    profile: Profile | Document,
    record: Any,
    verdict: Verdict | str,
    *,
    tier: str | None = None,
    score: int | float | None = None,
    because: Because = None,
    as_of: datetime.date | None = None,
) -> Result:
    """Assert the account gets `verdict` (and tier, score, reason if given); return the result.

    On a mismatch raise AssertionError whose message is expected beside actual and the
    full explanation of the actual result.
    """
    __tracebackhide__ = True  # pytest: the failure is the caller's line
    chosen = _profile(profile)
    expectation = Expectation.of(verdict, tier=tier, score=score, because=because)
    day = chosen.evaluation_date(as_of)
    result = chosen.evaluate(record, as_of=day)
    problems = mismatches(chosen, expectation, result, record, day)
    if problems:
        lines = [
            f"expected {expectation.describe()}, got {describe_result(result)}",
            *(f"- {problem}" for problem in problems),
            result.explain(),
        ]
        raise AssertionError("\n".join(lines))
    return result


def assert_fit(
    profile: Profile | Document,
    record: Any,
    *,
    tier: str | None = None,
    score: int | float | None = None,
    as_of: datetime.date | None = None,
) -> Result:
    """Assert the account fits (optionally in `tier`, with `score`)."""
    __tracebackhide__ = True  # pytest: the failure is the caller's line
    return assert_verdict(profile, record, Verdict.FIT, tier=tier, score=score, as_of=as_of)


def assert_not_fit(
    profile: Profile | Document,
    record: Any,
    *,
    because: Because = None,
    as_of: datetime.date | None = None,
) -> Result:
    """Assert the account fails a criterion (`because="employees"`: that field's rule)."""
    __tracebackhide__ = True  # pytest: the failure is the caller's line
    return assert_verdict(profile, record, Verdict.NOT_FIT, because=because, as_of=as_of)


def assert_disqualified(
    profile: Profile | Document,
    record: Any,
    *,
    because: Because = None,
    as_of: datetime.date | None = None,
) -> Result:
    """Assert a disqualifier fires for the account."""
    __tracebackhide__ = True  # pytest: the failure is the caller's line
    return assert_verdict(profile, record, Verdict.DISQUALIFIED, because=because, as_of=as_of)


def assert_unknown(
    profile: Profile | Document,
    record: Any,
    *,
    because: Because = None,
    as_of: datetime.date | None = None,
) -> Result:
    """Assert the verdict is unknown: data missing where a criterion needs it."""
    __tracebackhide__ = True  # pytest: the failure is the caller's line
    return assert_verdict(profile, record, Verdict.UNKNOWN, because=because, as_of=as_of)


def assert_tier(
    profile: Profile | Document,
    record: Any,
    tier: str,
    *,
    as_of: datetime.date | None = None,
) -> Result:
    """Assert the account fits and lands in `tier`."""
    __tracebackhide__ = True  # pytest: the failure is the caller's line
    return assert_verdict(profile, record, Verdict.FIT, tier=tier, as_of=as_of)
