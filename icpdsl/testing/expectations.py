"""What a test expects of one account (verdict, tier, score, reason) and how a result misses it."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from typing import Any

import attrs

from ..document import Profile
from ..records import loose_key
from ..result import Result, Verdict, format_value
from .blame import blamed_names, deciding_rules

VERDICTS = tuple(v.value for v in Verdict)


@attrs.frozen
class Expectation:
    """The verdict an account must get, and optionally its tier, score and reason."""

    verdict: Verdict
    tier: str | None = None
    score: int | float | None = None
    because: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        verdict: Verdict | str,
        *,
        tier: str | None = None,
        score: int | float | None = None,
        because: str | Iterable[str] | None = None,
    ) -> Expectation:
        """Build from loose arguments: `because` may be one name or several."""
        if isinstance(verdict, str) and verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
        reasons = (because,) if isinstance(because, str) else tuple(because or ())
        return cls(Verdict(verdict), tier, score, reasons)

    def describe(self) -> str:
        """`not_fit because employees`, `fit, tier A, score 30`."""
        text = self.verdict.value
        if self.tier is not None:
            text += f", tier {self.tier}"
        if self.score is not None:
            text += f", score {format_value(self.score)}"
        if self.because:
            text += " because " + ", ".join(self.because)
        return text


def describe_result(result: Result) -> str:
    """`fit (score 30, tier A)`."""
    tier = f", tier {result.tier}" if result.tier is not None else ""
    return f"{result.verdict.value} (score {format_value(result.score)}{tier})"


def mismatches(
    profile: Profile,
    expectation: Expectation,
    result: Result,
    record: Any,
    as_of: datetime.date,
) -> list[str]:
    """Every way `result` differs from `expectation`, as sentences; empty when it meets it."""
    problems: list[str] = []
    if result.verdict is not expectation.verdict:
        problems.append(f"expected verdict {expectation.verdict.value}, got {result.verdict.value}")
    if expectation.tier is not None and result.tier != expectation.tier:
        problems.append(_tier_problem(profile, expectation.tier, result.tier))
    if expectation.score is not None and not math.isclose(
        result.score, expectation.score, rel_tol=1e-9, abs_tol=1e-9
    ):
        problems.append(
            f"expected score {format_value(expectation.score)}, got {format_value(result.score)}"
        )
    if expectation.because and result.verdict is expectation.verdict:
        problems.extend(_because_problems(profile, expectation.because, result, record, as_of))
    return problems


def _tier_problem(profile: Profile, expected: str, actual: str | None) -> str:
    text = f"expected tier {expected}, got " + (actual if actual is not None else "no tier")
    names = [r.node.name for r in profile.tiers]  # type: ignore[union-attr]
    if expected not in names:
        listed = ", ".join(names) if names else "none"
        text += f" (the profile has no tier {expected}; its tiers: {listed})"
    return text


def _because_problems(
    profile: Profile,
    because: tuple[str, ...],
    result: Result,
    record: Any,
    as_of: datetime.date,
) -> list[str]:
    blamed = blamed_names(profile, result, record, as_of)
    missing = [name for name in because if loose_key(name) not in blamed]
    if not missing:
        return []
    names = ", ".join(missing)
    verb = "does" if len(missing) == 1 else "do"
    deciding = [f"\n    {o.explain()}" for _, o in deciding_rules(profile, result)]
    return [
        f"expected {result.verdict.value} because {names}, but {names} {verb} not decide it; "
        "the deciding rules are:" + ("".join(deciding) or " none")
    ]
