"""The law that makes several engines trustworthy: they all agree with the reference.

Random profiles (every operator, and/or/not, defines, disqualifiers, points, tiers on
score) and random records (missing values, blank text, case and spacing variants) are
scored by the reference evaluator, the compiled Python evaluator (plain dicts and other
mappings), Polars, and the generated SQL executed on DuckDB and on SQLite; verdict,
score and tier must be identical for every record.  Column engines get typed columns,
as docs/scale.md requires; the Python engines also get wrong-typed values, `age` and
durations, which the column engines refuse.
"""

from __future__ import annotations

import datetime
import math
import sqlite3
import types
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.compile.python import compile_profile
from icpdsl.evaluator import evaluate_profile
from icpdsl.semantics.verdict import KEPT_OUT

duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")
pytest.importorskip("sqlglot")

import icpdsl.polars  # noqa: E402

AS_OF = datetime.date(2025, 6, 15)

#: Field → SQL type of its column.
COLUMNS = {
    "employees": "BIGINT",
    "revenue": "DOUBLE",
    "industry": "VARCHAR",
    "country": "VARCHAR",
    "tech": "VARCHAR",
    "active": "BOOLEAN",
    "competitor": "BOOLEAN",
    "last_seen": "DATE",
}
POLARS_TYPES = {
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    "VARCHAR": pl.String,
    "BOOLEAN": pl.Boolean,
    "DATE": pl.Date,
}

NUMBERS = ["0", "100", "200", "500", "1000", "2.5", "-5", "1_000", "50k"]
WORDS = ["SaaS", '"B2B Software"', "fintech", "US", "de", '"m"', "zeta"]
TECH = ["AWS", "okta", "GCP", '"Azure"', "salesforce"]
DATES = ["2020-01-01", "2024-01-01", "2024-12-15", "2025-06-15"]
DURATIONS = ["18 months", "30 days", "1 year", "2 weeks"]
OPS = ["==", "!=", "<", "<=", ">", ">="]


def _list(draw: st.DrawFn, pool: list[str]) -> str:
    return "[" + ", ".join(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))) + "]"


@st.composite
def predicates(draw: st.DrawFn, python_only: bool) -> str:
    kind = draw(st.sampled_from(["number", "text", "list", "bool", "date", "known"]))
    number = st.sampled_from(NUMBERS)
    if kind == "number":
        field = draw(st.sampled_from(["employees", "revenue"]))
        forms = [
            f"{field} {draw(number)}..{draw(number)}",
            f"{field} {draw(number)}..",
            f"{field} ..{draw(number)}",
            f"{field} {draw(st.sampled_from(OPS))} {draw(number)}",
            f"{field} in {_list(draw, NUMBERS)}",
            f"{field} not in {_list(draw, NUMBERS)}",
            f"{field} {draw(number)}",
        ]
    elif kind == "text":
        field = draw(st.sampled_from(["industry", "country"]))
        word = draw(st.sampled_from(WORDS))
        forms = [
            f"{field} in {_list(draw, WORDS)}",
            f"{field} not in {_list(draw, WORDS)}",
            f"{field} {draw(st.sampled_from(OPS))} {word}",
            f"{field} {word}",
        ]
    elif kind == "list":
        forms = [
            f"tech has {draw(st.sampled_from(TECH))}",
            f"tech has any {_list(draw, TECH)}",
            f"tech has all {_list(draw, TECH)}",
            f"tech has none {_list(draw, TECH)}",
            f"tech {draw(st.sampled_from(TECH))}",
        ]
    elif kind == "bool":
        field = draw(st.sampled_from(["active", "competitor"]))
        forms = [
            field,
            f"{field} == {draw(st.sampled_from(['true', 'false']))}",
            f"{field} != true",
        ]
    elif kind == "date":
        date = st.sampled_from(DATES)
        forms = [
            f"last_seen within {draw(st.sampled_from(DURATIONS))}",
            f"last_seen {draw(st.sampled_from(OPS))} {draw(date)}",
            f"last_seen {draw(date)}..{draw(date)}",
        ]
    else:
        field = draw(st.sampled_from([*COLUMNS, "nowhere"] if python_only else list(COLUMNS)))
        forms = [f"{field} is known", f"{field} is missing"]
    if python_only:
        forms += [
            f"age {draw(st.sampled_from(['3..10 years', '> 5 years', '<= 18 months']))}",
            f"founded {draw(st.sampled_from(['2..8 years', '>= 2010-01-01']))}",
            f"age within {draw(st.sampled_from(DURATIONS))}",
        ]
    return draw(st.sampled_from(forms))


@st.composite
def conditions(draw: st.DrawFn, python_only: bool, depth: int = 0) -> str:
    if depth >= 2 or draw(st.integers(0, 2)) == 0:
        return draw(predicates(python_only))
    form = draw(st.sampled_from(["and", "or", "not"]))
    if form == "not":
        return f"not ({draw(conditions(python_only, depth + 1))})"
    parts = draw(st.lists(conditions(python_only, depth + 1), min_size=2, max_size=3))
    return "(" + f" {form} ".join(parts) + ")"


@st.composite
def profiles(draw: st.DrawFn, python_only: bool = False) -> str:
    condition = conditions(python_only)
    lines = []
    if draw(st.booleans()):
        lines.append(f"define good = {draw(condition)}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append(draw(condition))
    if lines and lines[0].startswith("define") and draw(st.booleans()):
        lines.append("require good")
    for _ in range(draw(st.integers(0, 2))):
        lines.append(f"disqualify if {draw(condition)}")
    for _ in range(draw(st.integers(0, 3))):
        points = draw(st.sampled_from(["+10", "+20", "-5", "+2.5", "-1.5", "+1"]))
        lines.append(f"{points} if {draw(condition)}")
    for name in draw(st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=3)):
        threshold = draw(st.sampled_from(["0", "10", "20", "2.5"]))
        form = draw(st.sampled_from([f"score >= {threshold}", f"score < {threshold}", "x"]))
        tier_condition = draw(condition) if form == "x" else form
        lines.append(f"tier {name} if {tier_condition}")
    if draw(st.booleans()):
        lines.append("tier Rest otherwise")
    return "\n".join(lines) + "\n"


TEXT_VALUES = [None, "", "  ", "SaaS", " saas ", "FINTECH", "B2B Software", "b2b software",
               "Fintech; SaaS", "m", "zeta", "US", "us ", "DE", "ru",
               # hostile: white space Python strips (tab, line breaks, no-break space),
               # runs of spaces and separators, quotes, non-ASCII, a number in text
               "\tSaaS\r\n", "\u00a0us\u2028", "\x1cDE\x1f", "s" + " " * 200 + "x",
               ";;;", '"SaaS"', "ÉCOLE", "3.6e-05"]  # fmt: skip
TECH_VALUES = [None, "", "AWS; Okta", "gcp,azure", "AWS | GCP", "okta", "AWS ;  Okta",
               "AWS;;Okta", "Salesforce, AWS", "aws", "\tAWS\n;\u00a0okta\u3000",
               "aws" + " " * 200 + ";" + " " * 200 + "gcp", "|||", "AWS;" * 50]  # fmt: skip
DAYS = ["2020-01-01", "2023-12-31", "2024-01-01", "2024-12-15", "2025-06-15", "2025-06-16"]
DATE_VALUES = [None, *(datetime.date.fromisoformat(d) for d in DAYS)]
TYPED: dict[str, st.SearchStrategy[Any]] = {
    "employees": st.sampled_from([None, -5, 0, 99, 100, 200, 500, 999, 1000, 1001, 50_000]),
    "revenue": st.sampled_from([None, 0.0, 2.5, 99.5, 200.0, 1000.0, 1e6, 3.6e-05, 2.5e2, 1e300]),
    "industry": st.sampled_from(TEXT_VALUES),
    "country": st.sampled_from(TEXT_VALUES),
    "tech": st.sampled_from(TECH_VALUES),
    "active": st.sampled_from([None, True, False]),
    "competitor": st.sampled_from([None, True, False]),
    "last_seen": st.sampled_from(DATE_VALUES),
}
ODD: dict[str, st.SearchStrategy[Any]] = {
    "employees": st.sampled_from(["1,200", "lots", True, 1.5, "$50k", float("nan"), "1E3"]),
    "revenue": st.sampled_from(["$12.5M", "n/a", 3, "3.6e-05", "2.5e2", " 1e6 ", "1e999"]),
    "industry": st.sampled_from([5, True, ["SaaS", "x"]]),
    "country": st.sampled_from([7.0, None]),
    "tech": st.sampled_from([["AWS", "okta"], ("gcp",), {"Azure"}, 7, [1, True]]),
    "active": st.sampled_from(["yes", 1, 0, "maybe", 2]),
    "competitor": st.sampled_from(["no", "No", "true"]),
    "last_seen": st.sampled_from(
        ["2024-05-01", 2019, "garbage", datetime.datetime(2025, 1, 2, 3, 4)]
    ),
    "founded": st.sampled_from([2015, "2019-03-01", datetime.date(2021, 7, 1), "x"]),
    "age": st.sampled_from([4, 12, "7", None]),
}


@st.composite
def typed_records(draw: st.DrawFn) -> dict[str, Any]:
    return {name: draw(values) for name, values in TYPED.items()}


@st.composite
def odd_records(draw: st.DrawFn) -> dict[str, Any]:
    record = draw(typed_records())
    for name in draw(st.lists(st.sampled_from(list(ODD)), max_size=4, unique=True)):
        record[name] = draw(ODD[name])
    for name in draw(st.lists(st.sampled_from(list(record)), max_size=2, unique=True)):
        del record[name]  # absent keys, not just None
    return record


def _same_score(a: Any, b: Any) -> bool:
    return math.isclose(float(a), float(b), abs_tol=1e-9)


def _reference(
    profile: icpdsl.Profile, records: list[dict[str, Any]]
) -> list[tuple[str, Any, Any]]:
    results = [evaluate_profile(profile, r, AS_OF) for r in records]
    return [(r.verdict.value, r.score, r.tier) for r in results]


def _assert_agree(
    engine: str,
    expected: list[tuple[str, Any, Any]],
    got: list[tuple[Any, ...]],
    text: str,
    records: list[dict[str, Any]],
) -> None:
    for index, (want, have) in enumerate(zip(expected, got, strict=True)):
        verdict, score, tier = have
        same = str(verdict) == want[0] and _same_score(score, want[1]) and tier == want[2]
        assert same, (
            f"{engine} disagrees on {records[index]!r}:\n{text}\nreference {want}, {engine} {have}"
        )


def _sql_rows(connection: Any, sql: str, records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    query = f'SELECT "verdict", "score", "tier" FROM ({sql}) AS "scored" ORDER BY "row_"'
    return [tuple(row) for row in connection.execute(query).fetchall()]


_DUCKDB: list[Any] = []  # one in-process database for the whole run


def _duckdb(profile: icpdsl.Profile, records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    if not _DUCKDB:
        _DUCKDB.append(duckdb.connect())
    connection = _DUCKDB[0]
    columns = ", ".join(f'"{n}" {t}' for n, t in COLUMNS.items())
    connection.execute(f'CREATE OR REPLACE TABLE "accounts" ("row_" INTEGER, {columns})')
    row = "(" + ", ".join("?" for _ in range(len(COLUMNS) + 1)) + ")"
    values = [v for i, r in enumerate(records) for v in (i, *(r.get(n) for n in COLUMNS))]
    connection.execute(f'INSERT INTO "accounts" VALUES {", ".join(row for _ in records)}', values)
    return _sql_rows(connection, profile.to_sql("duckdb", as_of=AS_OF), records)


def _sqlite(profile: icpdsl.Profile, records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(":memory:")
    columns = ", ".join(f'"{n}"' for n in COLUMNS)
    connection.execute(f'CREATE TABLE "accounts" ("row_", {columns})')
    marks = ", ".join("?" for _ in range(len(COLUMNS) + 1))

    def cell(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime.date) else value

    rows = [(i, *(cell(r.get(n)) for n in COLUMNS)) for i, r in enumerate(records)]
    connection.executemany(f'INSERT INTO "accounts" VALUES ({marks})', rows)
    return _sql_rows(connection, profile.to_sql("sqlite", as_of=AS_OF), records)


def sqlite_plain(cell: str | None) -> bool:
    """A list cell SQLite splits as the kernel does: no white space but spaces, and no
    more than SEPARATOR_SPACES of them beside a separator."""
    return cell is None or (not any(c.isspace() and c != " " for c in cell) and " " * 4 not in cell)


def _polars(profile: icpdsl.Profile, records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    schema = {n: POLARS_TYPES[t] for n, t in COLUMNS.items()}
    frame = pl.DataFrame(
        [{n: r.get(n) for n in COLUMNS} for r in records], schema=schema, orient="row"
    )
    scored = icpdsl.polars.score(frame, profile, as_of=AS_OF)
    return list(scored.select("verdict", "score", "tier").iter_rows())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=profiles(), records=st.lists(typed_records(), min_size=1, max_size=12))
def test_every_engine_agrees_with_the_reference(text: str, records: list[dict[str, Any]]) -> None:
    profile = icpdsl.loads(text).profile
    expected = _reference(profile, records)
    compiled = compile_profile(profile, AS_OF)
    _assert_agree("compiled", expected, [compiled(r) for r in records], text, records)
    _assert_explained_alike(profile, compiled, records)
    _assert_agree("polars", expected, _polars(profile, records), text, records)
    _assert_agree("duckdb", expected, _duckdb(profile, records), text, records)
    # SQLite splits list cells with REPLACE: spaces around separators only (docs/scale.md)
    plain = [i for i, r in enumerate(records) if sqlite_plain(r.get("tech"))]
    sqlite = _sqlite(profile, records)
    _assert_agree(
        "sqlite",
        [expected[i] for i in plain],
        [sqlite[i] for i in plain],
        text,
        [records[i] for i in plain],
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=profiles(python_only=True), records=st.lists(odd_records(), min_size=1, max_size=12))
def test_compiled_agrees_on_odd_values_ages_and_durations(
    text: str, records: list[dict[str, Any]]
) -> None:
    profile = icpdsl.loads(text).profile
    expected = _reference(profile, records)
    compiled = compile_profile(profile, AS_OF)
    _assert_agree("compiled", expected, [compiled(r) for r in records], text, records)
    proxies = [types.MappingProxyType(r) for r in records]  # not a dict: the generic path
    _assert_agree("compiled (mapping)", expected, [compiled(r) for r in proxies], text, records)
    _assert_explained_alike(profile, compiled, records)


def _assert_explained_alike(
    profile: icpdsl.Profile, compiled: Any, records: list[dict[str, Any]]
) -> None:
    """The compiled path's explanations are the reference's, outcome by outcome, and its
    brief (what `icp eval` writes and counts) has the reference's reasons and the rules
    that kept the account out."""
    for record in records:
        reference = evaluate_profile(profile, record, AS_OF)
        assert compiled.evaluate(record).to_dict() == reference.to_dict(), record
        _, _, _, reasons, kept_out = compiled.brief(record)
        assert reasons == reference.reasons, record
        assert kept_out == tuple(
            i for i, o in enumerate(reference.rules) if o.status == KEPT_OUT.get(o.kind)
        ), record
