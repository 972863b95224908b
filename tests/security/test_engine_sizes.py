"""Generated SQL and Polars expressions grow linearly with the profile, and build fast.

Each rule's reasons term once copied every criterion (400 one-line criteria: 3 MB of SQL,
140 s), and a chain of `and`s nested one Polars expression per operand (3,000 of them:
43 s).  The bounds below are far above linear work and far below what either took.
"""

from __future__ import annotations

import time

import pytest

import icpdsl


def _criteria(count: int) -> icpdsl.Profile:
    return icpdsl.loads("".join(f"f{i} >= {i}\n" for i in range(count))).profile


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "duckdb", "spark"])
def test_sql_grows_linearly_with_the_criteria(dialect: str) -> None:
    pytest.importorskip("sqlglot")
    small = len(_criteria(100).to_sql(dialect))
    started = time.perf_counter()
    large = len(_criteria(400).to_sql(dialect))
    assert time.perf_counter() - started < 20
    assert large < 4.5 * small  # linear: about 4×; every criterion per reason was 16×


def test_a_long_chain_of_ands_builds_a_flat_polars_expression() -> None:
    pl = pytest.importorskip("polars")
    import icpdsl.polars

    text = "(" + " and ".join(f"f{i % 5} >= {i}" for i in range(3_000)) + ")\n"
    profile = icpdsl.loads(text).profile
    frame = pl.DataFrame({f"f{i}": [1, 5_000, None] for i in range(5)})
    started = time.perf_counter()
    scored = icpdsl.polars.score(frame, profile)
    assert time.perf_counter() - started < 10
    expected = [profile.evaluate(row).verdict.value for row in frame.iter_rows(named=True)]
    assert scored["verdict"].to_list() == expected
