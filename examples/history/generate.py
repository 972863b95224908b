"""Write a synthetic deal history whose true ICP is known: examples/history/deals.csv.

Every account gets firmographics drawn from fixed distributions, then an outcome drawn
from a *planted* rule (the one `planted.icp` writes down):

* an account is "in the ICP" when it is in SaaS or Fintech, has 200..1000 employees
  and is based in the US, GB, DE or CA;
* its chance of being won depends on how many of those three conditions it meets:
  2% (none), 5% (one), 12% (two), 40% (all three), and using Salesforce multiplies
  the chance by 1.6 (capped at 95%);
* a won deal has an ACV (annual contract value) drawn from a log-normal around
  $9k + $60 per employee, 2.5 times higher inside the ICP; a lost deal has no ACV.

Some cells are blank on purpose (5% of `employees`, 3% of `industry`, 15% of
`funding_stage`), as in a real CRM export, so the cost of missing data shows.
The generator uses only the standard library and a fixed seed, so the same command
always writes the same file:

    python examples/history/generate.py                  # 3,000 rows → deals.csv
    python examples/history/generate.py --rows 500 --seed 7 -o /tmp/deals.csv
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: The planted ICP (what `planted.icp` says, and what `icp suggest` should recover).
ICP_INDUSTRIES = ("SaaS", "Fintech")
ICP_EMPLOYEES = (200, 1000)
ICP_COUNTRIES = ("US", "GB", "DE", "CA")
WIN_RATE_BY_MATCHES = (0.02, 0.05, 0.12, 0.40)
SALESFORCE_MULTIPLIER = 1.6

INDUSTRIES = {
    "SaaS": 25,
    "Fintech": 15,
    "Healthcare": 12,
    "Retail": 12,
    "Manufacturing": 12,
    "Education": 8,
    "Media": 8,
    "Logistics": 8,
}
COUNTRIES = {
    "US": 38,
    "GB": 10,
    "DE": 8,
    "CA": 6,
    "FR": 7,
    "BR": 7,
    "IN": 9,
    "AU": 5,
    "JP": 5,
    "MX": 5,
}
TECH = {
    "Salesforce": 0.35,
    "HubSpot": 0.30,
    "Slack": 0.55,
    "AWS": 0.50,
    "GCP": 0.20,
    "Okta": 0.25,
    "Snowflake": 0.15,
    "Zendesk": 0.20,
}
STAGES = ("Seed", "Series_A", "Series_B", "Series_C", "Public")
_SYLLABLES = ("ac", "bel", "cor", "dyn", "el", "fin", "gra", "hex", "io", "jun", "kor", "lum")
_SUFFIXES = ("Labs", "Systems", "Cloud", "Works", "Group", "Analytics", "Health", "Logic")

COLUMNS = ["id", "name", "industry", "employees", "country", "tech", "funding_stage"]
COLUMNS += ["won", "acv"]


def in_icp(industry: str | None, employees: int | None, country: str) -> tuple[bool, ...]:
    """The three planted conditions, each True, False or (when data is blank) False."""
    return (
        industry in ICP_INDUSTRIES,
        employees is not None and ICP_EMPLOYEES[0] <= employees <= ICP_EMPLOYEES[1],
        country in ICP_COUNTRIES,
    )


def account(rng: random.Random, number: int) -> dict[str, Any]:
    """One account with its outcome, drawn from the planted model."""
    industry = _pick(rng, INDUSTRIES)
    employees = max(2, round(math.exp(rng.gauss(math.log(320), 1.25))))
    country = _pick(rng, COUNTRIES)
    tech = [name for name, share in TECH.items() if rng.random() < share]
    matches = sum(in_icp(industry, employees, country))
    chance = WIN_RATE_BY_MATCHES[matches]
    if "Salesforce" in tech:
        chance = min(0.95, chance * SALESFORCE_MULTIPLIER)
    won = rng.random() < chance
    acv = None
    if won:
        typical = (9_000 + 60 * min(employees, 5_000)) * (2.5 if matches == 3 else 1.0)
        acv = int(round(typical * math.exp(rng.gauss(0, 0.45)), -2))
    name = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
    return {
        "id": f"A{number:05d}",
        "name": f"{name} {rng.choice(_SUFFIXES)}",
        "industry": None if rng.random() < 0.03 else industry,
        "employees": None if rng.random() < 0.05 else employees,
        "country": country,
        "tech": "; ".join(tech),
        "funding_stage": None if rng.random() < 0.15 else rng.choice(STAGES),
        "won": "true" if won else "false",
        "acv": acv,
    }


def generate(rows: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [account(rng, number) for number in range(1, rows + 1)]


def write(records: list[dict[str, Any]], out: Any) -> None:
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000, help="accounts (default: 3000)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default: 2024)")
    parser.add_argument("-o", "--output", default=str(HERE / "deals.csv"), help="- for stdout")
    args = parser.parse_args(argv)
    records = generate(args.rows, args.seed)
    if args.output == "-":
        write(records, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            write(records, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
