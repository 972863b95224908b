"""Time one hostile cell (1 MB by default) per engine and shape, and how time grows.

Run: `.venv/bin/python bench/hostile_cells.py [--size 1000000] [--repeat 3]`

Every engine that reads the cell (the reference evaluator, the compiled code with its
explanations, Polars, DuckDB) judges one account whose text fields hold the cell.  For
each it prints the median time at the full size, the time relative to a baseline
measured in the same run (Python splitting, trimming and lower-casing the same cell:
the least any reader of it does), and the growth from a quarter of the size to the
full size: about 4 when the work is linear, about 16 when it is quadratic.  The engines'
verdicts are checked to agree with the reference before anything is timed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import icpdsl
from bench.common import median_seconds, table

AS_OF = datetime.date(2025, 6, 30)
PROFILE = """
kind in [x, y, "a b"]
kind != z
tags has any [a, b, "c d"]
tags has none [e]
tags a
+10 if kind is known
tier A if score >= 10
"""
SHAPES: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: "a" + " " * n + "b",
    "separators": lambda n: ";" * n,
    "separator runs": lambda n: ("; , | " * (n // 6 + 1))[:n],
    "digits then text": lambda n: "1" * n + "x",
    "digit groups": lambda n: ("1" + ",000" * (n // 4))[:n],
    "quotes": lambda n: '"' * n,
    "unicode": lambda n: ("é✓" * (n // 2 + 1))[:n],
    "line breaks": lambda n: ("a\n" * (n // 2 + 1))[:n],
}


def baseline(cell: str) -> Callable[[], Any]:
    return lambda: [item.strip().casefold() for item in cell.split(";")]


def engines(profile: icpdsl.Profile) -> dict[str, Callable[[str], Callable[[], Any]]]:
    """Engine name → (cell → a run that judges an account holding it; returns verdict)."""
    compiled = profile.compile(AS_OF)

    def record(cell: str) -> dict[str, str]:
        return {"kind": cell, "tags": cell}

    runs: dict[str, Callable[[str], Callable[[], Any]]] = {
        "reference": lambda cell: lambda: profile.evaluate(record(cell), as_of=AS_OF).verdict,
        "compiled": lambda cell: lambda: compiled(record(cell))[0],
        "compiled + reasons": lambda cell: lambda: _explained(compiled, record(cell)),
    }
    try:
        import polars as pl

        import icpdsl.polars

        def polars_run(cell: str) -> Callable[[], Any]:
            frame = pl.DataFrame({"kind": [cell], "tags": [cell]})
            return lambda: icpdsl.polars.score(frame, profile, as_of=AS_OF)["verdict"][0]

        runs["Polars"] = polars_run
    except ImportError:
        print("Polars not installed: skipped")
    try:
        import duckdb

        sql = profile.to_sql("duckdb", as_of=AS_OF)

        def duckdb_run(cell: str) -> Callable[[], Any]:
            connection = duckdb.connect()
            connection.execute('CREATE TABLE accounts ("kind" VARCHAR, "tags" VARCHAR)')
            connection.execute("INSERT INTO accounts VALUES (?, ?)", [cell, cell])
            return lambda: connection.execute(f'SELECT "verdict" FROM ({sql})').fetchone()[0]

        runs["DuckDB"] = duckdb_run
    except ImportError:
        print("DuckDB not installed: skipped")
    return runs


def _explained(compiled: Any, record: dict[str, str]) -> Any:
    result = compiled.evaluate(record)
    result.to_dict()
    return result.verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    profile = icpdsl.loads(PROFILE).profile
    runs = engines(profile)
    rows = []
    for shape, make in SHAPES.items():
        full, quarter = make(args.size), make(args.size // 4)
        expected = profile.evaluate({"kind": full, "tags": full}, as_of=AS_OF).verdict.value
        base = median_seconds(baseline(full), args.repeat)
        for name, run in runs.items():
            got = run(full)()
            assert str(getattr(got, "value", got)) == expected, (shape, name, got, expected)
            seconds = median_seconds(run(full), args.repeat)
            growth = seconds / max(median_seconds(run(quarter), args.repeat), 1e-9)
            rows.append(
                [shape, name, f"{seconds * 1000:.1f} ms", f"{seconds / base:.1f}×", f"{growth:.1f}"]
            )
    print(
        f"one account, a {args.size:,}-character cell in its text fields; median of "
        f"{args.repeat}; growth = time at full size / time at a quarter (linear ≈ 4)"
    )
    print(table(["shape", "engine", "time", "× split baseline", "growth"], rows))


if __name__ == "__main__":
    main()
