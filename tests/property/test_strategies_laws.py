"""Laws of icpdsl.strategies over random profiles: every verdict is generated or impossible.

Random profiles combine a pool of predicates with `and`, `or` and `not`. For each
verdict, `accounts()` must either produce accounts the reference evaluator really gives
that verdict, or raise ImpossibleVerdictError, in which case no account taken from the
same regions (nor any random record) may get it.
"""

from __future__ import annotations

import datetime
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl import Verdict, strategies
from icpdsl.strategies import ImpossibleVerdictError
from icpdsl.testing.regions import field_spaces

AS_OF = datetime.date(2025, 6, 30)

PREDICATES = [
    "employees 200..1000",
    "employees > 500",
    "employees <= 50",
    "industry in [SaaS, Fintech]",
    "industry == SaaS",
    "tech has any [AWS, GCP]",
    "tech has all [AWS, Okta]",
    "tech has none [Oracle]",
    "has_owner",
    "last_funding within 1 year",
    "revenue is missing",
    "revenue >= $5M",
    "country not in [RU]",
]


def conditions(depth: int = 2) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(PREDICATES)
    if depth == 0:
        return leaf
    inner = conditions(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda c: f"not ({c})", inner),
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: "(" + ") and (".join(cs) + ")"),
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: "(" + ") or (".join(cs) + ")"),
    )


profiles = st.builds(
    lambda criteria, disqualifiers: "\n".join(
        [f"require {c}" for c in criteria] + [f"disqualify if {d}" for d in disqualifiers]
    ),
    st.lists(conditions(), min_size=1, max_size=3),
    st.lists(conditions(1), max_size=2),
)


def _region_accounts(profile: icpdsl.Profile) -> list[dict[str, object]]:
    """One account per combination of region samples (capped), to refute impossibility."""
    spaces = list(field_spaces(profile, AS_OF).values())
    combos = itertools.islice(itertools.product(*(s.regions for s in spaces)), 20_000)
    accounts = []
    for combo in combos:
        account: dict[str, object] = {}
        for space, region in zip(spaces, combo, strict=True):
            if region.kind != "missing":
                account[space.parts[0]] = region.sample
        accounts.append(account)
    return accounts


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.nested_given],
)
@given(profiles, st.sampled_from(list(Verdict)), st.data())
def test_accounts_get_the_verdict_or_it_is_impossible(
    text: str, verdict: Verdict, data: st.DataObject
) -> None:
    profile = icpdsl.loads(text, "random.icp").profile
    try:
        generated = strategies.accounts(profile, verdict, as_of=AS_OF)
    except ImpossibleVerdictError:
        verdicts = {profile.evaluate(a, as_of=AS_OF).verdict for a in _region_accounts(profile)}
        assert verdict not in verdicts, f"claimed impossible but reachable:\n{text}"
        return
    for _ in range(5):
        account = data.draw(generated)
        result = profile.evaluate(account, as_of=AS_OF)
        assert result.verdict is verdict, f"{text}\n{account}\n{result.explain()}"
