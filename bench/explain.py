"""Explanations at compiled speed: a profile with criteria, a disqualifier, points and
tiers, per account, against a hand-written function with the same semantics.

Run: `.venv/bin/python bench/explain.py [--accounts 20000] [--repeat 9] [--profile P]`

Four figures, each a median of interleaved passes (the baseline and icpdsl alternate,
so a busy machine's slow moments fall on both), as ratios to the hand-written function
measured in the same run:

- `profile.compile()(record)`: verdict, score and tier (target ≤ 1.3×), and the same
  generated function called as `compiled.score(record)`, without the object's call;
- every outcome's status read, `[o.status for o in compiled.evaluate(r).rules]`
  (target ≤ 8×);
- the same with every outcome's reason read as well (no target: reasons are written
  when read, so reading all of them costs the reference evaluator's work).

Before timing, the script checks that the hand-written function and icpdsl agree on
every account, and that the compiled outcomes equal the reference evaluator's.

`--profile without-lists` runs the same figures for the profile with its two `tech`
rules replaced by one on employees: a cheaper hand-written function, against which
the fixed cost of calling the compiled profile object weighs more.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import icpdsl
from bench.common import ratio_to, table
from icpdsl.evaluator import evaluate_profile

AS_OF = datetime.date(2025, 6, 15)
#: Nine rules: four criteria, a disqualifier, two points rules, two tiers.
ICP = """
industry in [SaaS, "B2B Software", Fintech]
employees 200..1000
country in [US, GB, DE, FR, NL]
tech has any [AWS, GCP, Azure]
disqualify if is_competitor
+20 if revenue >= $20M
+10 if tech has any [Okta, CrowdStrike]
tier A if score >= 20
tier B otherwise
"""
INDUSTRIES = frozenset({"saas", "b2b software", "fintech"})
COUNTRIES = frozenset({"us", "gb", "de", "fr", "nl"})
CLOUDS = frozenset({"aws", "gcp", "azure"})
SECURITY = frozenset({"okta", "crowdstrike"})


def hand_written(account: dict[str, Any]) -> tuple[str, int, str | None]:
    """What a careful engineer writes by hand for this profile: None-safe, text compared
    trimmed and case-insensitively, missing data unknown, points for every account."""
    get = account.get
    revenue, tech = get("revenue"), get("tech")
    keys = None if tech is None else {t.strip().casefold() for t in tech}
    score = 0
    if revenue is not None and revenue >= 20_000_000:
        score += 20
    if keys is not None and not SECURITY.isdisjoint(keys):
        score += 10
    if get("is_competitor") is True:
        return ("disqualified", score, None)
    industry, employees, country = get("industry"), get("employees"), get("country")
    unknown = False
    if industry is None:
        unknown = True
    elif industry.strip().casefold() not in INDUSTRIES:
        return ("not_fit", score, None)
    if employees is None:
        unknown = True
    elif not 200 <= employees <= 1000:
        return ("not_fit", score, None)
    if country is None:
        unknown = True
    elif country.strip().casefold() not in COUNTRIES:
        return ("not_fit", score, None)
    if keys is None:
        unknown = True
    elif CLOUDS.isdisjoint(keys):
        return ("not_fit", score, None)
    if unknown:
        return ("unknown", score, None)
    return ("fit", score, "A" if score >= 20 else "B")


#: The profile without list fields: three criteria, a disqualifier, two points rules,
#: two tiers.
WITHOUT_LISTS = """
industry in [SaaS, "B2B Software", Fintech]
employees 200..1000
country in [US, GB, DE, FR, NL]
disqualify if is_competitor
+20 if revenue >= $20M
+10 if employees >= 500
tier A if score >= 20
tier B otherwise
"""


def hand_written_without_lists(account: dict[str, Any]) -> tuple[str, int, str | None]:
    """`hand_written` for WITHOUT_LISTS."""
    get = account.get
    revenue, employees = get("revenue"), get("employees")
    score = 0
    if revenue is not None and revenue >= 20_000_000:
        score += 20
    if employees is not None and employees >= 500:
        score += 10
    if get("is_competitor") is True:
        return ("disqualified", score, None)
    industry, country = get("industry"), get("country")
    unknown = False
    if industry is None:
        unknown = True
    elif industry.strip().casefold() not in INDUSTRIES:
        return ("not_fit", score, None)
    if employees is None:
        unknown = True
    elif not 200 <= employees <= 1000:
        return ("not_fit", score, None)
    if country is None:
        unknown = True
    elif country.strip().casefold() not in COUNTRIES:
        return ("not_fit", score, None)
    if unknown:
        return ("unknown", score, None)
    return ("fit", score, "A" if score >= 20 else "B")


#: --profile: the ICP text, its hand-written function and its number of rules.
PROFILES: dict[str, tuple[str, Callable[[dict[str, Any]], tuple[str, int, str | None]], int]] = {
    "issue": (ICP, hand_written, 9),
    "without-lists": (WITHOUT_LISTS, hand_written_without_lists, 8),
}


def accounts(count: int, seed: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.05 else value

    tech = ["AWS", "GCP", "Azure", "Okta", "Slack", "CrowdStrike", "HubSpot"]
    return [
        {
            "industry": maybe(rng.choice(["SaaS", "Fintech", "B2B Software", "Retail", "saas "])),
            "employees": maybe(rng.randint(10, 3000)),
            "revenue": maybe(rng.randint(1, 100) * 1_000_000),
            "country": maybe(rng.choice(["US", "GB", "DE", "BR", "us"])),
            "tech": maybe(rng.sample(tech, rng.randint(0, 3))),
            "is_competitor": rng.random() < 0.02,
        }
        for _ in range(count)
    ]


def check(
    profile: icpdsl.Profile,
    by_hand: Callable[[dict[str, Any]], tuple[str, int, str | None]],
    records: list[dict[str, Any]],
) -> None:
    compiled = profile.compile(AS_OF)
    for record in records:
        verdict, score, tier = compiled(record)
        assert (verdict.value, score, tier) == by_hand(record), record
    for record in records[:2000]:
        reference = evaluate_profile(profile, record, AS_OF).to_dict()
        assert compiled.evaluate(record).to_dict() == reference, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="issue")
    args = parser.parse_args()
    text, by_hand, rule_count = PROFILES[args.profile]
    records = accounts(args.accounts)
    profile = icpdsl.loads(text).profile
    check(profile, by_hand, records)
    compiled = profile.compile(AS_OF)

    def each(function: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
        def run() -> None:
            for record in records:
                function(record)

        return run

    def statuses(record: dict[str, Any]) -> list[str]:
        return [o.status for o in compiled.evaluate(record).rules]

    def reasons(record: dict[str, Any]) -> list[str]:
        return [o.reason for o in compiled.evaluate(record).rules]

    baseline = each(by_hand)
    rows = []
    for name, function, target in [
        ("profile.compile()(record)", compiled, "≤ 1.3×"),
        ("profile.compile().score(record)", compiled.score, "-"),
        ("every outcome's status read", statuses, "≤ 8×"),
        ("every outcome's reason read", reasons, "-"),
    ]:
        seconds, ratio = ratio_to(each(function), baseline, args.repeat)
        rows.append([name, f"{seconds / len(records) * 1e9:,.0f}", f"{ratio:.2f}×", target])
    base_seconds, _ = ratio_to(baseline, baseline, args.repeat)
    rows.insert(0, ["hand-written function", f"{base_seconds / len(records) * 1e9:,.0f}", "1×", ""])
    print(
        f"{len(records):,} accounts, {rule_count} rules ({args.profile}); "
        f"median of {args.repeat} interleaved passes"
    )
    print(table(["per account", "ns", "vs hand-written", "target"], rows))


if __name__ == "__main__":
    main()
