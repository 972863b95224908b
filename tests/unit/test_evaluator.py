"""Evaluator: the reference semantics of every operator, verdict, score and tier."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import math
from typing import Any

import attrs
import pytest

import icpdsl
from icpdsl import Result, Verdict

AS_OF = datetime.date(2025, 6, 15)


def run(text: str, record: Any, as_of: datetime.date = AS_OF) -> Result:
    return icpdsl.loads(text).profile.evaluate(record, as_of=as_of)


def status(condition: str, record: Any, as_of: datetime.date = AS_OF) -> str:
    """The status of the one criterion `condition` against `record`."""
    [outcome] = run(condition, record, as_of).rules
    return outcome.status


# ------------------------------------------------------------------ operators


@pytest.mark.parametrize(
    ("condition", "record", "expected"),
    [
        # in / not in: strings ignore case and surrounding white space
        ("industry in [SaaS, Fintech]", {"industry": "SaaS"}, "pass"),
        ("industry in [SaaS, Fintech]", {"industry": "  saas "}, "pass"),
        ("industry in [SaaS, Fintech]", {"industry": "Retail"}, "fail"),
        ('industry in ["B2B Software"]', {"industry": "b2b software"}, "pass"),
        ("industry in [SaaS]", {"industry": ["Retail", "SaaS"]}, "pass"),
        ("country not in [RU, KP]", {"country": "US"}, "pass"),
        ("country not in [RU, KP]", {"country": "ru"}, "fail"),
        ("employees in [10, 20]", {"employees": "20"}, "pass"),
        # ranges: inclusive, open at either end, numbers from text and money
        ("employees 200..1000", {"employees": 200}, "pass"),
        ("employees 200..1000", {"employees": 1000}, "pass"),
        ("employees 200..1000", {"employees": 199}, "fail"),
        ("employees 200..1000", {"employees": 1001}, "fail"),
        ("employees 200..1000", {"employees": "1,000"}, "pass"),
        ("employees 200..", {"employees": 10**6}, "pass"),
        ("employees 200..", {"employees": 199.5}, "fail"),
        ("employees ..1000", {"employees": -5}, "pass"),
        ("employees ..1000", {"employees": 1000.5}, "fail"),
        ("revenue $10M..$50M", {"revenue": "$12.5M"}, "pass"),
        ("revenue $10M..$50M", {"revenue": 50_000_001}, "fail"),
        ("growth 20%..", {"growth": 0.2}, "pass"),
        ("growth 20%..", {"growth": "19%"}, "fail"),
        # comparisons
        ("employees == 50", {"employees": 50.0}, "pass"),
        ("employees != 50", {"employees": 51}, "pass"),
        ("employees != 50", {"employees": 50}, "fail"),
        ("employees < 50", {"employees": 49}, "pass"),
        ("employees < 50", {"employees": 50}, "fail"),
        ("employees <= 50", {"employees": 50}, "pass"),
        ("employees > 50", {"employees": 50}, "fail"),
        ("employees >= 50", {"employees": 50}, "pass"),
        ("revenue >= $10M", {"revenue": 10_000_000}, "pass"),
        ("revenue >= 1_000", {"revenue": "$999"}, "fail"),
        ("budget >= 50k", {"budget": decimal.Decimal("50000")}, "pass"),
        ("cloud_stack == modern", {"cloud_stack": " Modern "}, "pass"),
        ("cloud_stack != modern", {"cloud_stack": "legacy"}, "pass"),
        ("plan == pro", {"plan": "Pro plan"}, "fail"),
        ("active == true", {"active": "yes"}, "pass"),
        ("active == false", {"active": False}, "pass"),
        # has
        ("tech has Okta", {"tech": ["AWS", "okta"]}, "pass"),
        ("tech has Okta", {"tech": ["AWS"]}, "fail"),
        ("tech has Okta", {"tech": "AWS; Okta"}, "pass"),
        ("tech has Okta", {"tech": {"Okta", "AWS"}}, "pass"),
        ("tech has any [Salesforce, HubSpot]", {"tech": ("HubSpot",)}, "pass"),
        ("tech has any [Salesforce, HubSpot]", {"tech": []}, "fail"),
        ("tech has all [Slack, Notion]", {"tech": ["Notion", "Slack", "AWS"]}, "pass"),
        ("tech has all [Slack, Notion]", {"tech": ["Slack"]}, "fail"),
        ("tech has none [Oracle, SAP]", {"tech": ["AWS"]}, "pass"),
        ("tech has none [Oracle, SAP]", {"tech": "sap, AWS"}, "fail"),
        # is missing / is known: never unknown
        ("funding_stage is known", {"funding_stage": "Series A"}, "pass"),
        ("funding_stage is known", {}, "fail"),
        ("funding_stage is missing", {"funding_stage": None}, "pass"),
        ("funding_stage is missing", {"funding_stage": "   "}, "pass"),
        ("funding_stage is missing", {"funding_stage": math.nan}, "pass"),
        ("funding_stage is missing", {"funding_stage": 0}, "fail"),
        # FIELD VALUE: equals, or contains for a list
        ("requires on_prem", {"requires": "on_prem"}, "pass"),
        ("requires on_prem", {"requires": "ON_PREM"}, "pass"),
        ("requires on_prem", {"requires": ["sso", "on_prem"]}, "pass"),
        ("requires on_prem", {"requires": "sso; on_prem"}, "pass"),
        ("requires on_prem", {"requires": ["sso"]}, "fail"),
        ("requires on_prem", {"requires": []}, "fail"),
        ("seats 10", {"seats": 10}, "pass"),
        # bare boolean fields
        ("has_security_owner", {"has_security_owner": True}, "pass"),
        ("has_security_owner", {"has_security_owner": "yes"}, "pass"),
        ("has_security_owner", {"has_security_owner": "FALSE"}, "fail"),
        ("has_security_owner", {"has_security_owner": 0}, "fail"),
        ("not is_competitor", {"is_competitor": False}, "pass"),
        ("not is_competitor", {"is_competitor": "yes"}, "fail"),
    ],
)
def test_operator(condition: str, record: dict[str, Any], expected: str) -> None:
    assert status(condition, record) == expected


@pytest.mark.parametrize(
    ("condition", "record", "expected"),
    [
        ("a and b", {"a": True, "b": True}, "pass"),
        ("a and b", {"a": True, "b": False}, "fail"),
        ("a and b", {"a": False}, "fail"),  # false and unknown is false
        ("a and b", {"a": True}, "unknown"),
        ("a or b", {"a": False, "b": False}, "fail"),
        ("a or b", {"b": True}, "pass"),  # unknown or true is true
        ("a or b", {"a": False}, "unknown"),
        ("not a", {}, "unknown"),
        ("not (a or b)", {"a": False, "b": False}, "pass"),
        # and binds tighter than or; not tighter than and
        ("a or b and c", {"a": True, "b": False, "c": False}, "pass"),
        ("(a or b) and c", {"a": True, "b": False, "c": False}, "fail"),
        ("not a and b", {"a": False, "b": True}, "pass"),
        ("not (a and b)", {"a": True, "b": False}, "pass"),
        ("employees >= 50 and (industry in [Healthcare] or revenue > 5M)",
         {"employees": 60, "industry": "Retail", "revenue": "6M"}, "pass"),
        ("employees >= 50 and (industry in [Healthcare] or revenue > 5M)",
         {"employees": 60, "industry": "Retail", "revenue": 4_000_000}, "fail"),
    ],
)  # fmt: skip
def test_three_valued_logic_and_precedence(condition: str, record: Any, expected: str) -> None:
    assert status(condition, record) == expected


def test_dotted_paths_reach_nested_records_and_flat_dotted_columns() -> None:
    assert status("hq.country in [US, CA]", {"hq": {"country": "ca"}}) == "pass"
    assert status("hq.country in [US, CA]", {"hq.country": "US"}) == "pass"
    assert status("hq.country in [US, CA]", {"hq": None}) == "unknown"
    assert status("a.b.c == 1", {"a": {"b": {"c": 1}}}) == "pass"


def test_backtick_field_names_and_loose_column_matching() -> None:
    assert status("`Annual Revenue` >= 1M", {"Annual Revenue": "$2M"}) == "pass"
    assert status("annual_revenue >= 1M", {"Annual Revenue": "$2M"}) == "pass"


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("condition", "record", "expected"),
    [
        ("last_funding within 18 months", {"last_funding": "2024-01-01"}, "pass"),
        ("last_funding within 18 months", {"last_funding": "2023-12-14"}, "fail"),
        ("last_funding within 18 months", {"last_funding": datetime.date(2023, 12, 15)}, "pass"),
        ("last_funding within 2 weeks", {"last_funding": "2025-06-01"}, "pass"),
        ("last_funding within 30 days", {"last_funding": datetime.datetime(2025, 5, 1, 9)}, "fail"),
        ("last_funding within 1 year", {"last_funding": "2025-07-01"}, "fail"),  # future
        ("founded >= 2020-01-01", {"founded": "2021-03-04"}, "pass"),
        ("founded < 2020-01-01", {"founded": 2015}, "pass"),  # a year
        ("founded 2010-01-01..2015-12-31", {"founded": "2016-01-01"}, "fail"),
        ("age >= 5 years", {"founded": 2020}, "pass"),
        ("age >= 5 years", {"founded": "2020-06-16"}, "fail"),
        ("age 3..5 years", {"founded_year": 2021}, "pass"),
        ("age < 18 months", {"founded_on": "2024-06-15"}, "pass"),
        ("age >= 5 years", {"age": 7}, "pass"),
    ],
)
def test_dates_and_durations_against_a_fixed_as_of(
    condition: str, record: Any, expected: str
) -> None:
    assert status(condition, record) == expected


def test_as_of_defaults_to_today() -> None:
    result = icpdsl.loads("x").profile.evaluate({"x": True})
    assert result.as_of == datetime.date.today()


def test_within_explains_against_the_as_of_date() -> None:
    [rule] = run("last_funding within 18 months", {"last_funding": "2020-01-01"}).rules
    assert rule.reason == "last_funding 2020-01-01 is more than 18 months before 2025-06-15"


# ------------------------------------------------------------------ missing and wrong types


@pytest.mark.parametrize(
    "condition",
    [
        "industry in [SaaS]",
        "industry not in [SaaS]",
        "employees 200..1000",
        "employees >= 50",
        "tech has Okta",
        "tech has any [Okta]",
        "tech has none [Okta]",
        "last_funding within 1 year",
        "requires on_prem",
        "has_security_owner",
        "not has_security_owner",
    ],
)
def test_a_missing_field_is_unknown_not_false(condition: str) -> None:
    result = run(condition, {})
    [rule] = result.rules
    assert rule.status == "unknown"
    assert rule.reason.endswith("is missing")
    assert result.verdict == "unknown"


@pytest.mark.parametrize("empty", [None, "", "  ", math.nan, decimal.Decimal("NaN")])
def test_empty_values_count_as_missing(empty: Any) -> None:
    assert status("employees >= 50", {"employees": empty}) == "unknown"


@pytest.mark.parametrize(
    ("condition", "value", "reason"),
    [
        ("employees >= 50", "n/a", "employees is 'n/a' (text), not a number"),
        ("employees 200..1000", "about 300", "employees is 'about 300' (text), not a number"),
        ("employees >= 50", True, "employees is true (boolean), not a number"),
        ("employees in [10, 20]", "ten", "employees is 'ten' (text), not a number"),
        ("tech has Okta", 42, "tech is 42 (number), not a list"),
        ("has_security_owner", "maybe", "has_security_owner is 'maybe' (text), not true or false"),
        ("founded >= 2020-01-01", "last year", "founded is 'last year' (text), not a date"),
        ("last_funding within 1 year", 3.5, "last_funding is 3.5 (number), not a date"),
        ("industry in [SaaS]", {"a": 1}, "industry is {'a': 1} (dict), not text"),
    ],
)
def test_a_wrong_typed_value_is_unknown_with_an_explanation(
    condition: str, value: Any, reason: str
) -> None:
    field = condition.split()[0]
    result = run(condition, {field: value})
    [rule] = result.rules
    assert (rule.status, rule.reason) == ("unknown", reason)
    assert result.verdict == "unknown"


def test_odd_records_never_raise() -> None:
    for record in [None, 42, "text", [1, 2], object(), {1: "x"}, {"x": object()}]:
        result = run("a >= 5\nb in [x]\nc has y\nd\ne within 1 year", record)
        assert result.verdict == "unknown"


# ------------------------------------------------------------------ verdicts

PRECEDENCE = """
industry in [SaaS]
employees 200..1000
disqualify if is_competitor: "competitor"
"""


@pytest.mark.parametrize(
    ("record", "verdict"),
    [
        ({"industry": "SaaS", "employees": 300, "is_competitor": False}, "fit"),
        ({"industry": "Retail", "employees": 300, "is_competitor": False}, "not_fit"),
        ({"industry": "SaaS", "is_competitor": False}, "unknown"),
        ({"industry": "SaaS", "employees": 300, "is_competitor": True}, "disqualified"),
        # precedence: disqualified > not_fit > unknown > fit
        ({"industry": "Retail", "is_competitor": True}, "disqualified"),
        ({"industry": "Retail"}, "not_fit"),
        ({}, "unknown"),
    ],
)
def test_verdicts_and_their_precedence(record: dict[str, Any], verdict: str) -> None:
    result = run(PRECEDENCE, record)
    assert result.verdict == verdict
    assert result.verdict is Verdict(verdict)
    assert result.fit is (verdict == "fit")


def test_a_disqualifier_that_cannot_be_checked_does_not_fire_but_shows_as_unknown() -> None:
    result = run(PRECEDENCE, {"industry": "SaaS", "employees": 300})
    assert result.verdict == "fit"
    disqualifier = result.rules[2]
    assert (disqualifier.kind, disqualifier.status) == ("disqualifier", "unknown")
    assert disqualifier.reason == "is_competitor is missing"
    assert "? disqualify if is_competitor" in result.explain()


def test_disqualifier_statuses_and_reason_text() -> None:
    fired = run(PRECEDENCE, {"is_competitor": "yes"}).rules[2]
    assert (fired.status, fired.label) == ("fired", "competitor")
    assert fired.reason == "competitor (is_competitor is true)"
    clear = run(PRECEDENCE, {"is_competitor": "no"}).rules[2]
    assert clear.status == "clear"


def test_reasons_list_what_kept_an_account_from_fitting() -> None:
    result = run(PRECEDENCE, {"industry": "Retail", "employees": 150})
    assert result.reasons == [
        "industry Retail is not in [SaaS]",
        "employees 150 is below 200..1000 (50 short)",
    ]
    assert run(PRECEDENCE, {"industry": "SaaS", "employees": 300}).reasons == []


# ------------------------------------------------------------------ points and tiers

SCORED = """
industry in [SaaS]
+20 if tech has any [Salesforce, HubSpot]
+10 if revenue >= $20M
-10 if funding_stage is missing
+2.5 if partner
tier A if score >= 30
tier B if score >= 10
tier C otherwise
"""


@pytest.mark.parametrize(
    ("record", "score", "tier"),
    [
        ({"industry": "SaaS", "tech": ["HubSpot"], "revenue": "25M", "funding_stage": 1}, 30, "A"),
        ({"industry": "SaaS", "tech": ["HubSpot"], "revenue": 1, "funding_stage": "B"}, 20, "B"),
        ({"industry": "SaaS", "tech": ["HubSpot"], "revenue": 1}, 10, "B"),
        ({"industry": "SaaS", "tech": [], "revenue": 1}, -10, "C"),
        ({"industry": "SaaS", "tech": [], "revenue": 1, "partner": True, "funding_stage": "A"},
         2.5, "C"),
    ],
)  # fmt: skip
def test_points_add_up_and_the_first_matching_tier_wins(
    record: dict[str, Any], score: float, tier: str
) -> None:
    result = run(SCORED, record)
    assert (result.verdict, result.score, result.tier) == ("fit", score, tier)


def test_unknown_adds_no_points() -> None:
    result = run(SCORED, {"industry": "SaaS", "funding_stage": "A"})
    assert result.score == 0
    points = [r for r in result.rules if r.kind == "points"]
    assert [(p.status, p.points) for p in points] == [
        ("unknown", 0),
        ("unknown", 0),
        ("not_applied", 0),
        ("unknown", 0),
    ]


@pytest.mark.parametrize("record", [{"industry": "Retail"}, {}])
def test_only_fitting_accounts_get_a_tier(record: dict[str, Any]) -> None:
    result = run(SCORED, {**record, "tech": ["HubSpot"], "revenue": "50M", "funding_stage": "C"})
    assert result.score == 30
    assert result.tier is None
    tiers = [r for r in result.rules if r.kind == "tier"]
    assert {t.status for t in tiers} == {"skipped"}
    assert tiers[0].reason == "only fitting accounts get a tier"


def test_tiers_after_the_chosen_one_are_skipped() -> None:
    result = run(
        SCORED, {"industry": "SaaS", "tech": ["HubSpot"], "revenue": 1, "funding_stage": 1}
    )
    tiers = [(r.label, r.status, r.reason) for r in result.rules if r.kind == "tier"]
    assert tiers == [
        ("A", "fail", "score 20 is not >= 30"),
        ("B", "pass", "score 20 is >= 10"),
        ("C", "skipped", "tier B came first"),
    ]


def test_tier_conditions_may_use_fields_and_an_unknown_tier_falls_through() -> None:
    text = "x\ntier Enterprise if employees >= 1000\ntier Startup if score >= 0"
    assert run(text, {"x": True, "employees": 5000}).tier == "Enterprise"
    assert run(text, {"x": True, "employees": 10}).tier == "Startup"
    assert run(text, {"x": True}).tier == "Startup"


def test_a_fit_without_a_matching_tier_has_no_tier() -> None:
    assert run("x\ntier A if score >= 10", {"x": True}).tier is None


def test_score_is_an_ordinary_field_outside_tiers() -> None:
    assert status("score >= 5", {"score": 7}) == "pass"
    assert status("score >= 5", {}) == "unknown"


# ------------------------------------------------------------------ records


@dataclasses.dataclass
class AccountDC:
    industry: str
    employees: int
    tech: list[str]


@attrs.define
class AccountAttrs:
    industry: str
    employees: int
    tech: list[str]


class AccountObject:
    def __init__(self) -> None:
        self.industry = "SaaS"
        self.employees = 300
        self.tech = ["Okta"]


class AccountProperty:
    @property
    def industry(self) -> str:
        return "SaaS"

    @property
    def employees(self) -> int:
        raise RuntimeError("the CRM is down")  # a broken attribute reads as missing

    tech = ("Okta",)


RECORD_RULES = "industry in [SaaS]\nemployees 200..1000\ntech has Okta"


@pytest.mark.parametrize(
    "record",
    [
        {"industry": "SaaS", "employees": 300, "tech": ["Okta"]},
        AccountDC("SaaS", 300, ["Okta"]),
        AccountAttrs("SaaS", 300, ["Okta"]),
        AccountObject(),
    ],
    ids=["dict", "dataclass", "attrs", "object"],
)
def test_records_may_be_mappings_dataclasses_attrs_or_objects(record: Any) -> None:
    assert run(RECORD_RULES, record).verdict == "fit"


def test_an_attribute_that_raises_is_missing() -> None:
    result = run(RECORD_RULES, AccountProperty())
    assert result.verdict == "unknown"
    assert result.rules[1].reason == "employees is missing"


def test_nested_objects_inside_dicts() -> None:
    record = {"hq": AccountObject(), "meta": {"owner": {"team": "security"}}}
    assert status("hq.industry == saas", record) == "pass"
    assert status("meta.owner.team == Security", record) == "pass"


# ------------------------------------------------------------------ define


def test_define_expands_in_any_rule_and_the_explanation_names_it() -> None:
    text = (
        "define modern_stack = tech has any [AWS, GCP, Azure]\n"
        "require modern_stack\n"
        "+10 if modern_stack and employees >= 100\n"
        "disqualify if not modern_stack"
    )
    result = run(text, {"tech": ["Oracle"], "employees": 500})
    require, points, disqualifier = result.rules
    assert require.rule == "require modern_stack"
    assert require.expected == "modern_stack (where modern_stack = tech has any [AWS, GCP, Azure])"
    assert require.reason == "tech has none of [AWS, GCP, Azure]"
    assert require.where == "modern_stack = tech has any [AWS, GCP, Azure]"
    assert require.explain() == (
        "✗ require modern_stack — tech has none of [AWS, GCP, Azure]"
        " (where modern_stack = tech has any [AWS, GCP, Azure])"
    )
    assert require.to_dict()["where"] == require.where
    assert "where modern_stack = tech has any [AWS, GCP, Azure]" in points.expected
    assert disqualifier.status == "fired"
    assert result.verdict == "disqualified"


def test_defines_may_use_other_defines() -> None:
    text = (
        "define big = employees >= 500\n"
        "define rich = revenue >= 50M\n"
        "define enterprise = big and rich\n"
        "enterprise"
    )
    assert status(text, {"employees": 600, "revenue": "60M"}) == "pass"
    assert status(text, {"employees": 600}) == "unknown"
    [rule] = run(text, {"employees": 600}).rules
    assert rule.reason == "revenue is missing"
    assert rule.where == "enterprise = big and rich; big = employees >= 500; rich = revenue >= 50M"


# ------------------------------------------------------------------ profiles


def test_doc_evaluate_gives_every_profile_and_best_is_the_first_fit() -> None:
    doc = icpdsl.loads(
        'profile "Enterprise" { employees 1000.. ; +5 if x }\n'
        'profile "Mid" { employees 100..999 ; +1 if x }\n'
        'profile "Any" { employees 1.. }'
    )
    results = doc.evaluate({"employees": 500, "x": True}, as_of=AS_OF)
    assert [r.profile for r in results] == ["Enterprise", "Mid", "Any"]
    assert len(results) == 3
    assert results["Mid"].fit
    assert results.best is not None and results.best.profile == "Mid"


def test_without_a_fit_best_is_none_and_closest_the_highest_score() -> None:
    doc = icpdsl.loads(
        'profile "A" { industry in [SaaS]; +5 if x }\nprofile "B" { industry in [Retail]; +9 if x }'
    )
    results = doc.evaluate({"industry": "Fintech", "x": True}, as_of=AS_OF)
    assert results.best is None
    assert results.closest is not None and results.closest.profile == "B"


# ------------------------------------------------------------------ results


def test_explain_has_a_headline_and_one_line_per_rule_with_marks() -> None:
    result = run(SCORED, {"industry": "SaaS", "tech": ["Slack"], "revenue": "$25M"})
    assert result.explain().splitlines() == [
        "default: fit (score 0, tier C)",
        "  ✓ industry in [SaaS] — industry SaaS is in [SaaS]",
        "  · +20 if tech has any [Salesforce, HubSpot]  [+0]"
        " — tech has none of [Salesforce, HubSpot]",
        "  ✓ +10 if revenue >= $20M  [+10] — revenue $25M is >= $20M",
        "  ✗ -10 if funding_stage is missing  [-10] — funding_stage is missing",
        "  ? +2.5 if partner  [+0] — partner is missing",
        "  ✗ tier A if score >= 30 — score 0 is not >= 30",
        "  ✗ tier B if score >= 10 — score 0 is not >= 10",
        "  ✓ tier C otherwise — tier C",
    ]


def test_rule_outcomes_carry_text_line_status_actual_expected_reason() -> None:
    result = run("\n# comment\nemployees 200..1000   # inclusive\n", {"employees": 150})
    [rule] = result.rules
    assert rule.rule == "employees 200..1000"
    assert (rule.line, rule.column) == (3, 1)
    assert rule.status == "fail"
    assert rule.actual == 150
    assert rule.expected == "employees 200..1000"
    assert rule.reason == "employees 150 is below 200..1000 (50 short)"
    assert rule.checks[0].gap == 50


def test_to_dict_is_json_ready() -> None:
    record = {
        "industry": "SaaS",
        "tech": {"HubSpot", "AWS"},
        "revenue": decimal.Decimal("2.5E7"),
        "founded": datetime.date(2020, 1, 1),
        "partner": object(),
        "funding_stage": math.inf,
    }
    data = run(SCORED, record).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["verdict"] == "fit" and data["fit"] is True and data["tier"] == "A"
    assert data["as_of"] == "2025-06-15"
    assert data["rules"][1]["actual"] == ["AWS", "HubSpot"]
    assert data["rules"][0] == {
        "rule": "industry in [SaaS]",
        "kind": "criterion",
        "status": "pass",
        "actual": "SaaS",
        "expected": "industry in [SaaS]",
        "reason": "industry SaaS is in [SaaS]",
        "line": 2,
        "column": 1,
        "file": "<string>",
        "points": None,
        "label": None,
        "where": None,
        "checks": [
            {
                "field": "industry",
                "status": "pass",
                "actual": "SaaS",
                "expected": "in [SaaS]",
                "reason": "industry SaaS is in [SaaS]",
                "gap": None,
            }
        ],
    }


def test_document_result_to_dict_names_the_best_profile() -> None:
    doc = icpdsl.loads('profile "A" { x }\nprofile "B" { y }')
    data = doc.evaluate({"x": False, "y": True}, as_of=AS_OF).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["best"] == "B"
    assert set(data["results"]) == {"A", "B"}


def test_verdict_is_a_str_enum() -> None:
    result = run("x", {"x": True})
    assert isinstance(result.verdict, str)
    assert result.verdict == "fit" and str(result.verdict) == "fit"
    assert f"{result.verdict}" == "fit"
    assert [v.value for v in Verdict] == ["disqualified", "not_fit", "unknown", "fit"]


def test_huge_numbers_are_explained_not_raised() -> None:
    result = run("revenue <= 1.5", {"revenue": 10**5000})
    assert result.rules[0].reason == "revenue 1e+5000 is not <= 1.5"
    json.dumps(result.to_dict())


ISSUE_PROFILE = """
profile "Mid-market SaaS security" {
  industry in [SaaS, "B2B Software"]
  employees 200..1000            # inclusive range
  revenue >= $10M                # k, M, B suffixes; optional $; 1_000 digits
  country not in [RU, KP]
  hq.country in [US, CA]         # dotted paths reach nested records
  tech has any [Salesforce, HubSpot]
  tech has all [Slack, Notion]
  tech has Okta
  require has_security_owner     # a bare field is a boolean test
  require cloud_stack == modern
  employees >= 50 and (industry in [Healthcare] or revenue > 5M)
  funding_stage is known         # also: is missing
  not is_competitor
  disqualify if requires on_prem: "needs on-prem deployment"
  +20 if tech has any [Salesforce, HubSpot]
  -10 if funding_stage is missing
  tier A if score >= 30
  tier B if score >= 10
  tier C otherwise
}
"""
ISSUE_ACCOUNT = {
    "industry": "B2B Software",
    "employees": 540,
    "revenue": "$12.5M",
    "country": "DE",
    "hq": {"country": "CA"},
    "tech": ["HubSpot", "Slack", "Notion", "Okta"],
    "has_security_owner": True,
    "cloud_stack": "Modern",
    "funding_stage": "Series B",
    "is_competitor": False,
    "requires": ["SSO"],
}


@pytest.mark.parametrize(
    ("change", "verdict", "score", "tier"),
    [
        ({}, "fit", 20, "B"),
        ({"tech": ["HubSpot", "Slack", "Notion"]}, "not_fit", 20, None),
        ({"requires": ["SSO", "on_prem"], "employees": 5}, "disqualified", 20, None),
        ({"funding_stage": None}, "not_fit", 10, None),
        ({"hq": {}}, "unknown", 20, None),
        ({"revenue": "n/a"}, "unknown", 20, None),
    ],
)
def test_the_issue_profile_evaluates_as_described(
    change: dict[str, Any], verdict: str, score: int, tier: str | None
) -> None:
    profile = icpdsl.loads(ISSUE_PROFILE).profiles["Mid-market SaaS security"]
    result = profile.evaluate({**ISSUE_ACCOUNT, **change}, as_of=AS_OF)
    assert (result.verdict, result.score, result.tier) == (verdict, score, tier)
    assert len(result.rules) == 19
    assert [r.line for r in result.rules] == list(range(3, 22))
