"""Scoring a CSV inside DuckDB: the same verdicts as the reference, loud on untyped cells."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

import icpdsl
from icpdsl.compile.duckdb_engine import score_csv
from icpdsl.evaluator import evaluate_profile

pytest.importorskip("duckdb")

AS_OF = datetime.date(2025, 6, 15)
PROFILE_TEXT = (
    "industry in [SaaS, fintech]\nemployees 100..1000\ndisqualify if competitor\n"
    "+10 if tech has any [aws]\ntier A if score >= 10\n"
)
ROWS = [
    ["industry", "employees", "tech", "competitor", "name"],
    ["SaaS", "500", "AWS; Okta", "false", "Acme, Inc."],
    ["fintech", "50", "gcp", "false", 'Quote "Q"'],
    ["Retail", "", "", "true", "R"],
    ["", "300", "aws", "", "Blank"],
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_typed_csv_is_scored_end_to_end(tmp_path: Path) -> None:
    document = icpdsl.loads(PROFILE_TEXT)
    source = _write(tmp_path / "in.csv", ROWS)
    score_csv(document, source, tmp_path / "out.csv", as_of=AS_OF)
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert list(out[0]) == [*ROWS[0], "verdict", "score", "tier", "reasons"]
    assert [row["name"] for row in out] == [row[4] for row in ROWS[1:]]
    for row in out:
        record = {
            "industry": row["industry"] or None,
            "employees": int(row["employees"]) if row["employees"] else None,
            "tech": row["tech"] or None,
            "competitor": {"true": True, "false": False}.get(row["competitor"]),
        }
        expected = evaluate_profile(document.profile, record, AS_OF)
        assert (row["verdict"], int(row["score"]), row["tier"] or None) == (
            expected.verdict.value,
            expected.score,
            expected.tier,
        )


def test_untyped_cells_fail_loudly_with_a_hint(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "in.csv", [["industry", "employees"], ["SaaS", "1,200"], ["x", "$5M"]]
    )
    with pytest.raises(icpdsl.ICPError) as caught:
        score_csv(icpdsl.loads("employees > 10\n"), source, tmp_path / "out.csv")
    assert "DuckDB cannot score" in caught.value.message
    assert caught.value.hint is not None and "typed columns" in caught.value.hint


def test_a_missing_file_and_an_unknown_profile_are_named(tmp_path: Path) -> None:
    document = icpdsl.loads(PROFILE_TEXT)
    with pytest.raises(icpdsl.ICPLoadError, match="no such file"):
        score_csv(document, tmp_path / "nope.csv", tmp_path / "out.csv")
    with pytest.raises(icpdsl.ICPError, match="has no profile 'Other'"):
        score_csv(document, tmp_path / "nope.csv", tmp_path / "out.csv", profile="Other")


@pytest.mark.parametrize("name", ["a[1].csv", "a?.csv", "a*.csv", "a{1,2}.csv"])
def test_a_file_name_with_glob_characters_reads_that_file_only(tmp_path: Path, name: str) -> None:
    """DuckDB reads `a[1].csv` as a pattern matching `a1.csv`: a different file's rows."""
    _write(tmp_path / "a1.csv", [["id", "employees"], ["other", "5"]])
    source = _write(tmp_path / name, [["id", "employees"], ["mine", "500"]])
    score_csv(icpdsl.loads("employees 200..1000\n"), source, tmp_path / "out.csv")
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as scored:
        rows = list(csv.DictReader(scored))
    assert [(r["id"], r["verdict"]) for r in rows] == [("mine", "fit")]


def test_icp_eval_engine_duckdb_writes_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from icpdsl.cli import main

    (tmp_path / "icp.icp").write_text(PROFILE_TEXT, encoding="utf-8")
    source = _write(tmp_path / "in.csv", ROWS)
    out = tmp_path / "out.csv"
    assert (
        main(["eval", str(tmp_path / "icp.icp"), str(source), "--engine", "duckdb", "-o", str(out)])
        == 0
    )
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("SaaS,500,AWS; Okta,false,")
    assert main(["eval", str(tmp_path / "icp.icp"), str(source), "--engine", "duckdb"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[0]
        == "industry,employees,tech,competitor,name,verdict,score,tier,reasons"
    )
    code = main(["eval", str(tmp_path / "icp.icp"), str(source), "--engine", "duckdb", "--explain"])
    assert code == 2
    assert "--engine duckdb does not support --explain" in capsys.readouterr().err


def test_rows_keep_the_input_order() -> None:
    # DuckDB turned a long `in` list into a join, and two threads scrambled the rows of
    # a large file (the first 2,048 came first, then row 165,634).  score_csv sets the
    # connection up with keep_input_order; here on a table of several row groups.
    import duckdb

    from icpdsl.compile.duckdb_engine import keep_input_order

    sql = icpdsl.loads("country in [US, GB, DE, FR, NL]\nemployees 200..1000\n").profile.to_sql()
    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    keep_input_order(duckdb, connection)
    connection.execute(
        "CREATE TABLE accounts AS SELECT range AS id, range % 2000 AS employees, "
        "(['US', 'GB', 'DE', 'FR', 'NL', 'BR', 'IN'])[range % 7 + 1] AS country "
        "FROM range(300000)"
    )
    ids = [row[0] for row in connection.execute(f'SELECT "id" FROM ({sql})').fetchall()]
    assert ids == list(range(300_000))
