"""CSV → scored CSV: `icp eval --engine duckdb` against the default engine, same output.

Run: `.venv/bin/python bench/duckdb_csv.py [--rows 200000] [--repeat 3]`

Both engines run as the user runs them, `icp eval PROFILE accounts.csv -o out.csv` in a
fresh process (so starting Python and importing icpdsl, sqlglot and DuckDB count), on
the same generated accounts; the default engine is the baseline measured in the same
run, and the two output files are checked to be byte for byte the same.  A hand-written
DuckDB query writing the verdict alone (what DuckDB costs when nothing is explained,
`$12M` is not a number and rows need not match icpdsl's) is shown for scale.  Two
profiles: one of criteria and a disqualifier, and examples/security.icp (points, tiers,
a list rule).  Passes alternate
between the sides; medians of wall time and of the child's CPU time (user + system,
from `os.wait4`), which the machine's load disturbs less.
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

from bench.common import installed_bytecode, table
from bench.engines import COUNTRIES, ICP, INDUSTRIES, TECH

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERDICT_ONLY = """
COPY (
  SELECT *, CASE WHEN is_competitor THEN 'disqualified'
    WHEN lower(trim(industry)) IN ('saas', 'b2b software', 'fintech')
     AND TRY_CAST(employees AS DOUBLE) BETWEEN 200 AND 1000
     AND TRY_CAST(revenue AS DOUBLE) >= 10000000
     AND lower(trim(country)) IN ('us', 'gb', 'de', 'fr', 'nl')
     AND regexp_matches(lower(tech), '(^|;\\s*)(aws|gcp|azure)(\\s*;|$)')
    THEN 'fit' ELSE 'not_fit' END AS verdict
  FROM read_csv(?)
) TO '{out}' (HEADER)
"""


def write_accounts(path: str, rows: int, seed: int = 11) -> None:
    """Accounts shaped like examples/accounts.csv: some blanks, a few odd cells."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "industry", "employees", "revenue", "country", "tech", "is_competitor",
             "has_security_owner", "requires"]
        )  # fmt: skip
        for i in range(rows):
            writer.writerow([
                i,
                rng.choice(INDUSTRIES),
                rng.randint(10, 3000) if rng.random() > 0.05 else rng.choice(["", "n/a"]),
                f"${rng.randint(1, 100)}M" if rng.random() < 0.3 else rng.randint(1, 100) * 10**6,
                rng.choice(COUNTRIES),
                "; ".join(rng.sample(TECH, rng.randint(0, 3))),
                "true" if rng.random() < 0.02 else "false",
                rng.choice(["yes", "no", ""]),
                rng.choice(["", "", "on_prem"]),
            ])  # fmt: skip


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of `command`."""
    installed_bytecode()
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} exited with status {status}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def interleaved(runs: dict[str, Callable[[], tuple[float, float]]], repeat: int
                ) -> dict[str, tuple[float, float]]:  # fmt: skip
    """Median (wall, CPU) of each run; one pass of every run per round, after a warm-up."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for round_ in range(repeat + 1):
        for name, run in runs.items():
            measured = run()
            if round_:  # round 0 warms the file cache and the imports up
                times[name].append(measured)
    return {
        name: (statistics.median(w for w, _ in got), statistics.median(c for _, c in got))
        for name, got in times.items()
    }


def main() -> None:
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="icpdsl-duckdb-bench-")
    source = os.path.join(folder, "accounts.csv")
    write_accounts(source, args.rows)
    criteria = os.path.join(folder, "criteria.icp")
    with open(criteria, "w", encoding="utf-8") as handle:
        handle.write(ICP)
    icp = os.path.join(os.path.dirname(sys.executable), "icp")
    profiles = {
        "criteria": criteria,
        "security.icp": os.path.join(ROOT, "examples", "security.icp"),
    }
    rows = []
    for label, profile in profiles.items():
        out = {side: os.path.join(folder, f"{label}-{side}.csv") for side in ("default", "duckdb")}

        def cli(side: str, profile: str = profile, out: dict[str, str] = out
                ) -> Callable[[], tuple[float, float]]:  # fmt: skip
            engine = ["--engine", "duckdb"] if side == "duckdb" else []
            command = [icp, "eval", profile, source, "-o", out[side], "-q", "--as-of",
                       "2025-06-30", *engine]  # fmt: skip
            return lambda: measure(command)

        def hand() -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            with duckdb.connect() as connection:
                connection.execute(VERDICT_ONLY.format(out=os.path.join(folder, "hand.csv")),
                                   [source])  # fmt: skip
            return time.perf_counter() - started, time.process_time() - cpu

        runs = {"default": cli("default"), "duckdb": cli("duckdb")}
        if label == "criteria":
            runs["hand"] = hand
        seconds = interleaved(runs, args.repeat)
        same = filecmp.cmp(out["default"], out["duckdb"], shallow=False)
        wall, cpu = seconds["default"]
        names = {
            "default": f"{label}: icp eval (default engine, baseline)",
            "duckdb": f"{label}: icp eval --engine duckdb",
            "hand": f"{label}: DuckDB COPY of the verdict alone, no reasons",
        }
        for name, (w, c) in seconds.items():
            rows.append([names[name], f"{w:.2f}", f"{c:.2f}", f"{w / wall:.2f}×",
                         f"{c / cpu:.2f}×", "yes" if name != "hand" and same else "-"])  # fmt: skip
        if not same:
            raise SystemExit(f"{label}: the engines' output files differ")
    size = os.path.getsize(source) / 1e6
    load = os.getloadavg()[0]
    print(f"{args.rows:,} rows ({size:.0f} MB CSV), median of {args.repeat}; "
          f"DuckDB {duckdb.__version__}; {os.cpu_count()} CPUs, load {load:.1f}")  # fmt: skip
    print(table(["CSV → CSV", "wall s", "CPU s", "wall vs baseline", "CPU vs baseline",
                 "output identical"], rows))  # fmt: skip


if __name__ == "__main__":
    main()
