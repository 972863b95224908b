"""icpdsl.strategies: generated accounts really get the verdict asked for, over many profiles."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl import Verdict, strategies
from icpdsl.strategies import ImpossibleVerdictError
from icpdsl.testing.regions import field_spaces

AS_OF = datetime.date(2025, 6, 30)
ROOT = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Profiles that can give every verdict, from one rule to many, with and/or/not and defines.
PROFILES = {
    "one range": "employees 200..1000\ndisqualify if is_competitor",
    "open ranges": "employees 200..\nrevenue ..$5M\ndisqualify if employees > 5000",
    "set and range": """
        industry in [SaaS, "B2B Software"]
        employees 200..1000
        disqualify if requires on_prem: "needs on-prem"
    """,
    "or of and": """
        (industry in [SaaS] and employees >= 50) or (industry in [Fintech] and revenue > $10M)
        disqualify if country in [RU, KP]
    """,
    "not and not in": """
        not (employees < 10 or industry in [Agency])
        country not in [RU, IR]
        disqualify if not has_security_owner
    """,
    "defines": """
        define modern = tech has any [AWS, GCP, Azure]
        define big = employees > 500 or revenue >= $50M
        require modern
        require big or funded
        disqualify if modern and is_competitor
    """,
    "has all and none": """
        tech has all [Salesforce, Slack]
        tech has none [HubSpot]
        disqualify if tech has Pipedrive
    """,
    "dates and durations": """
        last_funding within 18 months
        founded >= 2015-01-01
        age 2..10 years
        disqualify if churned_on is known
    """,
    "floats and percents": """
        growth >= 30%
        margin 0.1..0.45
        disqualify if burn > 2.5
    """,
    "nested and quoted fields": """
        hq.country in [US, CA, GB]
        `Annual Revenue` >= $1M
        disqualify if hq.state in [XX]
    """,
    "compare and equality": """
        plan == Enterprise
        seats != 0
        disqualify if status == churned
    """,
    "declared fields": """
        fields {
          employees: int from "Number of Employees"
          industry: category [SaaS, Fintech]
          tech: set[string]
          arr: money
        }
        employees 50..500
        industry in [SaaS]
        disqualify if tech has Oracle or arr < $100k
    """,
    "security example": (ROOT / "examples" / "security.icp").read_text(encoding="utf-8"),
}


def _profile(name: str) -> icpdsl.Profile:
    document = icpdsl.loads(PROFILES[name], f"{name}.icp")
    return next(iter(document.profiles.values()))


CASES = [(name, verdict) for name in PROFILES for verdict in Verdict]


@pytest.mark.parametrize(("name", "verdict"), CASES, ids=[f"{n}-{v.value}" for n, v in CASES])
def test_generated_accounts_get_the_requested_verdict(name: str, verdict: Verdict) -> None:
    profile = _profile(name)
    seen: list[dict[str, object]] = []

    @FAST
    @given(strategies.accounts(profile, verdict, as_of=AS_OF))
    def check(account: dict[str, object]) -> None:
        result = profile.evaluate(account, as_of=AS_OF)
        assert result.verdict is verdict, result.explain()
        seen.append(account)

    check()
    assert seen  # the strategy produced accounts rather than filtering them all away


def test_boundaries_of_a_range_are_generated() -> None:
    profile = _profile("one range")
    fits: set[object] = set()
    misses: set[object] = set()

    @settings(max_examples=300, deadline=None)
    @given(
        strategies.accounts(profile, "fit", as_of=AS_OF),
        strategies.accounts(profile, "not_fit", as_of=AS_OF),
    )
    def collect(fit: dict[str, object], miss: dict[str, object]) -> None:
        fits.add(fit["employees"])
        misses.add(miss["employees"])

    collect()
    assert {200, 201, 999, 1000} <= fits
    assert {199, 1001} <= misses


def test_regions_cut_numbers_at_each_bound_and_its_neighbours() -> None:
    spaces = field_spaces(_profile("one range"), AS_OF)
    described = [r.describe() for r in spaces[("employees",)].regions]
    assert described == [
        "0..198", "199", "200", "201", "202..998", "999", "1000", "1001", "1002..11011", "missing",
    ]  # fmt: skip


def test_disqualified_accounts_fire_the_disqualifier() -> None:
    profile = _profile("set and range")

    @FAST
    @given(strategies.accounts(profile, "disqualified", as_of=AS_OF))
    def check(account: dict[str, object]) -> None:
        result = profile.evaluate(account, as_of=AS_OF)
        fired = [o for o in result.rules if o.status == "fired"]
        assert fired and fired[0].label == "needs on-prem"

    check()


def test_property_every_fit_account_of_the_example_scores_at_least_minus_ten() -> None:
    profile = _profile("security example")

    @FAST
    @given(strategies.accounts(profile, "fit", as_of=AS_OF))
    def check(account: dict[str, object]) -> None:
        result = profile.evaluate(account, as_of=AS_OF)
        assert result.score >= -10 and result.tier in ("A", "B", "C")

    check()


def test_accepts_a_document_with_one_profile() -> None:
    document = icpdsl.loads("employees 200..1000")

    @FAST
    @given(strategies.accounts(document, "not_fit", as_of=AS_OF))
    def check(account: dict[str, object]) -> None:
        assert document.profile.evaluate(account, as_of=AS_OF).verdict is Verdict.NOT_FIT

    check()


@pytest.mark.parametrize(
    ("text", "verdict", "message"),
    [
        (
            "employees 200..1000\nemployees > 5000",
            "fit",
            "no account can be fit for profile 'p': `employees > 5000` (line 2) "
            "contradicts `employees 200..1000` (line 1)",
        ),
        (
            "employees 200..1000\ndisqualify if employees > 100 or employees is missing",
            "fit",
            "no account can be fit for profile 'p': `disqualify if employees > 100 or employees "
            "is missing` (line 2) fires whenever `employees 200..1000` (line 1) holds",
        ),
        (
            "disqualify if is_competitor",
            "not_fit",
            "no account can be not_fit for profile 'p': it has no criteria",
        ),
        (
            "employees 200..1000",
            "disqualified",
            "no account can be disqualified for profile 'p': it has no `disqualify if` rules",
        ),
        (
            "employees is known or employees is missing",
            "not_fit",
            "no account can be not_fit for profile 'p': none of its criteria can ever fail",
        ),
        (
            "website is known",
            "unknown",
            "no account can be unknown for profile 'p': none of its criteria can ever be unknown",
        ),
        (
            "employees 10..5\n",
            "fit",
            "no account can be fit for profile 'p': `employees 10..5` (line 1) can never hold",
        ),
    ],
)
def test_an_impossible_verdict_is_reported_clearly(text: str, verdict: str, message: str) -> None:
    profile = icpdsl.loads(text, "p.icp").profile
    with pytest.raises(ImpossibleVerdictError) as caught:
        strategies.accounts(profile, verdict, as_of=AS_OF)
    assert caught.value.message == message
    assert isinstance(caught.value, icpdsl.ICPError)


def test_an_unknown_verdict_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown verdict 'maybe'"):
        strategies.accounts(_profile("one range"), "maybe")


# ---------------------------------------------------------------- records(schema)

SCHEMA = {
    "employees": "int",
    "revenue": "money",
    "industry": "category [SaaS, Fintech]",
    "tech": "set[string]",
    "founded": datetime.date,
    "public": bool,
    "hq": {"country": str},
}


@FAST
@given(strategies.records(SCHEMA, optional=False))
def test_records_follow_the_schema(record: dict[str, object]) -> None:
    assert set(record) == set(SCHEMA)
    assert isinstance(record["employees"], int)
    assert record["industry"] in ("SaaS", "Fintech")
    assert isinstance(record["tech"], list)
    assert all(isinstance(t, str) for t in record["tech"])  # type: ignore[attr-defined]
    assert isinstance(record["founded"], datetime.date)
    assert isinstance(record["public"], bool)
    assert isinstance(record["hq"], dict) and set(record["hq"]) == {"country"}


def test_optional_records_leave_fields_out_sometimes() -> None:
    sizes: set[int] = set()

    @settings(max_examples=100, deadline=None)
    @given(strategies.records(SCHEMA))
    def collect(record: dict[str, object]) -> None:
        assert set(record) <= set(SCHEMA)
        sizes.add(len(record))

    collect()
    assert 0 in sizes or len(sizes) > 2


@given(st.data())
@FAST
def test_evaluating_arbitrary_records_never_raises(data: st.DataObject) -> None:
    profile = _profile("security example")
    record = data.draw(strategies.records(SCHEMA | {"tech": "set[string]", "country": "string"}))
    assert profile.evaluate(record, as_of=AS_OF).verdict in Verdict


def test_records_from_a_profile_fields_block() -> None:
    document = icpdsl.loads(
        "fields {\n  employees: int\n  industry: category [SaaS, Fintech]\n}\nemployees 1..\n"
    )

    @FAST
    @given(strategies.records(document, optional=False))
    def check(record: dict[str, object]) -> None:
        assert isinstance(record["employees"], int)
        assert record["industry"] in ("SaaS", "Fintech")

    check()


@pytest.mark.parametrize(
    ("schema", "error", "message"),
    [
        ({"x": "widget"}, icpdsl.ICPCheckError, "ICP014 unknown type 'widget'"),
        (42, TypeError, "a schema is a dataclass, an attrs class or a dict, not 42"),
    ],
)
def test_bad_schemas_are_explained(schema: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        strategies.records(schema)


@dataclasses.dataclass
class Account:
    employees: int
    plan: Literal["Free", "Team"]
    tags: set[str]
    founded: datetime.date | None = None


@FAST
@given(strategies.records(Account, optional=False))
def test_records_from_a_dataclass(record: dict[str, object]) -> None:
    assert isinstance(record["employees"], int) and record["plan"] in ("Free", "Team")
    tags = record["tags"]
    assert isinstance(tags, list) and len(set(tags)) == len(tags)
    assert isinstance(record["founded"], datetime.date)


# ---------------------------------------------------------------- tiers

TIERED = """
    industry in [SaaS, Fintech]
    employees 50..5000
    disqualify if is_competitor
    +20 if tech has any [Okta, CrowdStrike]
    +10 if revenue >= $20M
    -10 if funding_stage is missing
    tier Enterprise if score >= 20 and employees > 1000
    tier A if score >= 20
    tier B if score >= 0 or industry in [Fintech]
    tier C otherwise
"""


@pytest.mark.parametrize("tier", ["Enterprise", "A", "B", "C"])
def test_generated_accounts_land_in_the_requested_tier(tier: str) -> None:
    profile = icpdsl.loads(TIERED, "tiered.icp").profile
    scores: set[float] = set()

    @FAST
    @given(strategies.accounts(profile, tier=tier, as_of=AS_OF))
    def check(account: dict[str, object]) -> None:
        result = profile.evaluate(account, as_of=AS_OF)
        assert (result.verdict, result.tier) == (Verdict.FIT, tier), result.explain()
        scores.add(result.score)

    check()
    assert scores


def test_tiers_of_the_security_example_have_their_scores() -> None:
    profile = _profile("security example")

    @FAST
    @given(strategies.accounts(profile, tier="A", as_of=AS_OF))
    def check(account: dict[str, object]) -> None:
        assert profile.evaluate(account, as_of=AS_OF).score >= 30

    check()


@pytest.mark.parametrize(
    ("text", "tier", "message"),
    [
        (
            "x 1..\n+10 if y\ntier A if score >= 20\ntier B otherwise",
            "A",
            "no account can be in tier A of profile 'p': "
            "no score its points can add up to meets that tier's condition",
        ),
        (
            "x 1..\ntier A otherwise",
            "Gold",
            "no account can be in tier Gold of profile 'p': it has no tier Gold (its tiers: A)",
        ),
        (
            "x 1..\ntier B otherwise\ntier A if score >= 0",
            "A",
            "no account can be in tier A of profile 'p': "
            "an earlier `otherwise` tier takes every fit",
        ),
    ],
)
def test_an_impossible_tier_is_reported_clearly(text: str, tier: str, message: str) -> None:
    profile = icpdsl.loads(text, "p.icp").profile
    with pytest.raises(ImpossibleVerdictError) as caught:
        strategies.accounts(profile, tier=tier, as_of=AS_OF)
    assert caught.value.message == message


def test_a_tier_needs_a_fit() -> None:
    with pytest.raises(ValueError, match="only fitting accounts get a tier"):
        strategies.accounts(_profile("one range"), "not_fit", tier="A")
