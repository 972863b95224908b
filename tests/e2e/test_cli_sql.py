"""`icp sql PROFILE --dialect D`: the SELECT `to_sql` builds, for every dialect; refusals
as one-line errors with their location; a missing extra names its pip line."""

from __future__ import annotations

import contextlib
import datetime
import io
import sqlite3
import sys
from pathlib import Path

import pytest

import icpdsl
from icpdsl.cli import main
from icpdsl.cli.sql_cmd import DIALECTS
from icpdsl.compile import sql as compile_sql

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "examples" / "security.icp"
AS_OF = datetime.date(2025, 6, 30)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["sql", *argv])
    return code, out.getvalue(), err.getvalue()


def test_the_dialects_are_those_to_sql_writes() -> None:
    assert set(DIALECTS) == set(compile_sql.DIALECTS)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_prints_what_to_sql_builds(dialect: str) -> None:
    profile = icpdsl.load(SECURITY).profile
    code, out, err = run(str(SECURITY), "--dialect", dialect, "--as-of", "2025-06-30")
    assert (code, err) == (0, "")
    assert out == profile.to_sql(dialect, as_of=AS_OF) + "\n"


def test_a_qualified_table_and_a_chosen_profile(tmp_path: Path) -> None:
    segments = ROOT / "examples" / "segments.icp"
    code, out, _ = run(str(segments), "--dialect", "snowflake", "--table",
                       "ANALYTICS.CRM.ACCOUNTS", "--profile", "Healthcare", "--as-of",
                       "2025-06-30")  # fmt: skip
    assert code == 0
    expected = compile_sql.to_sql(icpdsl.load(segments).profiles["Healthcare"], "snowflake",
                                  ["ANALYTICS", "CRM", "ACCOUNTS"], AS_OF)  # fmt: skip
    assert out == expected + "\n"
    assert '"ANALYTICS"."CRM"."ACCOUNTS"' in out
    model = tmp_path / "scored.sql"
    assert run(str(segments), "--dialect", "duckdb", "--profile", "SaaS", "-o", str(model))[0] == 0
    assert model.read_text().startswith("SELECT ")


def test_several_profiles_need_one_chosen() -> None:
    code, out, err = run(str(ROOT / "examples" / "segments.icp"), "--dialect", "duckdb")
    assert (code, out) == (2, "")
    assert err == (
        f"icp sql: {ROOT / 'examples' / 'segments.icp'} has 4 profiles; one SELECT scores one\n"
        "    hint: pick one with --profile NAME: 'SaaS', 'Healthcare', 'Manufacturing', "
        "'North America mid-market'\n"
    )
    code, _, err = run(str(SECURITY), "--dialect", "duckdb", "--profile", "Nope")
    assert code == 2 and "no profile named 'Nope'" in err
    code, _, err = run(str(SECURITY), "--dialect", "duckdb", "--table", "a..b")
    assert code == 2 and "--table 'a..b' is not a table name" in err


def test_every_refused_rule_is_one_line_with_its_location(tmp_path: Path) -> None:
    profile = tmp_path / "p.icp"
    profile.write_text(
        "employees 200..1000\nage 3..10 years\nindustry in [SaaS, 5]\n"
        "define old = age > 20\ndisqualify if old\n+5 if old\n"
    )
    code, out, err = run(str(profile), "--dialect", "postgres")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"icp sql: {profile}:2:1: ICP050 SQL (postgres) cannot express `age` (the reference "
        "derives it from `founded`) (use `founded within N years`, or a precomputed age "
        "column under another name)",
        f"icp sql: {profile}:3:1: ICP050 SQL (postgres) cannot express a list mixing kinds "
        "of values",
        f"icp sql: {profile}:4:14: ICP050 SQL (postgres) cannot express `age` (the reference "
        "derives it from `founded`) (use `founded within N years`, or a precomputed age "
        "column under another name)",
    ]


def test_sqlite_refuses_what_its_lower_cannot_fold(tmp_path: Path) -> None:
    profile = tmp_path / "p.icp"
    profile.write_text('country in ["Österreich"]\n')
    code, _, err = run(str(profile), "--dialect", "sqlite")
    assert code == 2 and "ICP050 SQL (sqlite) cannot express non-ASCII text" in err
    assert run(str(profile), "--dialect", "duckdb")[0] == 0


def test_the_printed_select_runs(tmp_path: Path) -> None:
    profile = tmp_path / "p.icp"
    profile.write_text("industry in [SaaS]\nemployees 200..1000\n+10 if country == US\n")
    _, out, _ = run(str(profile), "--dialect", "sqlite")
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE TABLE accounts (name TEXT, industry TEXT, employees INT, country TEXT)"
    )
    connection.executemany(
        "INSERT INTO accounts VALUES (?, ?, ?, ?)",
        [("Acme", "SaaS", 500, "US"), ("Tiny", "saas", 20, "DE"), ("Anon", None, 300, "US")],
    )
    rows = connection.execute(f"SELECT name, verdict, score FROM ({out})").fetchall()
    assert rows == [("Acme", "fit", 10), ("Tiny", "not_fit", 0), ("Anon", "unknown", 10)]


def test_without_the_sql_extra_the_error_names_the_pip_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sqlglot", None)  # `import sqlglot` fails
    monkeypatch.delitem(sys.modules, "icpdsl.compile.sql")
    code, out, err = run(str(SECURITY), "--dialect", "duckdb")
    assert (code, out) == (2, "")
    assert err == ("icp sql: Profile.to_sql needs the 'sql' extra: pip install 'icpdsl[sql]'\n")
