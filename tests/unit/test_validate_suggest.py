"""icpdsl.validate.suggest: patterns found where they are, and not where they are not."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest

import icpdsl
from icpdsl.validate.history import Account, History
from icpdsl.validate.suggest import field_kind, suggest

AS_OF = datetime.date(2025, 6, 1)


def history(records: list[tuple[dict[str, Any], bool]]) -> History:
    accounts = tuple(
        Account(n, f"a{n}", record, good, None) for n, (record, good) in enumerate(records, 1)
    )
    columns = tuple(dict.fromkeys(k for record, _ in records for k in record))
    return History("mem", "won", accounts, columns)


def planted(rows: int = 1500, seed: int = 7) -> History:
    """Good outcomes at 50% for 100..400 seats in retail or food, 5% elsewhere; a paid
    flag that doubles the odds; a noise column."""
    rng = random.Random(seed)
    records = []
    for _ in range(rows):
        seats = rng.randint(1, 1000)
        sector = rng.choice(["retail", "food", "energy", "media", "travel"])
        paid = rng.random() < 0.4
        tools = "; ".join(t for t in ("jira", "slack", "zoom") if rng.random() < 0.5)
        noise = rng.choice(["red", "green", "blue"])
        chance = 0.5 if 100 <= seats <= 400 and sector in ("retail", "food") else 0.05
        chance = min(0.95, chance * (2 if paid else 1))
        record = {"seats": seats, "sector": sector, "paid": paid, "tools": tools, "colour": noise}
        records.append((record, rng.random() < chance))
    return history(records)


@pytest.fixture(scope="module")
def found() -> Any:
    return suggest(planted(), as_of=AS_OF)


def test_recovers_the_planted_range_and_values(found: Any) -> None:
    by_field = {f.field: f for f in found.findings}
    assert by_field["sector"].condition == "sector in [food, retail]"
    assert by_field["sector"].decision == "criterion"
    seats = by_field["seats"]
    assert seats.decision == "criterion"
    low, high = seats.condition.removeprefix("seats ").split("..")
    assert 85 <= float(low) <= 115 and 360 <= float(high) <= 440


def test_a_weaker_signal_becomes_points_and_noise_no_rule(found: Any) -> None:
    by_field = {f.field: f for f in found.findings}
    assert by_field["paid"].condition == "paid"
    assert by_field["paid"].decision == "points" and by_field["paid"].points > 0
    assert by_field["colour"].decision == "none"
    assert by_field["tools"].decision == "none"


def test_the_draft_loads_and_its_figures_are_honest(found: Any) -> None:
    profile = icpdsl.loads(found.text).profile
    seats = next(f for f in found.findings if f.field == "seats")
    assert [r.text for r in profile.criteria] == [seats.condition, "sector in [food, retail]"]
    assert "# No rule:" in found.text and "colour" in found.text
    fit = [a for a in found.history.accounts if profile.evaluate(a.record, as_of=AS_OF).fit]
    assert found.fit_accounts == len(fit)
    assert found.fit_rate == pytest.approx(sum(a.good for a in fit) / len(fit))
    assert f"fit {len(fit):,} of these accounts" in found.text
    assert icpdsl.format(found.text) == found.text


def test_minimum_support_keeps_tiny_segments_out() -> None:
    rng = random.Random(3)
    records = [({"plan": "enterprise"}, True) for _ in range(8)]
    records += [({"plan": rng.choice(["free", "team"])}, rng.random() < 0.1) for _ in range(400)]
    result = suggest(history(records), min_support=30, as_of=AS_OF)
    [plan] = result.findings
    assert plan.decision == "none"
    assert "1 values with fewer than 10 accounts not judged" in plan.note
    result = suggest(history(records), min_support=5, as_of=AS_OF)
    assert result.findings[0].condition == "plan in [enterprise]"


def test_pure_noise_makes_no_rules() -> None:
    rng = random.Random(11)
    records = [
        ({"size": rng.randint(1, 5000), "region": rng.choice("ABCDEFG")}, rng.random() < 0.2)
        for _ in range(2000)
    ]
    result = suggest(history(records), as_of=AS_OF)
    assert [f.decision for f in result.findings] == ["none", "none"]
    assert "no criterion found" in result.text
    icpdsl.loads(result.text)


def test_field_names_and_values_are_quoted_when_needed() -> None:
    records = [
        ({"Deal Region": "North America" if i % 2 else "EMEA"}, i % 2 == 1) for i in range(200)
    ]
    result = suggest(history(records), as_of=AS_OF)
    assert result.findings[0].condition == '`Deal Region` in ["North America"]'
    doc = icpdsl.loads(result.text)
    assert doc.profile.evaluate({"Deal Region": "north america"}).fit


def test_a_list_item_that_lowers_the_outcome_gets_negative_points() -> None:
    rng = random.Random(5)
    records = []
    for _ in range(1500):
        legacy = rng.random() < 0.4
        records.append(
            ({"tech": "Oracle; AWS" if legacy else "AWS"}, rng.random() < (0.05 if legacy else 0.3))
        )
    [tech] = suggest(history(records), as_of=AS_OF).findings
    assert tech.condition == "tech has Oracle"
    assert tech.decision == "points" and tech.points is not None and tech.points < 0


def test_a_list_item_only_lost_deals_have_gets_negative_points_not_a_crash() -> None:
    rng = random.Random(6)
    records = []
    for _ in range(600):
        legacy = rng.random() < 0.3
        won = not legacy and rng.random() < 0.4
        records.append(({"tech": "Oracle; AWS" if legacy else "AWS"}, won))
    [tech] = suggest(history(records), as_of=AS_OF).findings  # log(0) raised ValueError
    assert tech.condition == "tech has Oracle" and tech.lift == 0
    assert tech.decision == "points" and tech.points is not None and tech.points < 0


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([1, 2.5, 3], "number"),
        ([True, False] * 10 + ["n/a"], "bool"),
        (["a; b", "c"], "list"),
        ([["a"], ["b"]], "list"),
        (["x", "y", "x"], "category"),
        ([f"id{i}" for i in range(100)], None),
        ([datetime.date(2020, 1, 1)], "date"),
        (["2020-01-01", "2021-05-06"], "date"),
        ([], None),
    ],
)
def test_field_kind(values: list[Any], kind: str | None) -> None:
    assert field_kind(values) == kind


def test_recent_dates_become_a_within_window() -> None:
    rng = random.Random(9)
    records = []
    for _ in range(1500):
        days = rng.randint(0, 1500)
        funded = AS_OF - datetime.timedelta(days=days)
        text = funded.isoformat() if rng.random() < 0.5 else funded  # JSON text or a date
        records.append(({"funded": text}, rng.random() < (0.5 if days <= 365 else 0.1)))
    [funded] = suggest(history(records), as_of=AS_OF).findings
    assert funded.kind == "date" and funded.decision == "criterion"
    assert funded.condition is not None
    months = int(funded.condition.removeprefix("funded within ").removesuffix(" months"))
    assert 11 <= months <= 14
    draft = icpdsl.loads(suggest(history(records), as_of=AS_OF).text).profile
    assert draft.evaluate({"funded": AS_OF - datetime.timedelta(days=100)}, as_of=AS_OF).fit


def test_old_dates_become_a_date_range() -> None:
    rng = random.Random(4)
    records = []
    for _ in range(1500):
        founded = datetime.date(1980, 1, 1) + datetime.timedelta(days=rng.randint(0, 40 * 365))
        good = rng.random() < (0.45 if founded < datetime.date(2000, 1, 1) else 0.08)
        records.append(({"founded": founded}, good))
    [founded] = suggest(history(records), as_of=AS_OF).findings
    assert founded.condition is not None and founded.condition.startswith("founded ..")
    high = datetime.date.fromisoformat(founded.condition.removeprefix("founded .."))
    assert abs((high - datetime.date(2000, 1, 1)).days) < 400
