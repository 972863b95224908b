"""CSV → scored CSV inside DuckDB: `icp eval --engine duckdb` beside a hand-written query.

Run: `.venv/bin/python bench/duckdb_csv.py [--rows 1000000] [--repeat 3]`

Both sides read the same generated CSV and write a CSV with a verdict column; the
hand-written query is what a DuckDB user would type for the same ICP.  The icpdsl side
is the whole command (`icp eval ... --engine duckdb --output`), in a fresh process,
so it includes starting Python, importing icpdsl and loading the profile.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import table
from bench.engines import COUNTRIES, ICP, INDUSTRIES, TECH

HAND_WRITTEN = """
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


def timed(run: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="icpdsl-duckdb-")
    source = os.path.join(folder, "accounts.csv")
    write_accounts(source, args.rows)
    with open(os.path.join(folder, "icp.icp"), "w", encoding="utf-8") as handle:
        handle.write(ICP)
    icp = os.path.join(os.path.dirname(sys.executable), "icp")
    hand_out, icp_out = os.path.join(folder, "hand.csv"), os.path.join(folder, "icp.csv")

    def hand() -> None:
        with duckdb.connect() as connection:
            connection.execute(HAND_WRITTEN.format(out=hand_out), [source])

    def command() -> None:
        subprocess.run(
            [icp, "eval", os.path.join(folder, "icp.icp"), source, "--engine", "duckdb",
             "--output", icp_out],
            check=True,
        )  # fmt: skip

    baseline = timed(hand, args.repeat)
    ours = timed(command, args.repeat)
    rows = [
        ["DuckDB, hand-written COPY (baseline)", f"{baseline:.2f}", "1.00×"],
        ["icp eval --engine duckdb (whole command)", f"{ours:.2f}", f"{ours / baseline:.2f}×"],
    ]
    size = os.path.getsize(source) / 1e6
    print(
        f"{args.rows:,} rows ({size:.0f} MB CSV), median of {args.repeat}; "
        f"DuckDB {duckdb.__version__}"
    )
    print(table(["CSV → CSV", "seconds", "vs hand-written"], rows))


if __name__ == "__main__":
    main()
