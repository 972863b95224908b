"""`as of YYYY-MM-DD`: a file (or one profile) pins the date "now" means, every engine and
command uses it when the caller gives none, and a given date wins."""

from __future__ import annotations

import datetime
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import icpdsl
from icpdsl import ICPCheckError, ICPSyntaxError
from icpdsl.cli import main
from icpdsl.clock import today

PINNED = datetime.date(2013, 12, 31)
LATER = datetime.date(2020, 1, 1)
TEXT = "as of 2013-12-31\nlast_funding within 12 months\n"
RECENT = {"last_funding": "2013-06-01"}  # within a year of the pinned date; not of 2020


def _profile(text: str = TEXT) -> icpdsl.Profile:
    return icpdsl.loads(text).profile


def test_the_pinned_date_is_used_when_no_date_is_given() -> None:
    profile = _profile()
    assert profile.as_of == PINNED
    result = profile.evaluate(RECENT)
    assert (result.verdict.value, result.as_of) == ("fit", PINNED)
    assert "within 12 months of 2013-12-31" in result.rules[0].reason


def test_a_given_date_wins_over_the_pinned_one() -> None:
    result = _profile().evaluate(RECENT, as_of=LATER)
    assert (result.verdict.value, result.as_of) == ("not_fit", LATER)


def test_without_a_pin_now_is_today() -> None:
    profile = _profile("last_funding within 12 months")
    assert profile.as_of is None
    assert profile.evaluate(RECENT).as_of == today()
    assert profile.evaluation_date() == today()
    assert profile.date_source() == "today"
    assert profile.date_source(LATER) == "given"
    assert _profile().date_source() == "pinned"


def test_every_python_path_uses_the_pin() -> None:
    profile = _profile()
    assert profile.evaluate(RECENT, explain=False).verdict.value == "fit"
    assert profile.compile().as_of == PINNED
    assert profile.compile()(RECENT)[0].value == "fit"
    (many,) = profile.evaluate_many([RECENT])
    assert (many.verdict.value, many.as_of) == ("fit", PINNED)
    (quick,) = profile.evaluate_many([RECENT], explain=False)
    assert quick.as_of == PINNED
    assert profile.compile(LATER)(RECENT)[0].value == "not_fit"


def test_sql_uses_the_pin_and_a_given_date_wins() -> None:
    profile = _profile()
    assert "2013-12-31" in profile.to_sql("sqlite")
    assert "2020-01-01" in profile.to_sql("sqlite", as_of=LATER)
    assert "2013-12-31" not in profile.to_sql("sqlite", as_of=LATER)


def test_polars_uses_the_pin() -> None:
    pl = pytest.importorskip("polars")
    from icpdsl.polars import score

    frame = pl.DataFrame({"last_funding": [datetime.date(2013, 6, 1)]})
    assert score(frame, _profile())["verdict"].to_list() == ["fit"]
    assert score(frame, _profile(), as_of=LATER)["verdict"].to_list() == ["not_fit"]


def test_a_document_judges_each_profile_on_its_own_date() -> None:
    text = (
        "as of 2013-12-31\n"
        'profile "Then" {\n  last_funding within 12 months\n}\n'
        'profile "Later" {\n  as of 2020-01-01\n  last_funding within 12 months\n}\n'
    )
    document = icpdsl.loads(text)
    assert document.as_of == PINNED
    results = document.evaluate(RECENT)
    assert results["Then"].verdict.value == "fit" and results["Then"].as_of == PINNED
    assert results["Later"].verdict.value == "not_fit" and results["Later"].as_of == LATER
    given = document.evaluate(RECENT, as_of=PINNED)
    assert {r.as_of for r in given.results.values()} == {PINNED}


def test_a_profile_s_date_then_its_file_s_then_the_extended_profile_s(tmp_path: Path) -> None:
    (tmp_path / "base.icp").write_text(
        'as of 2010-06-30\nprofile "Base" {\n  last_funding within 12 months\n}\n', "utf-8"
    )
    (tmp_path / "main.icp").write_text(
        'import "base.icp"\n'
        'profile "Inherits" extends "Base" {}\n'
        'profile "Own" extends "Base" {\n  as of 2020-01-01\n}\n',
        "utf-8",
    )
    document = icpdsl.load(tmp_path / "main.icp")
    assert document.as_of is None
    assert document.profiles["Inherits"].as_of == datetime.date(2010, 6, 30)
    assert document.profiles["Own"].as_of == LATER
    (tmp_path / "main.icp").write_text(
        'import "base.icp"\nas of 2013-12-31\nprofile "FromFile" extends "Base" {}\n', "utf-8"
    )
    assert icpdsl.load(tmp_path / "main.icp").profiles["FromFile"].as_of == PINNED


def test_as_of_twice_in_one_place_is_an_error() -> None:
    with pytest.raises(ICPCheckError) as caught:
        icpdsl.loads("as of 2013-12-31\nemployees > 5\nas of 2014-01-01\n")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("ICP018", 3, 1)
    assert diagnostic.message == "`as of` is given twice (first `as of 2013-12-31` at line 1)"
    with pytest.raises(ICPCheckError, match="ICP018"):
        icpdsl.loads('profile "P" {\n  as of 2013-12-31\n  as of 2013-12-31\n  x\n}')
    # one for the file and one for a profile are two places
    assert icpdsl.loads('as of 2013-12-31\nprofile "P" {\n  as of 2014-01-01\n  x\n}')


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("as of 2013-02-30\nx", "not a valid date: 2013-02-30", 7),
        ("as of 31.12.2013\nx", "syntax error: unexpected", 7),
        ("as 2013-12-31\nx", "syntax error: unexpected", 4),
    ],
)
def test_a_bad_as_of_is_a_located_syntax_error(text: str, message: str, column: int) -> None:
    with pytest.raises(ICPSyntaxError) as caught:
        icpdsl.loads(text)
    assert caught.value.message.startswith(message)
    assert (caught.value.line, caught.value.column) == (1, column)


def test_as_of_does_not_count_as_a_statement_of_an_anonymous_profile() -> None:
    document = icpdsl.loads('as of 2013-12-31\nprofile "P" {\n  x\n}\n')
    assert list(document.profiles) == ["P"]  # no ICP008, no anonymous profile
    assert document.profiles["P"].as_of == PINNED


def test_as_of_is_formatted_and_survives_a_round_trip() -> None:
    text = 'as of  2013-12-31\nprofile "P" {\n   as of 2014-01-01\n  x\n}\n'
    formatted = icpdsl.format(text)
    assert formatted == ('as of 2013-12-31\n\nprofile "P" {\n  as of 2014-01-01\n\n  x\n}\n')
    assert icpdsl.format(formatted) == formatted


def test_a_field_named_as_is_written_in_backticks() -> None:
    document = icpdsl.loads("`as` > 5\nrequire as > 5")
    assert document.profile.evaluate({"as": 6}).verdict.value == "fit"


def test_the_examples_of_a_pinned_file_run_on_its_date(tmp_path: Path) -> None:
    from icpdsl.testing import assert_fit, run_examples

    text = TEXT + 'examples {\n  fit "recent" { last_funding: 2013-06-01 }\n}\n'
    document = icpdsl.loads(text)
    (run,) = run_examples(document)
    assert run.passed, run.problems
    assert_fit(document.profile, RECENT)
    (tmp_path / "p.icp").write_text(text, encoding="utf-8")
    assert _run("test", str(tmp_path / "p.icp"))[0] == 0


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def pinned_files(tmp_path: Path) -> tuple[str, str]:
    profile = tmp_path / "p.icp"
    profile.write_text(TEXT, encoding="utf-8")
    data = tmp_path / "a.csv"
    data.write_text("id,last_funding\nacme,2013-06-01\n", encoding="utf-8")
    return str(profile), str(data)


def test_icp_eval_says_which_date_it_used(pinned_files: tuple[str, str]) -> None:
    profile, data = pinned_files
    code, out, err = _run("eval", profile, data, "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["verdict"] == "fit"
    assert "scored against 1 profile as of 2013-12-31, set in the file;" in err
    code, out, err = _run("eval", profile, data, "--format", "json", "--as-of", "2020-01-01")
    assert json.loads(out)[0]["verdict"] == "not_fit"
    assert "scored against 1 profile as of 2020-01-01;" in err


def test_icp_explain_says_which_date_it_used(pinned_files: tuple[str, str]) -> None:
    profile, data = pinned_files
    code, out, _ = _run("explain", profile, data, "--row", "1")
    assert code == 0
    assert out.splitlines()[0].endswith("(as of 2013-12-31, set in the file)")
    code, out, _ = _run("explain", profile, data, "--row", "1", "--format", "json")
    assert json.loads(out)["as_of"] == "2013-12-31"


def test_icp_eval_s_json_summary_gives_each_profile_s_date(pinned_files: tuple[str, str]) -> None:
    profile, data = pinned_files
    code, out, _ = _run("eval", profile, data, "--summary-only", "--format", "json")
    assert code == 0
    assert json.loads(out)["as_of"] == {"p": "2013-12-31"}


@pytest.mark.parametrize("engine", [("--jobs", "2"), ("--engine", "duckdb")])
def test_every_engine_of_icp_eval_uses_the_pinned_date(
    pinned_files: tuple[str, str], engine: tuple[str, str]
) -> None:
    if engine[1] == "duckdb":
        pytest.importorskip("duckdb")
    profile, data = pinned_files
    code, out, err = _run("eval", profile, data, "--format", "csv", "--no-progress", *engine)
    assert code == 0, err
    assert out.splitlines()[1].split(",")[2] == "fit"
    assert "as of 2013-12-31, set in the file" in err


def test_icp_sql_writes_the_pinned_date(pinned_files: tuple[str, str]) -> None:
    pytest.importorskip("sqlglot")
    profile, _ = pinned_files
    code, out, _ = _run("sql", profile, "--dialect", "duckdb")
    assert code == 0 and "2013-12-31" in out
    code, out, _ = _run("sql", profile, "--dialect", "duckdb", "--as-of", "2020-01-01")
    assert code == 0 and "2020-01-01" in out and "2013-12-31" not in out
