"""SQL generation: every dialect parses, hostile names and values run safely, limits are loud."""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl import ICPUnsupportedError
from icpdsl.compile.sql import DIALECTS
from icpdsl.evaluator import evaluate_profile
from icpdsl.semantics.cells import WHITESPACE, text_key

sqlglot = pytest.importorskip("sqlglot")
duckdb = pytest.importorskip("duckdb")

AS_OF = datetime.date(2025, 6, 15)
GOLDEN = Path(__file__).parent.parent / "golden" / "sql"
SECURITY = icpdsl.load("examples/security.icp").profile

HOSTILE = [
    'dq"uote',
    "it's",
    "back\\slash",
    "semi;colon",
    "-- comment",
    "/* block */",
    "`tick`",
    "ünïcödé ✓",
    "%s {0} $1 ?",
    "'); DROP TABLE accounts; --",
]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_gets_one_select_that_parses_back(dialect: str) -> None:
    sql = SECURITY.to_sql(dialect, as_of=AS_OF)
    statements = sqlglot.parse(sql, read=dialect)
    assert len(statements) == 1 and isinstance(statements[0], sqlglot.exp.Select)
    for column in ("verdict", "score", "tier", "reasons"):
        assert column in statements[0].named_selects


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite", "postgres"])
def test_sql_matches_its_golden_file(dialect: str) -> None:
    """tests/golden/sql/security.<dialect>.sql; ICP_UPDATE_GOLDEN=1 rewrites them.  Byte
    for byte: the literal of characters TRIM removes holds line breaks."""
    sql = (SECURITY.to_sql(dialect, as_of=AS_OF) + "\n").encode()
    path = GOLDEN / f"security.{dialect}.sql"
    if os.environ.get("ICP_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(sql)
    assert sql == path.read_bytes()


def test_table_names_are_quoted_and_may_be_qualified() -> None:
    profile = icpdsl.loads("employees > 10\n").profile
    assert 'FROM "crm"."my accounts"' in profile.to_sql("postgres", table=("crm", "my accounts"))
    assert "FROM `a``b`" in profile.to_sql("spark", table="a`b")


@pytest.mark.parametrize("table", ["", "a\x00b", ("a", "b", "c", "d")])
def test_bad_table_names_are_refused(table: Any) -> None:
    with pytest.raises(icpdsl.ICPError, match="not a table name"):
        icpdsl.loads("employees > 10\n").profile.to_sql(table=table)


def test_an_unknown_dialect_is_named() -> None:
    with pytest.raises(
        icpdsl.ICPError, match=r"unknown SQL dialect 'oracle'; choose one of: duckdb"
    ):
        SECURITY.to_sql("oracle")


@pytest.mark.parametrize(
    ("text", "construct"),
    [
        ("age 3..10 years\n", "`age` (the reference derives it from `founded`)"),
        ("founded > 5 years\n", "a duration comparison (5 years)"),
        ("industry in [SaaS, 5]\n", "a list mixing kinds of values"),
        ("active in [true, false]\n", "`in` with true/false values"),
        ("tech has any [AWS, 5]\n", "a list item that is not text (5)"),
    ],
)
def test_what_sql_cannot_express_is_refused_by_name(text: str, construct: str) -> None:
    profile = icpdsl.loads(text).profile
    with pytest.raises(ICPUnsupportedError) as caught:
        profile.to_sql("duckdb")
    assert caught.value.message == f"SQL (duckdb) cannot express {construct}"
    assert caught.value.line == 1 and caught.value.code == "ICP050"


def _icp_string(text: str) -> str:
    """`text` as an ICP string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _tables(name: str, values: list[Any]) -> tuple[Any, Any]:
    """The same one-column table (plus `row_`) in DuckDB and in SQLite."""
    quoted = '"' + name.replace('"', '""') + '"'
    ddb = duckdb.connect()
    ddb.execute(f'CREATE TABLE accounts ("row_" INTEGER, {quoted} VARCHAR)')
    lite = sqlite3.connect(":memory:")
    lite.execute(f'CREATE TABLE accounts ("row_", {quoted})')
    for connection in (ddb, lite):
        connection.executemany("INSERT INTO accounts VALUES (?, ?)", list(enumerate(values)))
    return ddb, lite


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_values_run_on_duckdb_and_sqlite(name: str) -> None:
    value = name.replace('"', "'").replace("\\", "/")
    text = (
        f'`{name.replace("`", "")}` in ["{value}", other]\n'
        f'disqualify if `{name.replace("`", "")}` == "{value} x": "{value}"\n'
        f"+5 if `{name.replace('`', '')}` is known\n"
        f'tier "{value}" if score >= 5\n'
    )
    field = name.replace("`", "")
    profile = icpdsl.loads(text).profile
    values = [value, value.upper() + "  ", f"{value} x", "other", None, "", "nope"]
    records = [{field: v} for v in values]
    expected = [evaluate_profile(profile, r, AS_OF) for r in records]
    for dialect, connection in zip(("duckdb", "sqlite"), _tables(field, values), strict=True):
        if dialect == "sqlite" and not value.isascii():
            with pytest.raises(
                ICPUnsupportedError, match="SQLite's LOWER folds ASCII letters only"
            ):
                profile.to_sql(dialect)
            continue
        sql = profile.to_sql(dialect, as_of=AS_OF)
        query = f'SELECT "verdict", "score", "tier", "reasons" FROM ({sql}) AS s ORDER BY "row_"'
        rows = connection.execute(query).fetchall()
        got = [(v, s, t) for v, s, t, _ in rows]
        assert got == [(r.verdict.value, r.score, r.tier) for r in expected], dialect
        assert connection.execute("SELECT count(*) FROM accounts").fetchone() == (len(values),)


def test_nul_characters_are_refused_not_truncated() -> None:
    with pytest.raises(ICPUnsupportedError, match="NUL"):
        icpdsl.loads('industry == "a\x00b"\n').profile.to_sql("sqlite")


def test_reasons_name_the_rules_that_kept_an_account_out() -> None:
    records = [
        {"industry": "Fintech", "employees": 50, "has_security_owner": True, "tech": "AWS",
         "country": "US", "requires": "", "is_competitor": False},
        {"industry": "SaaS", "employees": None, "has_security_owner": True, "tech": "AWS; Okta",
         "country": "US", "requires": "on_prem", "is_competitor": True},
        {"industry": "SaaS", "employees": 500, "has_security_owner": None, "tech": "GCP",
         "country": None, "requires": None, "is_competitor": False},
        {"industry": "SaaS", "employees": 500, "has_security_owner": True, "tech": "GCP",
         "country": "DE", "requires": None, "is_competitor": False},
    ]  # fmt: skip
    columns = list(records[0])
    connection = duckdb.connect()
    types = {"employees": "BIGINT", "has_security_owner": "BOOLEAN", "is_competitor": "BOOLEAN"}
    spec = ", ".join(f'"{c}" {types.get(c, "VARCHAR")}' for c in columns)
    connection.execute(
        f"CREATE TABLE accounts (row_ INTEGER, revenue DOUBLE, funding_stage VARCHAR, {spec})"
    )
    for index, record in enumerate(records):
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        connection.execute(
            f"INSERT INTO accounts (row_, {names}) VALUES (?, {marks})", [index, *record.values()]
        )
    sql = SECURITY.to_sql("duckdb", as_of=AS_OF)
    rows = connection.execute(f'SELECT "verdict", "reasons" FROM ({sql}) ORDER BY row_').fetchall()
    for (verdict, reasons), record in zip(rows, records, strict=True):
        result = evaluate_profile(SECURITY, record, AS_OF)
        assert verdict == result.verdict.value
        wanted = {"disqualified": "fired", "not_fit": "fail", "unknown": "unknown"}.get(verdict)
        kept_out = [
            o.rule
            for o in result.rules
            if o.status == wanted and o.kind in ("criterion", "disqualifier")
        ]
        assert reasons == ("; ".join(kept_out) or None)


def _spark_unavailable() -> str | None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (the Spark test needs Java 17+)"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'icpdsl[spark]', or `make spark`)"
    return None


@pytest.mark.spark
@pytest.mark.skipif(_spark_unavailable() is not None, reason=str(_spark_unavailable()))
def test_generated_spark_sql_runs_in_a_local_spark_session() -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("icpdsl-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    try:
        schema = T.StructType([
            T.StructField("row_", T.IntegerType()),
            T.StructField("industry", T.StringType()),
            T.StructField("employees", T.LongType()),
            T.StructField("has_security_owner", T.BooleanType()),
            T.StructField("tech", T.StringType()),
            T.StructField("country", T.StringType()),
            T.StructField("requires", T.StringType()),
            T.StructField("is_competitor", T.BooleanType()),
            T.StructField("revenue", T.DoubleType()),
            T.StructField("funding_stage", T.StringType()),
            T.StructField("it's \\ odd", T.StringType()),
        ])  # fmt: skip
        rows = [
            (0, "SaaS", 540, True, "AWS; Okta", "US", None, False, 25e6, "Series_B", "x'y"),
            (1, " b2b software ", 200, True, "gcp", "DE", "", False, 1e6, None, None),
            (2, "Fintech", 500, True, "AWS", "US", None, False, None, "Seed", ""),
            (3, "SaaS", None, True, "Azure|Okta", "GB", None, None, None, "", "a\\b"),
            (4, "SaaS", 500, True, "AWS", "US", "on_prem, x", False, 3e7, "Series_C", None),
            (5, None, None, None, None, None, None, None, None, None, None),
        ]
        spark.createDataFrame(rows, schema).createOrReplaceTempView("accounts")
        odd = icpdsl.loads(
            '`it\'s \\ odd` in ["x\'y", "a\\\\b"]\n+1 if `it\'s \\ odd` is known\n'
        ).profile
        for candidate in (SECURITY, odd):
            sql = candidate.to_sql("spark", as_of=AS_OF)
            got = {
                r["row_"]: (r["verdict"], r["score"], r["tier"]) for r in spark.sql(sql).collect()
            }
            names = schema.fieldNames()
            for row in rows:
                record = dict(zip(names, row, strict=True))
                expected = evaluate_profile(candidate, record, AS_OF)
                assert got[row[0]] == (expected.verdict.value, expected.score, expected.tier), (
                    record
                )
    finally:
        spark.stop()


def test_a_fields_block_maps_fields_to_their_columns() -> None:
    text = 'fields { employees: int from "Number of Employees" }\nemployees 100..1000\n'
    profile = icpdsl.loads(text).profile
    connection = duckdb.connect()
    connection.execute('CREATE TABLE accounts ("Number of Employees" BIGINT)')
    connection.execute("INSERT INTO accounts VALUES (500), (50), (NULL)")
    rows = connection.execute(f"SELECT verdict FROM ({profile.to_sql('duckdb')})").fetchall()
    assert rows == [("fit",), ("not_fit",), ("unknown",)]


#: Every ASCII character but NUL, and text that is special to a regular expression.
REGEX_TEXT = [chr(code) for code in range(1, 128)] + [
    r"a.b*c+d?e(f)[g]{1,2}^$|\\", r"\Q x \E", "(?i)AWS", "c++", "node.js", "ünï ✓ \\d",
]  # fmt: skip


def test_regex_quote_matches_exactly_its_text_in_duckdb() -> None:
    from icpdsl.compile.sql import regex_quote

    connection = duckdb.connect()
    for text in REGEX_TEXT:
        quoted = sqlglot.exp.Literal.string(regex_quote(text)).sql("duckdb")
        literal = sqlglot.exp.Literal.string(text).sql("duckdb")
        same, other = connection.execute(
            f"SELECT regexp_full_match({literal}, {quoted}), "
            f"regexp_matches({literal} || 'x', '^' || {quoted} || '$')"
        ).fetchone()
        assert (same, other) == (True, False), repr(text)


LIST_CELLS = [None, "", "a", "a;;b", "a;b", "a|b", "a b", ";", " a ;  b ", "a\tb",
              "x; a\tb", "x,\ta b\t,y", "\ta;b", "b;a\t", "a\nb", "A;B", "c++; node.js",
              "(?i)aws", "a.b"]  # fmt: skip
LIST_TESTS = ['tech has ""', 'tech has " "', 'tech has "a;b"', 'tech has "a|b"', "tech has a",
              'tech has any ["a|b", b]', 'tech has all [a, "a;b"]', 'tech has none ["", a]',
              'tech has "a b"', 'tech has "a\\tb"', "tech has all [a, b]", 'tech "a.b"',
              'tech has any ["c++", "node.js", "(?i)AWS"]', 'tech has none [a, b]']  # fmt: skip


def _plain(cell: str | None, dialect: str) -> bool:
    """Whether SQL reads `cell` as the reference does: SQLite's REPLACE handles spaces
    around separators only, not tabs (docs/scale.md)."""
    return cell is None or not (dialect == "sqlite" and "\t" in cell)


@pytest.mark.parametrize("test", LIST_TESTS)
def test_list_items_are_found_as_the_reference_splits_them(test: str) -> None:
    # Blank items and items holding a separator are never in a list cell: the
    # reference splits `a|b` into two items.  DuckDB searches one regular expression.
    for fields in ("", "fields {\n  tech: set[string]\n}\n"):  # a set also splits at \n
        profile = icpdsl.loads(fields + test + "\n").profile
        records = [{"tech": cell} for cell in LIST_CELLS]
        expected = [evaluate_profile(profile, r, AS_OF).verdict.value for r in records]
        for dialect, connection in zip(
            ("duckdb", "sqlite"), _tables("tech", LIST_CELLS), strict=True
        ):
            sql = profile.to_sql(dialect, as_of=AS_OF)
            query = f'SELECT "verdict" FROM ({sql}) AS s ORDER BY "row_"'
            got = [row[0] for row in connection.execute(query).fetchall()]
            plain = [i for i, cell in enumerate(LIST_CELLS) if _plain(cell, dialect)]
            assert [got[i] for i in plain] == [expected[i] for i in plain], (dialect, fields)


@settings(max_examples=200, deadline=None)
@given(
    cell=st.text(alphabet="ab. \t\n;,|", max_size=12),
    targets=st.lists(
        st.text(alphabet="ab. \t\n;,|", min_size=1, max_size=4), min_size=1, max_size=3
    ),
    lines=st.booleans(),
)
def test_duckdb_finds_an_item_where_splitting_the_cell_would(
    cell: str, targets: list[str], lines: bool
) -> None:
    # The identity duckdb_found relies on: one regular expression searched in the cell
    # finds a target exactly when splitting the cell into items would (NULL stays NULL).
    from icpdsl.compile.sql import ITEM_SEPARATOR, LINE_SEPARATOR

    values = ", ".join(_icp_string(t) for t in targets)
    fields = "fields {\n  tech: set[string]\n}\n" if lines else ""
    profile = icpdsl.loads(f"{fields}tech has any [{values}]\n").profile
    sql = profile.to_sql("duckdb", as_of=AS_OF)
    split = LINE_SEPARATOR if lines else ITEM_SEPARATOR
    text = "LOWER(NULLIF(TRIM(?, ?), ''))"  # trimmed of the kernel's white space
    wanted = sorted({text_key(t) for t in targets} - {""})
    by_split, by_regex = duckdb.execute(
        f'WITH "accounts" AS (SELECT ? AS "tech") '
        f"SELECT list_has_any(regexp_split_to_array({text}, ?), ?::VARCHAR[]), "
        f'(SELECT "verdict" FROM ({sql}) AS s)',
        [cell, cell, WHITESPACE, split, wanted],
    ).fetchone()
    assert {True: "fit", False: "not_fit", None: "unknown"}[by_split] == by_regex
