"""Per-account cost of scoring a 6-criterion ICP: icpdsl's modes beside the alternatives.

Run: `.venv/bin/python bench/engines.py [--accounts 20000] [--repeat 5]`

Every engine applies the same ICP (industry in a set, an employee range, a revenue
floor, a country set, tech has any of three, one disqualifier) to the same synthetic
accounts, about 5% of values missing.  Times are medians of `--repeat` runs; ratios are
to the hand-written None-safe Python function measured in the same run.  Peers that
cannot be imported are listed as such.  Peak memory is Python's (tracemalloc) for one
pass; Polars' and DuckDB's native buffers are not counted.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import icpdsl
from bench.common import megabytes, peak_memory, ratio_to, table
from icpdsl.evaluator import evaluate_profile

ICP = """
industry in [SaaS, "B2B Software", Fintech]
employees 200..1000
revenue >= $10M
country in [US, GB, DE, FR, NL]
tech has any [AWS, GCP, Azure]
disqualify if is_competitor
"""
INDUSTRIES = ["SaaS", "B2B Software", "Fintech", "Retail", "Healthcare", "saas"]
COUNTRIES = ["US", "GB", "DE", "FR", "NL", "BR", "IN", "us"]
TECH = ["AWS", "GCP", "Azure", "Okta", "Slack", "Salesforce", "HubSpot"]

HAND_INDUSTRIES = frozenset({"saas", "b2b software", "fintech"})
HAND_COUNTRIES = frozenset({"us", "gb", "de", "fr", "nl"})
HAND_TECH = frozenset({"aws", "gcp", "azure"})


def hand_written(account: dict[str, Any]) -> tuple[str, int, None]:
    """What a careful engineer writes by hand: None-safe, case-insensitive, Kleene-ish."""
    if account.get("is_competitor") is True:
        return ("disqualified", 0, None)
    industry = account.get("industry")
    employees = account.get("employees")
    revenue = account.get("revenue")
    country = account.get("country")
    tech = account.get("tech")
    if industry is not None and industry.strip().casefold() not in HAND_INDUSTRIES:
        return ("not_fit", 0, None)
    if employees is not None and not 200 <= employees <= 1000:
        return ("not_fit", 0, None)
    if revenue is not None and revenue < 10_000_000:
        return ("not_fit", 0, None)
    if country is not None and country.strip().casefold() not in HAND_COUNTRIES:
        return ("not_fit", 0, None)
    if tech is not None and HAND_TECH.isdisjoint([t.strip().casefold() for t in tech]):
        return ("not_fit", 0, None)
    if industry is None or employees is None or revenue is None or country is None or tech is None:
        return ("unknown", 0, None)
    return ("fit", 0, None)


def accounts(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.05 else value

    return [
        {
            "name": f"Account {i}",
            "industry": maybe(rng.choice(INDUSTRIES)),
            "employees": maybe(rng.randint(10, 3000)),
            "revenue": maybe(rng.randint(1, 100) * 1_000_000),
            "country": maybe(rng.choice(COUNTRIES)),
            "tech": maybe(rng.sample(TECH, rng.randint(0, 3))),
            "is_competitor": rng.random() < 0.02,
        }
        for i in range(count)
    ]


# ---------------------------------------------------------------- the peers


def rule_engine_peer() -> Callable[[dict[str, Any]], Any]:
    import rule_engine

    rule = rule_engine.Rule(
        "not is_competitor and industry != null"
        " and industry.as_lower in ['saas', 'b2b software', 'fintech']"
        " and employees != null and employees >= 200 and employees <= 1000"
        " and revenue != null and revenue >= 10000000"
        " and country != null and country.as_lower in ['us', 'gb', 'de', 'fr', 'nl']"
        " and tech != null and ('AWS' in tech or 'GCP' in tech or 'Azure' in tech)"
    )
    return rule.matches


def business_rules_peer() -> Callable[[dict[str, Any]], Any]:
    from business_rules.engine import check_conditions_recursively
    from business_rules.variables import (
        BaseVariables,
        boolean_rule_variable,
        numeric_rule_variable,
        select_multiple_rule_variable,
        string_rule_variable,
    )

    class Account(BaseVariables):  # type: ignore[misc]
        def __init__(self, account: dict[str, Any]) -> None:
            self.account = account

        @string_rule_variable()  # type: ignore[misc]
        def industry(self) -> str:
            return (self.account.get("industry") or "").lower()

        @numeric_rule_variable()  # type: ignore[misc]
        def employees(self) -> int:
            return self.account.get("employees") or 0

        @numeric_rule_variable()  # type: ignore[misc]
        def revenue(self) -> int:
            return self.account.get("revenue") or 0

        @string_rule_variable()  # type: ignore[misc]
        def country(self) -> str:
            return (self.account.get("country") or "").lower()

        @select_multiple_rule_variable()  # type: ignore[misc]
        def tech(self) -> list[str]:
            return self.account.get("tech") or []

        @boolean_rule_variable()  # type: ignore[misc]
        def is_competitor(self) -> bool:
            return bool(self.account.get("is_competitor"))

    conditions = {
        "all": [
            {"name": "is_competitor", "operator": "is_false", "value": True},
            {"name": "industry", "operator": "equal_to", "value": "saas"},
            {"name": "employees", "operator": "greater_than_or_equal_to", "value": 200},
            {"name": "employees", "operator": "less_than_or_equal_to", "value": 1000},
            {"name": "revenue", "operator": "greater_than_or_equal_to", "value": 10_000_000},
            {"name": "country", "operator": "equal_to", "value": "us"},
            {
                "name": "tech",
                "operator": "shares_at_least_one_element_with",
                "value": ["AWS", "GCP", "Azure"],
            },
        ]
    }

    def run(account: dict[str, Any]) -> Any:
        return check_conditions_recursively(conditions, Account(account))

    return run


def json_logic_peer() -> Callable[[dict[str, Any]], Any]:
    from json_logic import jsonLogic

    rule = {
        "and": [
            {"!": {"var": "is_competitor"}},
            {"in": [{"var": "industry"}, ["SaaS", "B2B Software", "Fintech"]]},
            {"<=": [200, {"var": "employees"}, 1000]},
            {">=": [{"var": "revenue"}, 10_000_000]},
            {"in": [{"var": "country"}, ["US", "GB", "DE", "FR", "NL"]]},
            {"or": [{"in": [t, {"var": "tech"}]} for t in ("AWS", "GCP", "Azure")]},
        ]
    }
    return lambda account: jsonLogic(rule, account)


CEL_TEXT = (
    "!is_competitor && industry != null"
    " && industry.lowerAscii() in ['saas', 'b2b software', 'fintech']"
    " && employees != null && employees >= 200 && employees <= 1000"
    " && revenue != null && revenue >= 10000000"
    " && country != null && country.lowerAscii() in ['us', 'gb', 'de', 'fr', 'nl']"
    " && tech != null && tech.exists(t, t in ['AWS', 'GCP', 'Azure'])"
)


def cel_rust_peer() -> Callable[[dict[str, Any]], Any]:
    import cel

    program = cel.compile(CEL_TEXT.replace(".lowerAscii()", ""))
    return lambda account: program.execute(account)


def cel_python_peer() -> Callable[[dict[str, Any]], Any]:
    import celpy

    environment = celpy.Environment()
    program = environment.program(environment.compile(CEL_TEXT.replace(".lowerAscii()", "")))
    return lambda account: program.evaluate(celpy.json_to_cel(account))


PEERS: list[tuple[str, Callable[[], Callable[[dict[str, Any]], Any]], int]] = [
    ("rule-engine", rule_engine_peer, 10),
    ("business-rules", business_rules_peer, 10),
    ("json-logic (json-logic-qubit)", json_logic_peer, 10),
    ("CEL (common-expression-language, Rust)", cel_rust_peer, 10),
    ("CEL (cel-python)", cel_python_peer, 50),
]


def tolerant(peer: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    """A peer that raises on null data (as CEL and rule-engine can) counts it as unknown."""

    def run(account: dict[str, Any]) -> Any:
        try:
            return peer(account)
        except Exception:
            return None

    return run


# ---------------------------------------------------------------- columns


def polars_runs(
    profile: icpdsl.Profile, records: list[dict[str, Any]]
) -> dict[str, Callable[[], Any]]:
    """icpdsl.polars.score beside two hand-written expressions: one that answers like the
    Python baseline (text trimmed and lower-cased, missing data `unknown`), checked to
    give icpdsl's verdicts, and a leaner one that does not trim and calls missing data
    `not_fit` (wrong on every `unknown` account: about 3% of these)."""
    import polars as pl

    import icpdsl.polars

    frame = pl.DataFrame(records, schema_overrides={"tech": pl.List(pl.String)})

    def folded(text: pl.Expr) -> pl.Expr:
        return text.str.strip_chars().str.to_lowercase()

    tech = pl.col("tech").list.eval(folded(pl.element()).is_in(list(HAND_TECH))).list.any()
    required = (
        folded(pl.col("industry")).is_in(list(HAND_INDUSTRIES))
        & pl.col("employees").is_between(200, 1000)
        & (pl.col("revenue") >= 10_000_000)
        & folded(pl.col("country")).is_in(list(HAND_COUNTRIES))
        & tech
    )
    met = pl.col("met")  # the criteria computed once, as a careful engineer would
    careful = (
        pl.when(pl.col("is_competitor")).then(pl.lit("disqualified"))
        .when(~met).then(pl.lit("not_fit"))
        .when(met).then(pl.lit("fit"))
        .otherwise(pl.lit("unknown"))
    )  # fmt: skip

    def hand() -> Any:
        return frame.with_columns(met=required).with_columns(verdict=careful).drop("met")

    lowered = pl.col("tech").list.eval(pl.element().str.to_lowercase())
    lean = (
        pl.when(pl.col("is_competitor")).then(pl.lit("disqualified"))
        .when(
            pl.col("industry").str.to_lowercase().is_in(list(HAND_INDUSTRIES))
            & pl.col("employees").is_between(200, 1000)
            & (pl.col("revenue") >= 10_000_000)
            & pl.col("country").str.to_lowercase().is_in(list(HAND_COUNTRIES))
            & lowered.list.eval(pl.element().is_in(list(HAND_TECH))).list.any()
        ).then(pl.lit("fit"))
        .otherwise(pl.lit("not_fit"))
    )  # fmt: skip
    same = hand()["verdict"].equals(icpdsl.polars.score(frame, profile)["verdict"])
    assert same, "the hand-written Polars expression and icpdsl.polars.score disagree"
    return {
        "Polars, hand-written expression": hand,
        "Polars, hand-written, no trim, no unknown": lambda: frame.with_columns(verdict=lean),
        "icpdsl.polars.score": lambda: icpdsl.polars.score(frame, profile),
    }


def duckdb_runs(
    profile: icpdsl.Profile, records: list[dict[str, Any]]
) -> dict[str, Callable[[], Any]]:
    import csv

    import duckdb

    folder = tempfile.mkdtemp(prefix="icpdsl-bench-")
    path = os.path.join(folder, "accounts.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(records[0]))
        for record in records:
            tech = "; ".join(record["tech"]) if record["tech"] is not None else ""
            writer.writerow(["" if v is None else v for v in {**record, "tech": tech}.values()])
    connection = duckdb.connect()
    connection.read_csv(path).create("accounts")
    hand = """
        SELECT *, CASE WHEN is_competitor THEN 'disqualified'
          WHEN lower(industry) IN ('saas', 'b2b software', 'fintech')
           AND employees BETWEEN 200 AND 1000 AND revenue >= 10000000
           AND lower(country) IN ('us', 'gb', 'de', 'fr', 'nl')
           AND list_has_any(string_split(lower(tech), '; '), ['aws', 'gcp', 'azure'])
          THEN 'fit' ELSE 'not_fit' END AS verdict
        FROM accounts"""
    generated = profile.to_sql("duckdb", table="accounts")
    return {
        "DuckDB, hand-written SQL": lambda: connection.execute(
            f"CREATE OR REPLACE TEMP TABLE out AS {hand}"
        ),
        "DuckDB, profile.to_sql()": lambda: connection.execute(
            f"CREATE OR REPLACE TEMP TABLE out AS {generated}"
        ),
    }


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000, help="accounts per pass")
    parser.add_argument("--repeat", type=int, default=7, help="passes per engine (median)")
    parser.add_argument(
        "--batch-accounts", type=int, default=200_000, help="rows for Polars and DuckDB"
    )
    args = parser.parse_args()
    records = accounts(args.accounts)
    profile = icpdsl.loads(ICP).profile
    compiled = profile.compile()

    def per_account(fn: Callable[[dict[str, Any]], Any], divisor: int = 1) -> Callable[[], Any]:
        sample = records[: max(1, len(records) // divisor)]
        return lambda: [fn(r) for r in sample]

    def without_explanations(record: dict[str, Any]) -> Any:
        return profile.evaluate(record, explain=False)

    def explained(record: dict[str, Any]) -> Any:
        return compiled.evaluate(record).rules

    def reference(record: dict[str, Any]) -> Any:
        return evaluate_profile(profile, record, compiled.as_of)

    # (name, per-account function, sample divisor, explains?)
    engines: list[tuple[str, Callable[[dict[str, Any]], Any], int, str]] = [
        ("hand-written Python (baseline)", hand_written, 1, "no"),
        ("icpdsl compiled: profile.compile().score", compiled.score, 1, "no"),
        ("icpdsl compiled: profile.compile()(record)", compiled, 1, "no"),
        ("icpdsl evaluate(record, explain=False)", without_explanations, 1, "no"),
        ("icpdsl compiled.evaluate (lazy explanations)", compiled.evaluate, 1, "on demand"),
        ("icpdsl compiled.evaluate + read .rules", explained, 20, "yes"),
        ("icpdsl reference evaluator", reference, 20, "yes"),
    ]
    for name, make, divisor in PEERS:
        try:
            engines.append((name, tolerant(make()), divisor, "no"))
        except Exception as error:  # a peer that does not install or build is reported
            print(f"skipped {name}: {type(error).__name__}: {error}", file=sys.stderr)
    runs = [(n, per_account(f, d), max(1, len(records) // d), d, e) for n, f, d, e in engines]
    batch = accounts(args.batch_accounts, seed=8)
    for maker in (polars_runs, duckdb_runs):
        try:
            runs += [(n, r, len(batch), 1, "no") for n, r in maker(profile, batch).items()]
        except ImportError as error:
            print(f"skipped {maker.__name__}: {error}", file=sys.stderr)

    rows = []
    for name, run, count, divisor, explains in runs:
        baseline_count = max(1, len(records) // divisor)
        seconds, ratio = ratio_to(run, per_account(hand_written, divisor), args.repeat)
        ratio *= baseline_count / count  # per account
        per = seconds / count * 1e9
        memory = megabytes(peak_memory(run))
        rows.append([name, f"{per:,.0f}", f"{ratio:.2f}×", explains, memory])
    print(
        f"{len(records):,} accounts; median of {args.repeat} interleaved passes; "
        f"Python {sys.version.split()[0]}"
    )
    print(table(["engine", "ns/account", "vs hand-written", "explains", "peak memory"], rows))


if __name__ == "__main__":
    main()
