"""icpdsl.testing: example records, the examples runner, assert_* helpers and rule coverage."""

from __future__ import annotations

import datetime

import pytest

import icpdsl
from icpdsl import ICPCheckError, Verdict
from icpdsl.testing import (
    CoverageTracker,
    assert_disqualified,
    assert_fit,
    assert_not_fit,
    assert_tier,
    assert_unknown,
    assert_verdict,
    record_from_literal,
    run_examples,
)

AS_OF = datetime.date(2025, 6, 30)

PROFILE = """\
define cloud = tech has any [AWS, GCP]

profile "Mid-market SaaS" {
  industry in [SaaS]
  employees 200..1000
  require cloud
  disqualify if requires on_prem: "needs on-prem"

  +20 if revenue >= $20M
  +10 if last_funding within 18 months
  tier A if score >= 30
  tier B if score >= 10
  tier C otherwise

  examples {
    fit "typical buyer" { industry: SaaS, employees: 540, tech: [AWS], requires: [] } tier C
    not_fit "too small" { industry: SaaS, employees: 40, tech: [AWS] } because employees
    disqualified { industry: SaaS, employees: 500, requires: [on_prem] } because requires
    unknown { industry: SaaS, tech: [GCP] } because employees
    tier A {
      industry: SaaS, employees: 1_000, tech: [GCP]
      revenue: $25M
      last_funding: 6 months
    } score 30
    not_fit "no cloud" { industry: SaaS, employees: 300, tech: [Azure] } because cloud, tech
  }
}
"""


@pytest.fixture(scope="module")
def profile() -> icpdsl.Profile:
    return icpdsl.loads(PROFILE, "saas.icp").profile


def _example_record(text: str) -> dict[str, object]:
    document = icpdsl.loads(f"x 1..\nexamples {{\n  fit {text}\n}}\n")
    return record_from_literal(document.profile.examples[0].record, AS_OF)


# ---------------------------------------------------------------- example records


def test_record_literals_use_the_language_values() -> None:
    record = _example_record(
        "{ n: 1_200, money: $12.5M, pct: 30%, day: 2024-02-29, yes: true, gone: null, "
        'word: SaaS, text: "B2B Software", tags: [a, "b c", 3], hq: { country: US }, '
        "`Annual Revenue`: $1M, ago: 6 months }"
    )
    assert record == {
        "n": 1200,
        "money": 12_500_000,
        "pct": 0.3,
        "day": datetime.date(2024, 2, 29),
        "yes": True,
        "gone": None,
        "word": "SaaS",
        "text": "B2B Software",
        "tags": ["a", "b c", 3],
        "hq": {"country": "US"},
        "Annual Revenue": 1_000_000,
        "ago": datetime.date(2024, 12, 30),  # a duration means that long before as_of
    }


def test_records_may_span_lines_with_or_without_commas() -> None:
    assert _example_record("{\n    a: 1\n    b: [x,\n      y],\n    c: { d: 2\n    }\n  }") == {
        "a": 1,
        "b": ["x", "y"],
        "c": {"d": 2},
    }


def test_keywords_can_be_record_keys() -> None:
    assert _example_record("{ tier: A, score: 3, fit: true, in: 1, because: 2 }") == {
        "tier": "A",
        "score": 3,
        "fit": True,
        "in": 1,
        "because": 2,
    }


def test_a_field_given_twice_is_a_located_error() -> None:
    document = icpdsl.loads("x 1..\nexamples {\n  fit { a: 1, a: 2 }\n}\n", "dup.icp")
    with pytest.raises(ICPCheckError) as caught:
        record_from_literal(document.profile.examples[0].record, AS_OF, "dup.icp")
    assert str(caught.value).startswith(
        "dup.icp:3:7: ICP040 field 'a' is given twice in this example record"
    )


def test_an_open_range_at_the_end_of_a_line_does_not_swallow_the_next_line() -> None:
    profile = icpdsl.loads("employees 200..\nhas_owner\n").profile
    assert [rule.text for rule in profile.rules] == ["employees 200..", "has_owner"]


def test_example_options_parse_in_any_order() -> None:
    examples = icpdsl.loads(
        "x 1..\ntier A if score >= 0\nexamples {\n  fit { x: 1 } score 0 tier A\n"
        '  tier "A" { x: 2 }\n  not_fit "n" { x: 0 } because x, y.z\n}\n'
    ).profile.examples
    assert [(e.verdict, e.tier, e.name) for e in examples] == [
        ("fit", "A", None),
        ("fit", "A", None),
        ("not_fit", None, "n"),
    ]
    assert [p.name for p in examples[2].because] == ["x", "y.z"]


# ---------------------------------------------------------------- the runner


def test_every_example_of_the_profile_passes(profile: icpdsl.Profile) -> None:
    runs = run_examples(profile, as_of=AS_OF)
    assert [(r.name, r.passed) for r in runs] == [
        ("typical buyer", True),
        ("too small", True),
        ("disqualified (line 18)", True),
        ("unknown (line 19)", True),
        ("tier A (line 20)", True),
        ("no cloud", True),
    ], "\n\n".join(r.report() for r in runs if not r.passed)
    assert runs[1].test_id == "saas.icp::Mid-market SaaS::too small"


def _run(body: str, examples: str) -> list[icpdsl.testing.ExampleRun]:
    text = f'profile "P" {{\n{body}\n  examples {{\n{examples}\n  }}\n}}\n'
    return run_examples(icpdsl.loads(text, "p.icp"), as_of=AS_OF)


def test_a_wrong_verdict_reports_expected_beside_actual_with_the_explanation() -> None:
    [run] = _run("  employees 200..1000", '    fit "small" { employees: 40 }')
    assert not run.passed
    assert run.failures == ("expected verdict fit, got not_fit",)
    assert run.report() == (
        'p.icp:4: example "small" of profile "P"\n'
        "  expected: fit\n"
        "  actual:   not_fit (score 0)\n"
        "  - expected verdict fit, got not_fit\n"
        '  record: {"employees": 40}\n'
        "  explanation:\n"
        "    P: not_fit (score 0)\n"
        "      ✗ employees 200..1000 — employees 40 is below 200..1000 (160 short)"
    )


def test_because_must_name_a_field_that_decided_the_verdict() -> None:
    body = "  industry in [SaaS] and employees 200..1000"
    [wrong, right] = _run(
        body,
        "    not_fit { industry: Fintech, employees: 500 } because employees\n"
        "    not_fit { industry: Fintech, employees: 500 } because industry",
    )
    assert right.passed
    assert wrong.failures == (
        "expected not_fit because employees, but employees does not decide it; "
        "the deciding rules are:\n"
        "    ✗ industry in [SaaS] and employees 200..1000 — industry Fintech is not in [SaaS]",
    )


def test_because_follows_or_and_not() -> None:
    runs = _run(
        "  employees > 100 or revenue > $1M\n  not (country in [RU])",
        "    not_fit { employees: 5, revenue: 10 } because employees, revenue\n"
        "    not_fit { employees: 500, country: RU } because country\n"
        "    not_fit { employees: 500, country: RU } because employees",
    )
    assert [r.passed for r in runs] == [True, True, False]


def test_tier_and_score_mismatches_are_each_reported() -> None:
    [run] = _run(
        "  x 1..\n  +5 if x > 10\n  tier A if score >= 10\n  tier B otherwise",
        "    fit { x: 20 } tier A score 10",
    )
    assert run.failures == ("expected tier A, got B", "expected score 10, got 5")


def test_an_unknown_tier_name_gets_a_hint() -> None:
    [run] = _run("  x 1..\n  tier A otherwise", "    tier Gold { x: 1 }")
    assert run.failures == (
        "expected tier Gold, got A (the profile has no tier Gold; its tiers: A)",
    )


def test_duplicate_example_names_get_their_line() -> None:
    runs = _run("  x 1..", '    fit "same" { x: 1 }\n    fit "same" { x: 2 }')
    assert [r.name for r in runs] == ["same", "same (line 5)"]


# ---------------------------------------------------------------- assertions


def test_assertions_pass_and_return_the_result(profile: icpdsl.Profile) -> None:
    account = {"industry": "SaaS", "employees": 540, "tech": ["AWS"], "revenue": 30_000_000}
    assert assert_fit(profile, account, as_of=AS_OF).score == 20
    assert_tier(profile, account, "B", as_of=AS_OF)
    assert_not_fit(profile, {**account, "employees": 40}, because="employees", as_of=AS_OF)
    assert_disqualified(profile, {**account, "requires": ["on_prem"]}, as_of=AS_OF)
    assert_unknown(profile, {"industry": "SaaS", "tech": ["AWS"]}, because=["employees"])
    assert_verdict(profile, account, "fit", tier="B", score=20, as_of=AS_OF)


def test_a_failing_assertion_explains_itself(profile: icpdsl.Profile) -> None:
    account = {"industry": "SaaS", "employees": 5000, "tech": ["AWS"]}
    with pytest.raises(AssertionError) as caught:
        assert_fit(profile, account, as_of=AS_OF)
    assert str(caught.value) == (
        "expected fit, got not_fit (score 0)\n"
        "- expected verdict fit, got not_fit\n"
        "Mid-market SaaS: not_fit (score 0)\n"
        "  ✓ industry in [SaaS] — industry SaaS is in [SaaS]\n"
        "  ✗ employees 200..1000 — employees 5,000 is above 200..1000 (4,000 over)\n"
        "  ✓ require cloud — tech has AWS (where cloud = tech has any [AWS, GCP])\n"
        '  ? disqualify if requires on_prem: "needs on-prem" — requires is missing\n'
        "  ? +20 if revenue >= $20M  [+0] — revenue is missing\n"
        "  ? +10 if last_funding within 18 months  [+0] — last_funding is missing\n"
        "  · tier A if score >= 30 — only fitting accounts get a tier\n"
        "  · tier B if score >= 10 — only fitting accounts get a tier\n"
        "  · tier C otherwise — only fitting accounts get a tier"
    )


def test_assert_not_fit_checks_the_reason(profile: icpdsl.Profile) -> None:
    account = {"industry": "Fintech", "employees": 500, "tech": ["AWS"]}
    with pytest.raises(AssertionError, match="because employees, but employees does not"):
        assert_not_fit(profile, account, because="employees", as_of=AS_OF)


def test_assertions_accept_a_one_profile_document() -> None:
    assert_not_fit(icpdsl.loads("employees 200..1000"), {"employees": 5}, because="employees")


def test_an_unknown_verdict_is_a_value_error(profile: icpdsl.Profile) -> None:
    with pytest.raises(ValueError, match="unknown verdict 'great'"):
        assert_verdict(profile, {}, "great")


def test_assert_verdict_takes_the_enum(profile: icpdsl.Profile) -> None:
    assert_verdict(profile, {"industry": "Fintech"}, Verdict.NOT_FIT, because="industry")


# ---------------------------------------------------------------- coverage


def test_coverage_counts_each_way_each_rule_went(profile: icpdsl.Profile) -> None:
    tracker = CoverageTracker()
    for run in run_examples(profile, as_of=AS_OF):
        assert run.result is not None
        tracker.record(run.profile, run.result)
    report = tracker.report()
    [covered] = report.profiles
    missing = {r.text: r.missing for r in covered.rules if not r.covered}
    assert missing == {
        "industry in [SaaS]": ("fail",),
        "+20 if revenue >= $20M": ("not_applied",),  # missing revenue is unknown, not a miss
        "+10 if last_funding within 18 months": ("not_applied",),
        "tier B if score >= 10": ("pass",),
    }
    assert (covered.exercised, covered.total) == (13, 17)
    assert report.percent == 76.5
    assert covered.format().splitlines()[:3] == [
        "saas.icp: Mid-market SaaS: 76.5% (13/17 outcomes, 6 examples)",
        "  ✗ line 4    industry in [SaaS]  [pass]  (never fail)",
        "  ✓ line 5    employees 200..1000  [pass, fail]",
    ]


def test_a_profile_without_examples_has_no_coverage() -> None:
    tracker = CoverageTracker()
    tracker.add_profile(icpdsl.loads("employees 200..1000\ntier A otherwise").profile)
    report = tracker.report()
    assert report.percent == 0.0
    assert [r.ways for r in report.profiles[0].rules] == [("pass", "fail"), ("pass",)]


def test_inherited_rules_are_covered_by_the_base_examples_too() -> None:
    document = icpdsl.loads(
        'profile "Base" {\n  employees 200..1000\n  examples {\n'
        "    fit { employees: 300 }\n    not_fit { employees: 3 }\n  }\n}\n"
        'profile "Child" extends "Base" {\n  industry in [SaaS]\n  examples {\n'
        "    fit { employees: 300, industry: SaaS }\n    not_fit { employees: 300, industry: X }\n"
        "  }\n}\n"
    )
    tracker = CoverageTracker()
    for run in run_examples(document, as_of=AS_OF):
        assert run.passed and run.result is not None
        tracker.record(run.profile, run.result)
    assert [p.percent for p in tracker.report().profiles] == [100.0, 100.0]


def test_an_empty_run_has_nothing_to_cover_not_full_coverage() -> None:
    report = CoverageTracker().report()
    assert (report.total, report.percent) == (0, None)
    assert report.to_dict() == {"exercised": 0, "total": 0, "percent": None, "profiles": []}
    assert report.format() == "rule coverage: nothing to cover (no profile has rules)"
    unloaded = "rule coverage: nothing to cover (2 files could not be loaded)"
    assert report.format(unloaded=2) == unloaded


def test_because_for_a_fit_names_criteria_and_the_chosen_tier() -> None:
    runs = _run(
        "  industry in [SaaS]\n  +10 if revenue > $1M\n  tier A if score >= 10 and employees > 50\n"
        "  tier B otherwise",
        "    fit { industry: SaaS, revenue: $2M, employees: 60 }"
        " because industry, score, employees\n"
        "    tier B { industry: SaaS, revenue: $2M, employees: 10 } because revenue",
    )
    assert runs[0].passed
    assert runs[1].failures == (
        "expected fit because revenue, but revenue does not decide it; the deciding rules are:\n"
        "    ✓ industry in [SaaS] — industry SaaS is in [SaaS]\n"
        "    ✓ tier B otherwise — tier B",
    )
