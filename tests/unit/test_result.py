"""Results: verdicts, outcome text (✓ ✗ ?), JSON forms and the choice of the best profile."""

from __future__ import annotations

import datetime
import decimal
import json
import math
from typing import Any

import pytest

import icpdsl
from icpdsl import MISSING, DocumentResult, PredicateOutcome, Result, RuleOutcome, Verdict
from icpdsl.result import RuleInfo, format_value, json_value

DAY = datetime.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (MISSING, "missing"),
        (None, "missing"),
        (True, "true"),
        (1200, "1,200"),
        (-5, "-5"),
        (2.0, "2"),
        (2.5, "2.5"),
        (1234567.891, "1.23457e+06"),
        (math.inf, "inf"),
        (10**40, "1e+40"),
        (123456789 * 10**100, "1.23456e+108"),
        (-(10**500), "-1e+500"),
        (datetime.date(2020, 1, 2), "2020-01-02"),
        ("SaaS", "SaaS"),
        (["AWS", 5], "[AWS, 5]"),
        ({"b", "a"}, "[a, b]"),
        (decimal.Decimal("1.5"), "Decimal('1.5')"),
    ],
)
def test_format_value(value: Any, text: str) -> None:
    assert format_value(value) == text


@pytest.mark.parametrize(
    ("value", "data"),
    [
        (MISSING, None),
        (math.nan, "nan"),
        (-math.inf, "-inf"),
        (datetime.date(2020, 1, 2), "2020-01-02"),
        (datetime.datetime(2020, 1, 2, 3, 4), "2020-01-02T03:04:00"),
        ({"b", "a"}, ["a", "b"]),
        (("x", datetime.date(2020, 1, 1)), ["x", "2020-01-01"]),
        ({1: {"k": {2}}}, {"1": {"k": [2]}}),
        (10**500, "1e+500"),
        (2**63, 2**63),
        (object, repr(object)),
    ],
)
def test_json_value(value: Any, data: Any) -> None:
    assert json_value(value) == data
    json.dumps(json_value(value))


def outcome(
    status: str,
    kind: str = "criterion",
    points: int | None = None,
    checks: tuple[PredicateOutcome, ...] = (),
) -> RuleOutcome:
    info = RuleInfo("employees 200..1000", kind, "employees 200..1000", 3)  # type: ignore[arg-type]
    reason = "employees 150 is below 200..1000 (50 short)"
    return RuleOutcome(info, status, points, (150, reason, checks))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "mark"),
    [("pass", "✓"), ("clear", "✓"), ("fail", "✗"), ("fired", "✗"), ("unknown", "?"),
     ("skipped", "·")],
)  # fmt: skip
def test_marks(status: str, mark: str) -> None:
    assert outcome(status).mark == mark
    assert outcome(status).explain().startswith(f"{mark} employees 200..1000 — ")


def test_points_outcomes_show_the_points_gained() -> None:
    assert "[+10]" in outcome("pass", "points", points=10).explain()
    assert "[-10]" in outcome("pass", "points", points=-10).explain()
    assert "[+0]" in outcome("unknown", "points", points=0).explain()


def test_outcome_fields_and_to_dict() -> None:
    check = PredicateOutcome("employees", "fail", 150, "200..1000", "below", gap=50)
    rule = outcome("fail", checks=(check, PredicateOutcome("employees", "fail", 150, "x", "y")))
    assert rule.fields == ("employees",)
    data = rule.to_dict()
    assert data["checks"][0] == {
        "field": "employees",
        "status": "fail",
        "actual": 150,
        "expected": "200..1000",
        "reason": "below",
        "gap": 50,
    }
    assert (data["line"], data["file"], data["kind"]) == (3, "<string>", "criterion")


def result(profile: str, verdict: Verdict, score: float, *rules: RuleOutcome) -> Result:
    return Result(profile, verdict, score, None, tuple(rules), DAY)


def test_reasons_pick_the_outcomes_behind_the_verdict() -> None:
    fired = outcome("fired", "disqualifier")
    failed = outcome("fail")
    unknown = outcome("unknown")
    points = outcome("unknown", "points", points=0)
    assert result("P", Verdict.DISQUALIFIED, 0, failed, fired).reasons == [fired.reason]
    assert result("P", Verdict.NOT_FIT, 0, failed, unknown).reasons == [failed.reason]
    assert result("P", Verdict.UNKNOWN, 0, unknown, points).reasons == [unknown.reason]
    assert result("P", Verdict.FIT, 0, outcome("pass")).reasons == []


def test_result_explain_headline() -> None:
    plain = result("P", Verdict.NOT_FIT, 2.5, outcome("fail"))
    assert plain.explain().splitlines()[0] == "P: not_fit (score 2.5)"
    tiered = Result("P", Verdict.FIT, 1200, "A", (), DAY)
    assert tiered.explain() == "P: fit (score 1,200, tier A)"


def test_best_is_the_first_fit_and_none_without_a_fit() -> None:
    a = result("A", Verdict.NOT_FIT, 5)
    b = result("B", Verdict.FIT, 1)
    c = result("C", Verdict.FIT, 9)
    assert DocumentResult({"A": a, "B": b, "C": c}).best is b
    assert DocumentResult({"A": a, "B": b, "C": c}).closest is b
    d = result("D", Verdict.UNKNOWN, 5)
    e = result("E", Verdict.DISQUALIFIED, 7)
    assert DocumentResult({"A": a, "D": d, "E": e}).best is None  # no profile is named
    assert DocumentResult({}).best is None


def test_closest_without_a_fit_is_the_highest_score_then_the_better_verdict() -> None:
    a = result("A", Verdict.NOT_FIT, 5)
    d = result("D", Verdict.UNKNOWN, 5)
    e = result("E", Verdict.DISQUALIFIED, 7)
    assert DocumentResult({"A": a, "D": d, "E": e}).closest is e
    assert DocumentResult({"A": a, "D": d}).closest is d  # same score: unknown beats not_fit
    assert DocumentResult({}).closest is None
    assert DocumentResult({"A": a, "D": d}).to_dict() == {
        "best": None,
        "closest": "D",
        "results": {"A": a.to_dict(), "D": d.to_dict()},
    }


def test_document_result_is_a_read_only_collection() -> None:
    a = result("A", Verdict.FIT, 1, outcome("pass"))
    results = DocumentResult({"A": a})
    assert results["A"] is a and list(results) == [a] and len(results) == 1
    assert results.explain() == a.explain()
    assert results.to_dict()["best"] == "A"
    assert json.loads(json.dumps(results.to_dict())) == results.to_dict()


def test_verdict_values_and_precedence_order() -> None:
    assert Verdict("not_fit") is Verdict.NOT_FIT
    assert Verdict.FIT == "fit" and str(Verdict.DISQUALIFIED) == "disqualified"
    assert json.dumps({"v": Verdict.UNKNOWN}) == '{"v": "unknown"}'


def test_points_rules_say_applied_or_not_and_only_an_applied_penalty_is_a_cross() -> None:
    document = icpdsl.loads("industry in [SaaS]\n+10 if partner\n-20 if legacy\n+5 if owner")
    result = document.profile.evaluate({"industry": "SaaS", "partner": True, "legacy": True})
    statuses = [(o.rule, o.status, o.mark, o.points) for o in result.rules if o.kind == "points"]
    assert statuses == [
        ("+10 if partner", "applied", "✓", 10),
        ("-20 if legacy", "applied", "✗", -20),
        ("+5 if owner", "unknown", "?", 0),
    ]
    clear = document.profile.evaluate(
        {"industry": "SaaS", "partner": False, "legacy": False, "owner": False}
    )
    assert [(o.status, o.mark) for o in clear.rules[1:]] == [("not_applied", "·")] * 3
    assert "  · -20 if legacy  [+0] — legacy is false" in clear.explain().splitlines()
    compiled = document.profile.compile().evaluate({"industry": "SaaS", "legacy": False})
    assert [o.status for o in compiled.rules[1:]] == ["unknown", "not_applied", "unknown"]
