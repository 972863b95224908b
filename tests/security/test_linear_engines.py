"""A huge cell of any shape costs linear time in every engine that reads it: the reference
evaluator, the compiled code (verdicts and explanations), `icp eval`'s CSV path, Polars
and DuckDB.

Quadratic work on a quarter of a million characters takes minutes (the compiled path's
old list splitter took 19 s on 40 KB); linear work takes a fraction of a second, so the
generous bound below only catches the former.  Each shape is also held to the
reference: the engines give the same verdict on it.  bench/hostile_cells.py times 1 MB
cells per engine and prints how time grows with size.
"""

from __future__ import annotations

import csv
import datetime
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import icpdsl
from icpdsl.io import read_records

AS_OF = datetime.date(2025, 6, 30)
SIZE = 250_000
#: Seconds a linear engine never needs for one such cell; a quadratic one needs minutes.
BOUND = 10.0

#: Text rules only: the column engines read this field as a text column.
TEXT_PROFILE = """
kind in [x, y, "a b"]
kind != z
tags has any [a, b, "c d"]
tags has none [e]
tags a
+10 if kind is known
tier A if score >= 10
"""
#: Every predicate, for the Python engines (which read any cell).
EVERY_PREDICATE = (
    TEXT_PROFILE
    + """
n 10..100
n >= 5
when within 5 years
age 3..10 years
flag
"""
)

SHAPES: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: "a" + " " * n + "b",
    "spaces around a separator": lambda n: "a" + " " * (n // 2) + ";" + " " * (n // 2) + "b",
    "separators": lambda n: ";" * n,
    "separator runs": lambda n: ("; , | " * (n // 6))[:n],
    "digits": lambda n: "1" * n,
    "digit groups": lambda n: "1" + ",000" * (n // 4),
    "digits then text": lambda n: "1" * n + "x",
    "signs and currency": lambda n: "+" + " " * (n // 2) + "$" + " " * (n // 2) + "x",
    "quotes": lambda n: '"' * n,
    "unicode": lambda n: "é✓" * (n // 2),
    "line breaks": lambda n: "a\n" * (n // 2),
    "date-like": lambda n: "2020-01-01T" + "1" * n,
    "band-like": lambda n: "250 to " + "9" * n,
}


def _timed(work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = work()
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND, f"{elapsed:.1f} s for one {SIZE:,}-character cell"
    return value


@pytest.fixture(scope="module")
def every() -> icpdsl.Profile:
    return icpdsl.loads(EVERY_PREDICATE).profile


@pytest.fixture(scope="module")
def text() -> icpdsl.Profile:
    return icpdsl.loads(TEXT_PROFILE).profile


def _record(cell: str) -> dict[str, str]:
    return dict.fromkeys(("kind", "tags", "n", "when", "founded", "flag"), cell)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_python_engines_are_linear(every: icpdsl.Profile, shape: str) -> None:
    record = _record(SHAPES[shape](SIZE))
    reference = _timed(lambda: every.evaluate(record, as_of=AS_OF))
    compiled = every.compile(AS_OF)
    assert _timed(lambda: compiled(record)) == (
        reference.verdict,
        reference.score,
        reference.tier,
    )
    explained = _timed(lambda: compiled.evaluate(record).to_dict())
    assert explained == reference.to_dict()


@pytest.mark.parametrize("shape", ["spaces", "separator runs", "digits then text", "quotes"])
def test_icp_eval_reads_and_scores_a_huge_cell_in_linear_time(
    every: icpdsl.Profile, shape: str, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["kind", "tags", "n"])
        writer.writerow([SHAPES[shape](SIZE)] * 3)
    compiled = every.compile(AS_OF)

    def score() -> list[Any]:
        return [compiled.evaluate(row.record).reasons for row in read_records(path)]

    assert len(_timed(score)) == 1


@pytest.mark.parametrize("shape", SHAPES)
def test_polars_is_linear(text: icpdsl.Profile, shape: str) -> None:
    pl = pytest.importorskip("polars")
    import icpdsl.polars

    cell = SHAPES[shape](SIZE)
    frame = pl.DataFrame({"kind": [cell], "tags": [cell]})
    scored = _timed(lambda: icpdsl.polars.score(frame, text, as_of=AS_OF))
    reference = text.evaluate({"kind": cell, "tags": cell}, as_of=AS_OF)
    assert scored["verdict"][0] == reference.verdict.value


@pytest.mark.parametrize("shape", SHAPES)
def test_duckdb_is_linear(text: icpdsl.Profile, shape: str) -> None:
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    cell = SHAPES[shape](SIZE)
    connection = duckdb.connect()
    connection.execute('CREATE TABLE accounts ("kind" VARCHAR, "tags" VARCHAR)')
    connection.execute("INSERT INTO accounts VALUES (?, ?)", [cell, cell])
    sql = text.to_sql("duckdb", as_of=AS_OF)
    verdict = _timed(lambda: connection.execute(f'SELECT "verdict" FROM ({sql})').fetchone())
    reference = text.evaluate({"kind": cell, "tags": cell}, as_of=AS_OF)
    assert verdict == (reference.verdict.value,)
