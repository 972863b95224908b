"""Generated SQL is injection-proof: hostile field names, column names, literals, labels
and table names run on DuckDB and SQLite exactly as the reference evaluator judges, harm
nothing, and parse back intact in every other dialect."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

import icpdsl
from icpdsl.compile.sql import DIALECTS
from icpdsl.evaluator import evaluate_profile

sqlglot = pytest.importorskip("sqlglot")
duckdb = pytest.importorskip("duckdb")
exp = sqlglot.exp

AS_OF = datetime.date(2025, 6, 15)
#: Text that ends or comments out a quoted SQL token in some dialect.
HOSTILE = [
    'dq"uote',
    "sq'uote",
    "back\\slash",
    "back\\'slash-quote",
    'back\\"slash-dquote',
    "trailing\\",
    "semi;colon",
    "x; DROP TABLE canary; --",
    "'); DROP TABLE canary; --",
    '"); DROP TABLE canary; --',
    "-- line comment",
    "/* block */",
    "*/ close",
    "# hash",
    "$1 ? %s :name {0}",
    "new\nline",
    "$$dollar$$",
    "`tick`",
]
LOCAL = ("duckdb", "sqlite")
REMOTE = tuple(d for d in DIALECTS if d not in LOCAL)


def _icp_string(text: str) -> str:
    """`text` as an ICP string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _profile(column: str, value: str) -> icpdsl.Profile:
    """Every place a name or a literal reaches SQL: a mapped column, `in`, `==`, `has`,
    a disqualifier's reason, points, a tier name."""
    text = (
        f"fields {{\n  f: string from {_icp_string(column)}\n"
        f"  t: set[string] from {_icp_string(column + ' tags')}\n  n: int\n}}\n"
        f"f in [{_icp_string(value)}, plain]\n"
        f"disqualify if f == {_icp_string(value + ' x')}: {_icp_string(value)}\n"
        f"+5 if t has any [{_icp_string(value)}, other]\n"
        f"+1 if n is known\n"
        f"tier {_icp_string(value)} if score >= 5\n"
        f"tier plain otherwise\n"
    )
    return icpdsl.loads(text).profile


def _rows(value: str) -> list[tuple[int, str | None, str | None, int | None]]:
    """(row_, f, t, n): `t` holds list cells such as `other; <value>` when the value has no
    list separator in it (a separator would split it, in SQL and in the reference alike)."""
    cells = [value, f" {value.upper()} ", f"{value} x", "plain", "other", None, "", "nope"]
    tags = [f"other; {value}", value, None, "", "x", "other", f"{value}|y", "zz"]
    return [(i, cell, tag, i) for i, (cell, tag) in enumerate(zip(cells, tags, strict=True))]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _connections(column: str, rows: list[Any]) -> Iterator[tuple[str, Any]]:
    """DuckDB and SQLite, each with `accounts` (the hostile column) and a `canary` table."""
    tags = _quoted(column + " tags")
    create = (
        f'CREATE TABLE accounts ("row_" INTEGER, {_quoted(column)} VARCHAR, {tags} VARCHAR, '
        '"n" INTEGER)'
    )
    ddb = duckdb.connect()
    lite = sqlite3.connect(":memory:")
    for name, connection in (("duckdb", ddb), ("sqlite", lite)):
        connection.execute(create)
        connection.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?)", rows)
        connection.execute("CREATE TABLE canary (alive INTEGER)")
        connection.execute("INSERT INTO canary VALUES (1)")
        yield name, connection


def _expected(profile: icpdsl.Profile, rows: list[Any]) -> list[tuple[Any, ...]]:
    records = [{"f": cell, "t": tag, "n": n} for _, cell, tag, n in rows]
    results = [evaluate_profile(profile, record, AS_OF) for record in records]
    return [(r.verdict.value, r.score, r.tier) for r in results]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_names_and_values_run_as_the_reference_judges(hostile: str) -> None:
    profile = _profile(column=hostile, value=hostile)
    rows = _rows(hostile)
    expected = _expected(profile, rows)
    assert {e[0] for e in expected} >= {"fit", "disqualified"}  # the literals really match
    for dialect, connection in _connections(hostile, rows):
        sql = profile.to_sql(dialect, as_of=AS_OF)
        query = f'SELECT "verdict", "score", "tier", "reasons" FROM ({sql}) AS s ORDER BY "row_"'
        got = connection.execute(query).fetchall()
        assert [tuple(row[:3]) for row in got] == expected, dialect
        fired = [row[3] for row in got if row[0] == "disqualified"]
        assert fired and set(fired) == {profile.disqualifiers[0].text}  # the rule, verbatim
        assert connection.execute("SELECT alive FROM canary").fetchall() == [(1,)], dialect
        assert connection.execute("SELECT count(*) FROM accounts").fetchone() == (len(rows),)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_table_names_are_one_quoted_identifier(hostile: str) -> None:
    profile = icpdsl.loads("n > 1").profile
    for dialect, connection in _connections("f", [(0, "x", "y", 5)]):
        connection.execute(f"CREATE TABLE {_quoted(hostile)} AS SELECT * FROM accounts")
        sql = profile.to_sql(dialect, table=hostile, as_of=AS_OF)
        assert connection.execute(f'SELECT "verdict" FROM ({sql}) AS s').fetchall() == [("fit",)]
        assert connection.execute("SELECT alive FROM canary").fetchall() == [(1,)]


def _identifiers(tree: Any) -> set[str]:
    return {node.name for node in tree.find_all(exp.Identifier)}


def _strings(tree: Any) -> set[str]:
    return {node.this for node in tree.find_all(exp.Literal) if node.is_string}


@pytest.mark.parametrize("dialect", REMOTE)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_other_dialects_quote_every_name_and_literal(dialect: str, hostile: str) -> None:
    # No server for these dialects here: parse the SQL back with sqlglot in the same
    # dialect.  One statement, the hostile name is one identifier and the hostile text one
    # string literal, unchanged; anything that escaped its quotes would break one of these.
    profile = _profile(column=hostile, value=hostile)
    sql = profile.to_sql(dialect, table=("crm", hostile), as_of=AS_OF)
    statements = sqlglot.parse(sql, read=dialect)
    assert len(statements) == 1 and isinstance(statements[0], exp.Select)
    tree = statements[0]
    assert hostile in _identifiers(tree)
    strings = _strings(tree)  # text literals are compared trimmed and case-folded
    assert {hostile.strip().casefold(), (hostile + " x").strip().casefold()} <= strings
    assert "; " + profile.disqualifiers[0].text in strings  # a piece of `reasons`, verbatim
    assert tree.sql(dialect=dialect) == sql  # the parse saw exactly what was generated
    assert tree.find(exp.Drop) is None and tree.find(exp.Command) is None


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_nul_in_a_mapped_column_or_a_literal_is_refused(dialect: str) -> None:
    with pytest.raises(icpdsl.ICPError, match="NUL"):
        _profile(column="a\x00b", value="v").to_sql(dialect)
    with pytest.raises(icpdsl.ICPError, match="NUL"):
        _profile(column="c", value="v\x00; DROP TABLE canary").to_sql(dialect)
    with pytest.raises(icpdsl.ICPError, match="not a table name"):
        icpdsl.loads("n > 1").profile.to_sql(dialect, table="a\x00b")
