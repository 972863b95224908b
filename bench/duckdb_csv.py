"""CSV → scored CSV inside DuckDB: `icp eval --engine duckdb` beside hand-written queries.

Run: `.venv/bin/python bench/duckdb_csv.py [--rows 1000000] [--repeat 3]`

Every side reads the same generated CSV and writes a CSV.  Hand-written queries are the
baselines: the verdict alone (what a DuckDB user would type first; DuckDB turns its
five-value `IN` into a join and writes the rows out of order), the same with the rows in
the input's order (as icpdsl writes them), and the same columns icpdsl writes (verdict,
score, tier and the `reasons` text, in order), whose output file is checked to be byte
for byte icpdsl's.  The icpdsl side is the whole command (`icp
eval ... --engine duckdb --output`) in a fresh process, so it includes starting Python,
importing icpdsl, sqlglot and DuckDB and loading the profile; `score_csv` in this
process shows the query alone.  Passes alternate between the sides; medians.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import icpdsl
from bench.common import table
from bench.engines import COUNTRIES, ICP, INDUSTRIES, TECH
from icpdsl.compile.duckdb_engine import keep_input_order, score_csv

VERDICT_ONLY = """
COPY (
  SELECT *, CASE WHEN is_competitor THEN 'disqualified'
    WHEN lower(trim(industry)) IN ('saas', 'b2b software', 'fintech')
     AND employees BETWEEN 200 AND 1000 AND revenue >= 10000000
     AND lower(trim(country)) IN ('us', 'gb', 'de', 'fr', 'nl')
     AND list_has_any(string_split(lower(tech), '; '), ['aws', 'gcp', 'azure'])
    THEN 'fit' ELSE 'not_fit' END AS verdict
  FROM read_csv(?)
) TO '{out}' (HEADER)
"""
#: The columns icpdsl writes, with unknowns, as a careful DuckDB user writes them for
#: this data (is_competitor is never missing in it).
SAME_COLUMNS = """
COPY (
  WITH rules AS (
    SELECT *,
      lower(trim(industry)) IN ('saas', 'b2b software', 'fintech') AS i,
      employees BETWEEN 200 AND 1000 AS e,
      revenue >= 10000000 AS r,
      lower(trim(country)) IN ('us', 'gb', 'de', 'fr', 'nl') AS c,
      list_has_any(string_split(lower(tech), '; '), ['aws', 'gcp', 'azure']) AS t
    FROM read_csv(?)
  ), decided AS (SELECT *, i AND e AND r AND c AND t AS ok FROM rules)
  SELECT * EXCLUDE (i, e, r, c, t, ok),
    CASE WHEN is_competitor THEN 'disqualified' WHEN NOT ok THEN 'not_fit'
      WHEN ok THEN 'fit' ELSE 'unknown' END AS verdict,
    0 AS score, NULL AS tier,
    CASE WHEN is_competitor THEN 'disqualify if is_competitor'
      ELSE nullif(concat_ws('; ',
        CASE WHEN NOT coalesce(i, ok IS NOT NULL)
          THEN 'industry in [SaaS, "B2B Software", Fintech]' END,
        CASE WHEN NOT coalesce(e, ok IS NOT NULL) THEN 'employees 200..1000' END,
        CASE WHEN NOT coalesce(r, ok IS NOT NULL) THEN 'revenue >= $10M' END,
        CASE WHEN NOT coalesce(c, ok IS NOT NULL) THEN 'country in [US, GB, DE, FR, NL]' END,
        CASE WHEN NOT coalesce(t, ok IS NOT NULL) THEN 'tech has any [AWS, GCP, Azure]' END
      ), '') END AS reasons
  FROM decided
) TO '{out}' (HEADER)
"""


def write_accounts(path: str, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "industry", "employees", "revenue", "country", "tech", "is_competitor"]
        )
        for i in range(rows):
            writer.writerow([
                i,
                rng.choice(INDUSTRIES),
                rng.randint(10, 3000) if rng.random() > 0.05 else "",
                rng.randint(1, 100) * 1_000_000,
                rng.choice(COUNTRIES),
                "; ".join(rng.sample(TECH, rng.randint(0, 3))),
                "true" if rng.random() < 0.02 else "false",
            ])  # fmt: skip


def interleaved(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each run; one pass of every run per round, after a warm-up."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(repeat + 1):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            if round_:  # round 0 warms the file cache and the imports up
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def main() -> None:
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="icpdsl-duckdb-")
    source = os.path.join(folder, "accounts.csv")
    write_accounts(source, args.rows)
    profile_path = os.path.join(folder, "icp.icp")
    with open(profile_path, "w", encoding="utf-8") as handle:
        handle.write(ICP)
    document = icpdsl.load(profile_path)
    icp = os.path.join(os.path.dirname(sys.executable), "icp")
    names = ("verdict", "ordered", "same", "lib", "cli")
    out = {name: os.path.join(folder, f"{name}.csv") for name in names}

    def hand(query: str, destination: str, in_order: bool) -> Callable[[], None]:
        def run() -> None:
            with duckdb.connect() as connection:
                if in_order:  # as icpdsl does: rows in the input's order
                    keep_input_order(duckdb, connection)
                connection.execute(query.format(out=destination), [source])

        return run

    def command() -> None:
        subprocess.run(
            [icp, "eval", profile_path, source, "--engine", "duckdb", "--output", out["cli"],
             "--quiet"],
            check=True,
        )  # fmt: skip

    seconds = interleaved(
        {
            "verdict": hand(VERDICT_ONLY, out["verdict"], in_order=False),
            "ordered": hand(VERDICT_ONLY, out["ordered"], in_order=True),
            "same": hand(SAME_COLUMNS, out["same"], in_order=True),
            "lib": lambda: score_csv(document, source, out["lib"]),
            "cli": command,
        },
        args.repeat,
    )
    same = filecmp.cmp(out["same"], out["cli"], shallow=False)
    verdict, columns = seconds["verdict"], seconds["same"]
    labels = {
        "verdict": "DuckDB, hand-written COPY: verdict only",
        "ordered": "  the same, rows in the input's order",
        "same": "DuckDB, hand-written COPY: same columns",
        "lib": "score_csv in process (query only)",
        "cli": "icp eval --engine duckdb (whole command)",
    }
    rows = [
        [label, f"{seconds[name]:.2f}", f"{seconds[name] / verdict:.2f}×",
         f"{seconds[name] / columns:.2f}×"]
        for name, label in labels.items()
    ]  # fmt: skip
    size = os.path.getsize(source) / 1e6
    print(
        f"{args.rows:,} rows ({size:.0f} MB CSV), median of {args.repeat}; "
        f"DuckDB {duckdb.__version__}; same-columns output identical to icpdsl's: {same}"
    )
    print(table(["CSV → CSV", "seconds", "vs verdict only", "vs same columns"], rows))


if __name__ == "__main__":
    main()
