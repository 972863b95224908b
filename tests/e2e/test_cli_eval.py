"""`icp eval` as a user runs it: a subprocess, its output, its summary and its exit code."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import icpdsl
from icpdsl.io import read_records
from icpdsl.io.writers import json_text

ROOT = Path(__file__).resolve().parents[2]
SECURITY = "examples/security.icp"
ACCOUNTS = "examples/accounts.csv"
AS_OF = "2026-06-01"


def icp(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "icpdsl", *args],
        cwd=ROOT,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "", **(env or {})},
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def records() -> list[dict[str, object]]:
    out = []
    for row in read_records(ROOT / ACCOUNTS):
        assert row.record is not None
        out.append(
            {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in row.record.items()}
        )
    return out


def uniform(accounts: list[dict[str, object]]) -> list[dict[str, object]]:
    """Columns holding several types (`540` and `n/a`) as text, as Parquet needs."""
    mixed = {k for k in accounts[0] if len({type(a[k]) for a in accounts} - {type(None)}) > 1}
    return [
        {k: str(v) if k in mixed and v is not None else v for k, v in a.items()} for a in accounts
    ]


@pytest.fixture(scope="module")
def baseline() -> list[dict[str, str]]:
    result = icp("eval", SECURITY, ACCOUNTS, "--format", "csv", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    return csv_rows(result.stdout)


def test_csv_output_has_one_row_per_account_in_order(baseline: list[dict[str, str]]) -> None:
    assert list(baseline[0]) == ["row", "id", "verdict", "score", "tier", "reason", "error"]
    assert [r["row"] for r in baseline] == [str(n) for n in range(1, 67)]
    assert baseline[0] == {
        "row": "1",
        "id": "1",
        "verdict": "fit",
        "score": "40",
        "tier": "A",
        "reason": "",
        "error": "",
    }
    assert baseline[1]["verdict"] == "not_fit"
    assert baseline[1]["reason"] == (
        "employees 40 is below 200..1000 (160 short); has_security_owner is false"
    )


def test_every_input_format_gives_the_same_verdicts(
    tmp_path: Path, baseline: list[dict[str, str]]
) -> None:
    accounts = records()
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in accounts))
    (tmp_path / "a.json").write_text(json.dumps(accounts, indent=2))
    inputs = [tmp_path / "a.jsonl", tmp_path / "a.json"]
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(uniform(accounts)), tmp_path / "a.parquet")
        inputs.append(tmp_path / "a.parquet")
    except ImportError:
        pass
    expected = [(r["verdict"], r["score"], r["tier"]) for r in baseline]
    for path in inputs:
        result = icp("eval", SECURITY, str(path), "--format", "csv", "--as-of", AS_OF)
        assert result.returncode == 0, (path, result.stderr)
        got = [(r["verdict"], r["score"], r["tier"]) for r in csv_rows(result.stdout)]
        assert got == expected, path
    piped = icp(
        "eval",
        SECURITY,
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "csv",
        "--as-of",
        AS_OF,
        stdin=inputs[0].read_bytes(),
    )
    assert [(r["verdict"], r["score"], r["tier"]) for r in csv_rows(piped.stdout)] == expected
    sniffed = icp(
        "eval",
        SECURITY,
        "-",
        "--format",
        "csv",
        "--as-of",
        AS_OF,
        stdin=(ROOT / ACCOUNTS).read_bytes(),
    )
    assert csv_rows(sniffed.stdout) == baseline


def test_output_formats_table_jsonl_json_and_file(
    tmp_path: Path, baseline: list[dict[str, str]]
) -> None:
    lines = icp("eval", SECURITY, ACCOUNTS, "--format", "jsonl", "--as-of", AS_OF).stdout
    objects = [json.loads(line) for line in lines.splitlines()]
    assert [o["verdict"] for o in objects] == [r["verdict"] for r in baseline]
    assert objects[1]["profiles"]["Mid-market SaaS security"]["reasons"] == [
        "employees 40 is below 200..1000 (160 short)",
        "has_security_owner is false",
    ]
    array = json.loads(icp("eval", SECURITY, ACCOUNTS, "--format", "json", "--as-of", AS_OF).stdout)
    assert array == objects
    table = icp("eval", SECURITY, ACCOUNTS, "--as-of", AS_OF)
    assert table.stdout.splitlines()[0].split() == [
        "row",
        "id",
        "verdict",
        "score",
        "tier",
        "reason",
    ]
    assert len(table.stdout.splitlines()) == 67
    assert "\033[" not in table.stdout  # piped: no colour
    assert table.stderr.startswith("66 rows in ")
    assert "every row was read" in table.stderr
    assert "rules that failed most often:" in table.stderr
    assert "fields most often missing:" in table.stderr
    target = tmp_path / "scored.csv"
    written = icp("eval", SECURITY, ACCOUNTS, "-o", str(target), "--as-of", AS_OF)
    assert (written.returncode, written.stdout) == (0, "")
    assert csv_rows(target.read_text()) == baseline
    coloured = icp("eval", SECURITY, ACCOUNTS, "--color", "always", "--top", "1")
    assert "\033[32mfit\033[0m" in coloured.stdout


def test_broken_rows_keep_their_place_and_set_the_exit_code(tmp_path: Path) -> None:
    lines = (ROOT / ACCOUNTS).read_text().splitlines()
    broken = [*lines[:3], '99,"bad"quote,x', "98,too,few", *lines[3:6], '97,"unclosed', *lines[6:]]
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(broken) + "\n")
    result = icp("eval", SECURITY, str(path), "--format", "csv")
    assert result.returncode == 1
    out = csv_rows(result.stdout)
    assert len(out) == len(broken) - 1  # every line but the header is one record
    assert [r["row"] for r in out] == [str(n) for n in range(1, len(out) + 1)]
    errors = [(r["row"], r["verdict"], r["error"]) for r in out if r["error"]]
    assert errors == [
        ("3", "error", "bad quoting: ',' expected after '\"'"),
        ("4", "error", "expected 17 cells, found 3"),
        ("8", "error", "unclosed quote (the quoted cell runs past the end of line 9)"),
    ]
    assert "3 rows could not be read" in result.stderr
    assert "row 3 (line 4): bad quoting" in result.stderr
    strict = icp("eval", SECURITY, str(path), "--format", "csv", "--strict")
    assert strict.returncode == 1
    assert len(csv_rows(strict.stdout)) == 3
    assert "stopped at row 3, the first that could not be read (--strict)" in strict.stderr


def test_empty_header_only_and_unknown_column_files(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header.csv").write_text("id,name,employees\n")
    (tmp_path / "odd.csv").write_text("Company,Head Count,Colour\nAcme,500,red\nBeta,20,blue\n")
    empty = icp("eval", SECURITY, str(tmp_path / "empty.csv"), "--format", "csv")
    assert (empty.returncode, empty.stdout) == (0, "row,id,verdict,score,tier,reason,error\n")
    assert empty.stderr.startswith(
        f"icp eval: warning: {tmp_path / 'empty.csv'}: the file is empty: no header, no rows\n"
        "0 rows in "
    )
    header = icp("eval", SECURITY, str(tmp_path / "header.csv"), "--format", "jsonl")
    assert (header.returncode, header.stdout) == (0, "")
    odd = icp("eval", SECURITY, str(tmp_path / "odd.csv"), "--format", "csv")
    assert odd.returncode == 0
    rows = csv_rows(odd.stdout)
    assert [(r["row"], r["Company"], r["verdict"]) for r in rows] == [
        ("1", "Acme", "unknown"),
        ("2", "Beta", "unknown"),
    ]
    (tmp_path / "no_id.csv").write_text("Head Count,Colour\n500,red\n")
    no_id = csv_rows(icp("eval", SECURITY, str(tmp_path / "no_id.csv"), "--format", "csv").stdout)
    assert [(r["row"], r["id"], r["verdict"]) for r in no_id] == [("1", "", "unknown")]
    assert rows[0]["reason"].startswith("industry is missing; employees is missing")
    assert "2  industry (100% of rows)" in odd.stderr
    named = icp("eval", SECURITY, str(tmp_path / "odd.csv"), "--id", "company", "--format", "csv")
    assert [r["Company"] for r in csv_rows(named.stdout)] == ["Acme", "Beta"]
    wrong = icp("eval", SECURITY, str(tmp_path / "odd.csv"), "--id", "compny")
    assert wrong.returncode == 2
    assert wrong.stderr == (
        "icp eval: --id 'compny': no such column\n    hint: did you mean 'Company'?\n"
    )


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("id,name,industry,employees\n1,Café Ltd,SaaS,300\n".encode("latin-1"))
    result = icp("eval", SECURITY, str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"icp eval: {path}: not UTF-8 text near line 2 (byte 0xe9)\n"
        "    hint: most likely cp1252 (Windows) or latin-1, which read these bytes alike: "
        "re-save it as UTF-8, or --encoding cp1252\n"
    )
    fixed = icp(
        "eval", SECURITY, str(path), "--encoding", "latin-1", "--format", "csv", "--id", "name"
    )
    assert csv_rows(fixed.stdout)[0]["name"] == "Café Ltd"
    nowhere = icp("eval", SECURITY, ACCOUNTS, "-o", str(tmp_path / "no" / "such" / "out.csv"))
    assert nowhere.returncode == 2
    assert nowhere.stderr.startswith("icp eval: cannot write ")
    missing = icp("eval", SECURITY, str(tmp_path / "nope.csv"))
    assert missing.returncode == 2
    assert (
        missing.stderr
        == f"icp eval: {tmp_path / 'nope.csv'}: no such file: {tmp_path / 'nope.csv'}\n"
    )


def test_rows_not_utf8_after_the_first_lines_are_error_rows_with_a_hint(tmp_path: Path) -> None:
    """Past the lines sniffed at the start, a row in another encoding is an error row (the
    rest are scored), and one warning names the likely encoding."""
    path = tmp_path / "mostly.csv"
    good = "".join(f"{n},Firm {n},SaaS,300\n" for n in range(1, 80))
    path.write_bytes(b"id,name,industry,employees\n" + good.encode() + b"80,Caf\xe9,SaaS,300\n")
    result = icp("eval", SECURITY, str(path), "--format", "csv")
    rows = csv_rows(result.stdout)
    assert len(rows) == 80 and rows[-1]["error"] == "not UTF-8 text (byte 0xe9)"
    assert result.stderr.count("rows are not UTF-8 text") == 1
    assert (
        f"icp eval: warning: {path}: some rows are not UTF-8 text and could not be read (the "
        "first: row 80, line 81); most likely cp1252 (Windows) or latin-1, which read these "
        "bytes alike: re-save it as UTF-8, or --encoding cp1252\n"
    ) in result.stderr


def test_only_top_and_summary_only(baseline: list[dict[str, str]]) -> None:
    only = icp(
        "eval", SECURITY, ACCOUNTS, "--only", "fit,unknown", "--format", "csv", "--as-of", AS_OF
    )
    assert [r["row"] for r in csv_rows(only.stdout)] == [
        r["row"] for r in baseline if r["verdict"] in ("fit", "unknown")
    ]
    assert "showing 12 of 66 rows (--only fit,unknown)" in only.stderr
    top = icp(
        "eval",
        SECURITY,
        ACCOUNTS,
        "--top",
        "3",
        "--only",
        "fit",
        "--format",
        "csv",
        "--as-of",
        AS_OF,
    )
    fits = sorted(
        (r for r in baseline if r["verdict"] == "fit"),
        key=lambda r: (-int(r["score"]), int(r["row"])),
    )
    assert [r["row"] for r in csv_rows(top.stdout)] == [r["row"] for r in fits[:3]]
    summary = icp(
        "eval", SECURITY, ACCOUNTS, "--summary-only", "--format", "json", "--as-of", AS_OF
    )
    counts = json.loads(summary.stdout)
    assert counts["rows"] == 66
    assert counts["profiles"]["Mid-market SaaS security"]["verdicts"] == {
        v: sum(r["verdict"] == v for r in baseline)
        for v in ("fit", "not_fit", "disqualified", "unknown")
    }
    assert counts["failing_rules"][0]["rule"] == "require has_security_owner"
    assert summary.stderr == ""
    bad = icp("eval", SECURITY, ACCOUNTS, "--only", "great")
    assert bad.returncode == 2
    assert (
        "unknown verdict great; choose from fit, not_fit, disqualified, unknown, error"
        in bad.stderr
    )


def test_several_profiles_and_profile_choice() -> None:
    result = icp("eval", "examples/segments.icp", ACCOUNTS, "--format", "csv", "--as-of", AS_OF)
    rows = csv_rows(result.stdout)
    assert list(rows[0]) == [
        "row",
        "id",
        "SaaS",
        "Healthcare",
        "Manufacturing",
        "North America mid-market",
        "best",
        "score",
        "tier",
        "reason",
        "error",
    ]
    fits = [r for r in rows if r["best"] == "Healthcare" and r["Healthcare"] == "fit"]
    assert fits and all(r["tier"] for r in fits)
    assert "best fit: SaaS" in result.stderr
    one = icp(
        "eval",
        "examples/segments.icp",
        ACCOUNTS,
        "--profile",
        "Healthcare",
        "--format",
        "csv",
        "--as-of",
        AS_OF,
    )
    assert [r["verdict"] for r in csv_rows(one.stdout)] == [r["Healthcare"] for r in rows]
    typo = icp("eval", "examples/segments.icp", ACCOUNTS, "--profile", "Helthcare")
    assert typo.returncode == 2
    assert "no profile named 'Helthcare'" in typo.stderr
    assert "did you mean 'Healthcare'?" in typo.stderr


def test_crm_exports_are_scored_through_their_column_mapping() -> None:
    hubspot = icp("eval", "examples/hubspot.icp", "examples/hubspot_export.csv", "--format", "csv")
    assert [(r["Company name"], r["verdict"]) for r in csv_rows(hubspot.stdout)][:4] == [
        ("Acme Cloud", "fit"),
        ("Tiny Labs", "not_fit"),
        ("Brightwave Analytics", "fit"),
        ("Northpeak Security", "disqualified"),
    ]
    salesforce = icp(
        "eval",
        "examples/salesforce.icp",
        "examples/salesforce_export.csv",
        "--format",
        "csv",
        "--id",
        "Account Name",
    )
    verdicts = {r["Account Name"]: r["verdict"] for r in csv_rows(salesforce.stdout)}
    assert verdicts["Acme Cloud"] == "fit"
    assert verdicts["Helio Grid"] == "unknown"
    assert verdicts["Kestrel Ops"] == "disqualified"


def test_crm_exports_are_known_by_their_record_id_or_the_mapped_name(tmp_path: Path) -> None:
    """HubSpot's `Record ID`, Salesforce's `Id` / `Account ID` name the accounts by default;
    a profile mapping its `name` field (`name: string from "Account Name"`) picks that."""
    hubspot = icp("eval", SECURITY, "examples/hubspot_export.csv", "--format", "csv", "-q")
    assert [r["Record ID"] for r in csv_rows(hubspot.stdout)][:2] == ["9182736401", "9182736402"]
    salesforce = icp("eval", SECURITY, "examples/salesforce_export.csv", "--format", "csv", "-q")
    assert csv_rows(salesforce.stdout)[0]["Id"] == "0015g00000Q7xYzAAB"
    mapped = icp("eval", "examples/salesforce.icp", "examples/salesforce_export.csv", "-q")
    assert mapped.stdout.splitlines()[1].split()[:3] == ["1", "Acme", "Cloud"]
    report = tmp_path / "report.csv"  # a Salesforce report's "Export Details"
    report.write_text("Account Name,Account ID,Website,Industry\nAcme,001A,acme.io,SaaS\n")
    scored = icp("eval", SECURITY, str(report), "--format", "csv", "-q")
    assert csv_rows(scored.stdout)[0]["Account ID"] == "001A"
    found = icp("explain", SECURITY, "examples/hubspot_export.csv", "--id", "nobody")
    assert found.stderr == (
        "icp explain: --id 'nobody': no row of examples/hubspot_export.csv has it "
        "(looked in Record ID, Company name, Company Domain Name)\n"
    )


def test_explain_option_and_as_of(tmp_path: Path) -> None:
    result = icp("eval", SECURITY, ACCOUNTS, "--explain", "--top", "1", "--as-of", AS_OF)
    lines = result.stdout.splitlines()
    assert lines[2] == "    Mid-market SaaS security: fit (score 40, tier A)"
    assert "      ✓ employees 200..1000 — employees 540 is within 200..1000" in lines
    rows = csv_rows(icp("eval", SECURITY, ACCOUNTS, "--explain", "--format", "csv").stdout)
    assert (
        rows[0]["explanation"].splitlines()[0] == "Mid-market SaaS security: fit (score 40, tier A)"
    )
    path = tmp_path / "recent.icp"
    path.write_text("+10 if last_funding within 1 year\n")
    (tmp_path / "a.csv").write_text("id,last_funding\n1,2025-09-15\n")
    early = icp(
        "eval", str(path), str(tmp_path / "a.csv"), "--as-of", "2026-01-01", "--format", "csv"
    )
    late = icp(
        "eval", str(path), str(tmp_path / "a.csv"), "--as-of", "2027-01-01", "--format", "csv"
    )
    assert (csv_rows(early.stdout)[0]["score"], csv_rows(late.stdout)[0]["score"]) == ("10", "0")
    bad = icp("eval", str(path), str(tmp_path / "a.csv"), "--as-of", "June")
    assert bad.returncode == 2
    assert "not a date (YYYY-MM-DD): 'June'" in bad.stderr


def test_help_and_version() -> None:
    help_text = icp("eval", "--help").stdout
    assert "icp eval examples/security.icp examples/accounts.csv" in help_text
    assert "exit codes: 0 every row scored" in help_text
    version = icp("--version")
    assert version.stdout.startswith("icpdsl ")


AGE_PROFILE = """\
fields {
  founded: date from "Year Founded"
  headcount: int from "Staff"
}

profile "Young" {
  age < 10 years
  headcount >= 10
}
"""


@pytest.mark.parametrize(
    ("profile", "data"),
    [
        (SECURITY, ACCOUNTS),
        ("examples/segments.icp", ACCOUNTS),
        ("examples/hubspot.icp", "examples/hubspot_export.csv"),
        ("examples/salesforce.icp", "examples/salesforce_export.csv"),
        ("young.icp", "young.csv"),
    ],
)
def test_eval_types_only_the_columns_rules_read_and_scores_as_the_library(
    tmp_path: Path, profile: str, data: str
) -> None:
    """`icp eval` leaves the columns no rule reads as text (a wide export is not typed
    cell by cell); its verdicts, scores and reasons are the library's on records whose
    every cell is typed."""
    if profile == "young.icp":
        (tmp_path / profile).write_text(AGE_PROFILE)
        (tmp_path / data).write_text(
            "Name,Year Founded,Staff,Notes\nA,2019,12,1e3\nB,2001,40,\nC,,5,00123\n"
        )
        profile, data = str(tmp_path / profile), str(tmp_path / data)
    document = icpdsl.load(profile)
    printed = icp("eval", profile, data, "--format", "jsonl", "--explain", "--as-of", AS_OF)
    got = [json.loads(line) for line in printed.stdout.splitlines()]
    day = datetime.date.fromisoformat(AS_OF)
    rows = list(read_records(data))
    assert len(got) == len(rows)
    for row, line in zip(rows, got, strict=True):
        assert row.record is not None
        for name, result in document.evaluate(row.record, as_of=day).results.items():
            scored = line["profiles"][name]
            brief = (result.verdict.value, result.score, result.tier, result.reasons)
            assert (scored["verdict"], scored["score"], scored["tier"], scored["reasons"]) == brief
            # every value seen is the library's typed cell (540, not "540")
            rules = json.loads(json_text([o.to_dict() for o in result.rules]))
            assert scored["rules"] == rules, (row.number, name)
