"""The SQL `reasons` column names the rules the reference says kept an account out.

Random profiles and typed records (the strategies of test_equivalence.py); DuckDB and
SQLite must list, `; `-separated and in rule order, the texts of the fired disqualifiers
(disqualified), the failed criteria (not fit) or the unknown criteria and disqualifiers
(unknown), as the reference's `Result.rules` says; NULL for a fit.
"""

from __future__ import annotations

import datetime
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.evaluator import evaluate_profile
from tests.property.test_equivalence import (
    AS_OF,
    COLUMNS,
    profiles,
    sqlite_plain,
    typed_records,
)

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

KEPT_OUT = {"disqualified": "fired", "not_fit": "fail", "unknown": "unknown"}


def _expected(profile: icpdsl.Profile, record: dict[str, Any]) -> tuple[str, str | None]:
    result = evaluate_profile(profile, record, AS_OF)
    wanted = KEPT_OUT.get(result.verdict.value)
    kinds = ("criterion", "disqualifier")
    rules = [o.rule for o in result.rules if o.status == wanted and o.kind in kinds]
    return result.verdict.value, "; ".join(rules) or None


def _cell(value: Any, dialect: str) -> Any:
    return value.isoformat() if dialect == "sqlite" and isinstance(value, datetime.date) else value


def _scored(connection: Any, dialect: str, profile: icpdsl.Profile, records: list[Any]) -> Any:
    types = "".join(f', "{name}" {kind}' for name, kind in COLUMNS.items())
    connection.execute(f'CREATE TABLE "accounts" ("row_" INTEGER{types})')
    marks = ", ".join("?" for _ in range(len(COLUMNS) + 1))
    rows = [(i, *(_cell(r.get(n), dialect) for n in COLUMNS)) for i, r in enumerate(records)]
    connection.executemany(f'INSERT INTO "accounts" VALUES ({marks})', rows)
    sql = profile.to_sql(dialect, as_of=AS_OF)
    query = f'SELECT "verdict", "reasons" FROM ({sql}) AS "scored" ORDER BY "row_"'
    return [tuple(row) for row in connection.execute(query).fetchall()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=profiles(), records=st.lists(typed_records(), min_size=1, max_size=12))
def test_sql_reasons_are_the_rules_the_reference_names(
    text: str, records: list[dict[str, Any]]
) -> None:
    profile = icpdsl.loads(text).profile
    expected = [_expected(profile, record) for record in records]
    for dialect, connection in (
        ("duckdb", duckdb.connect()),
        ("sqlite", sqlite3.connect(":memory:")),
    ):
        got = _scored(connection, dialect, profile, records)
        if dialect == "sqlite":  # REPLACE splits at spaces only (docs/scale.md)
            plain = [sqlite_plain(r.get("tech")) for r in records]
            got = [g for g, keep in zip(got, plain, strict=True) if keep]
            expected = [e for e, keep in zip(expected, plain, strict=True) if keep]
        assert got == expected, f"{dialect}:\n{text}"
