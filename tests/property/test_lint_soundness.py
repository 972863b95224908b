"""Lint is sound: when it says no account can fit (or reach a tier, or trip a
disqualifier), the exact region solver behind `icpdsl.strategies` agrees.

The solver judges each predicate with the reference evaluator, so it is an independent
oracle for the DNF reasoning in `icpdsl.constraints`.
"""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl import strategies
from icpdsl.strategies import ImpossibleVerdictError

AS_OF = datetime.date(2025, 6, 30)
PREDICATES = [
    "employees 200..1000", "employees > 500", "employees < 100", "employees == 300",
    "employees 1000..200", "industry in [SaaS, Fintech]", "industry == SaaS",
    "industry not in [SaaS]", "tech has AWS", "tech has none [AWS, Okta]",
    "tech has any [Okta, GCP]", "has_owner", "not has_owner", "revenue is missing",
    "revenue >= $5M", "revenue < $1M", "founded <= 2020-01-01", "founded > 2021-06-01",
]  # fmt: skip
TIERS = ["score >= 20", "score >= 10", "score < 5", "has_owner", "employees > 800"]


def conditions(depth: int = 1) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(PREDICATES)
    if depth == 0:
        return leaf
    inner = conditions(depth - 1)
    return st.one_of(
        leaf,
        leaf,
        st.builds(lambda c: f"not ({c})", inner),
        st.lists(inner, min_size=2, max_size=2).map(lambda cs: f"({cs[0]}) and ({cs[1]})"),
        st.lists(inner, min_size=2, max_size=2).map(lambda cs: f"({cs[0]}) or ({cs[1]})"),
    )


@st.composite
def profiles(draw: st.DrawFn) -> str:
    lines = [f"require {c}" for c in draw(st.lists(conditions(), min_size=1, max_size=3))]
    lines += [f"disqualify if {c}" for c in draw(st.lists(conditions(0), max_size=2))]
    lines += [f"+{p} if {c}" for p, c in draw(st.lists(st.tuples(
        st.sampled_from([5, 10, 20]), conditions(0)), max_size=3))]  # fmt: skip
    tiers = draw(st.lists(st.sampled_from(TIERS), max_size=3, unique=True))
    lines += [f"tier T{i} if {c}" for i, c in enumerate(tiers)]
    return "\n".join(lines)


def _impossible(text: str, tier: str | None = None) -> bool:
    profile = icpdsl.loads(text).profile
    try:
        strategies.accounts(profile, "fit", tier=tier, as_of=AS_OF)
    except ImpossibleVerdictError:
        return True
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_impossibility_claims_agree_with_the_solver(text: str) -> None:
    document = icpdsl.loads(text)
    rules = {rule.line: rule for rule in document.profile.rules}
    for warning in document.warnings:
        rule = rules.get(warning.line)
        if warning.code in ("ICP102", "ICP104"):
            assert _impossible(text), warning.format()
        elif warning.code == "ICP105":
            assert rule is not None
            criteria = "\n".join(r.text for r in document.profile.criteria)
            assert _impossible(f"{criteria}\nrequire {rule.condition_text}"), warning.format()
        elif warning.code == "ICP106" and "comes after" not in warning.message:
            assert rule is not None
            name = rule.text.split()[1]
            assert _impossible(text, tier=name), warning.format()
