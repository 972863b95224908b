"""icpdsl.validate.metrics: exact figures on a small history whose outcomes are known."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import icpdsl
from icpdsl.validate.classes import value_classes
from icpdsl.validate.history import Account, History
from icpdsl.validate.metrics import validate

AS_OF = datetime.date(2025, 6, 1)

PROFILE = """\
profile "P" {
  industry in [SaaS]
  disqualify if is_competitor: "competitor"
  +10 if tech has Slack
  tier A if score >= 10
  tier B otherwise
}
"""


def history(groups: list[tuple[dict[str, Any], int, int]], value: bool = True) -> History:
    """`groups`: (record, accounts, good ones); good accounts get values 1000, 999, ..."""
    accounts: list[Account] = []
    for record, count, good in groups:
        for index in range(count):
            number = len(accounts) + 1
            won = index < good
            worth = float(2000 - number) if won and value else None
            accounts.append(Account(number, f"a{number}", dict(record), won, worth))
    return History("mem", "won", tuple(accounts), ("industry",), "acv" if value else None)


SAAS_SLACK = {"industry": "SaaS", "tech": "Slack", "is_competitor": False}
SAAS = {"industry": "SaaS", "tech": "Zoom", "is_competitor": False}
RETAIL = {"industry": "Retail", "tech": "Zoom", "is_competitor": False}
BLANK = {"is_competitor": False}
GROUPS = [(SAAS_SLACK, 18, 12), (SAAS, 12, 6), (RETAIL, 24, 3), (BLANK, 6, 3)]


@pytest.fixture(scope="module")
def stats() -> Any:
    return validate(icpdsl.loads(PROFILE), history(GROUPS), as_of=AS_OF)


def test_base_rate(stats: Any) -> None:
    assert stats.base_rate == pytest.approx(24 / 60)
    assert stats.base_interval[0] < 0.4 < stats.base_interval[1]


def test_groups_by_verdict_and_tier(stats: Any) -> None:
    profile = stats.profiles[0]
    names = [g.name for g in profile.groups]
    assert names == ["all", "fit", "unknown", "not_fit", "disqualified", "tier A", "tier B"]
    fit = profile.group("fit")
    assert (fit.accounts, fit.good) == (30, 18)
    assert fit.share == pytest.approx(0.5)
    assert fit.rate == fit.precision == pytest.approx(0.6)
    assert fit.lift == pytest.approx(1.5)
    assert fit.recall == pytest.approx(18 / 24)
    assert fit.lift_interval == pytest.approx(
        (fit.rate_interval[0] / 0.4, fit.rate_interval[1] / 0.4)
    )
    unknown = profile.group("unknown")
    assert (unknown.accounts, unknown.good, unknown.recall) == (6, 3, pytest.approx(3 / 24))
    not_fit = profile.group("not_fit")
    assert (not_fit.accounts, not_fit.good) == (24, 3)
    assert profile.group("disqualified").accounts == 0
    assert profile.group("disqualified").rate is None
    assert (profile.group("tier A").accounts, profile.group("tier A").good) == (18, 12)
    assert (profile.group("tier B").accounts, profile.group("tier B").good) == (12, 6)


def test_value_per_account_counts_blank_values_as_zero(stats: Any) -> None:
    fit = stats.profiles[0].group("fit")
    values = [2000 - n for n in range(1, 13)] + [2000 - n for n in range(19, 25)]
    assert fit.value_per_account == pytest.approx(sum(values) / 30)


def test_value_classes_and_capture(stats: Any) -> None:
    classes = stats.classes
    # 24 valued accounts: ceil(2.4) = 3 in Class 1, 3 in Class 2, 18 in Class 3
    assert classes.counts == (3, 3, 18)
    assert classes.floors == (2000 - 3, 2000 - 6)
    fit = stats.profiles[0].group("fit")
    assert fit.class1_capture == 1.0  # the three most valuable are SaaS with Slack
    assert stats.profiles[0].group("not_fit").class1_capture == 0.0


def test_rule_figures(stats: Any) -> None:
    rules = {r.rule: r for r in stats.profiles[0].rules}
    industry = rules["industry in [SaaS]"]
    assert (industry.holds.accounts, industry.holds.good) == (30, 18)
    assert (industry.not_holds.accounts, industry.not_holds.good) == (24, 3)
    assert industry.unknown.accounts == 6
    assert industry.lift == pytest.approx(0.6 / 0.125)
    assert industry.difference == pytest.approx(0.6 - 0.125)
    assert industry.judgement == "carries"
    assert industry.only_blocker is not None
    assert (industry.only_blocker.accounts, industry.only_blocker.good) == (24, 3)
    slack = rules["+10 if tech has Slack"]
    assert (slack.holds.accounts, slack.not_holds.accounts, slack.unknown.accounts) == (18, 36, 6)
    assert slack.points == 10
    assert slack.points_check == "agree"
    competitor = rules['disqualify if is_competitor: "competitor"']
    assert competitor.direction == -1
    assert competitor.judgement == "too few accounts"  # it never fired


def test_a_rule_that_works_against_the_outcome() -> None:
    groups = [(SAAS_SLACK, 30, 3), (SAAS, 30, 20), (RETAIL, 30, 3)]
    stats = validate(icpdsl.loads(PROFILE), history(groups), as_of=AS_OF)
    slack = next(r for r in stats.profiles[0].rules if r.points is not None)
    assert slack.judgement == "works against"
    assert slack.points_check == "disagree"


def test_a_rule_that_adds_nothing() -> None:
    groups = [(SAAS_SLACK, 30, 10), (SAAS, 30, 10), (RETAIL, 30, 3)]
    stats = validate(icpdsl.loads(PROFILE), history(groups), as_of=AS_OF)
    slack = next(r for r in stats.profiles[0].rules if r.points is not None)
    assert slack.judgement == "adds nothing"
    assert slack.points_check == "unclear"


def test_score_distribution(stats: Any) -> None:
    bins = stats.profiles[0].score_bins
    assert [(b.label, b.good, b.bad) for b in bins] == [("0", 12, 30), ("10", 12, 6)]


def test_without_a_value_column_there_are_no_classes() -> None:
    stats = validate(icpdsl.loads(PROFILE), history(GROUPS, value=False), as_of=AS_OF)
    assert stats.classes is None
    fit = stats.profiles[0].group("fit")
    assert fit.class1_capture is None and fit.value_per_account is None


def test_profile_without_disqualifiers_has_no_disqualified_group() -> None:
    text = 'profile "Q" {\n  industry in [SaaS]\n}\n'
    stats = validate(icpdsl.loads(text), history(GROUPS), as_of=AS_OF)
    assert [g.name for g in stats.profiles[0].groups] == ["all", "fit", "unknown", "not_fit"]
    assert stats.profiles[0].score_bins == ()


def test_value_classes_ties_go_by_input_order() -> None:
    accounts = [Account(n, str(n), {}, True, 5.0) for n in range(1, 11)]
    classes = value_classes(accounts)
    assert classes.counts == (1, 1, 8)
    assert classes.of(accounts[0]) == 1 and classes.of(accounts[1]) == 2
    assert classes.of(Account(99, "x", {}, False, None)) is None


def test_a_rule_nobody_passes_with_a_good_outcome_keeps_its_lift_inside_the_interval() -> None:
    groups = [(SAAS_SLACK, 12, 0), (SAAS, 30, 15), (RETAIL, 20, 2)]
    stats = validate(icpdsl.loads(PROFILE), history(groups), as_of=AS_OF)
    slack = next(r for r in stats.profiles[0].rules if r.points is not None)
    assert slack.lift == 0.0
    assert slack.lift_interval is not None
    assert slack.lift_interval[0] == 0.0 < slack.lift_interval[1]
    assert slack.judgement == "works against"
