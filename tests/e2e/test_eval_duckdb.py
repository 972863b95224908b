"""`icp eval --engine duckdb` keeps the default engine's contract (issue 12, item 4): the
same bytes in every output format, the same summary and exit code, on the bundled
examples and on the real datasets in ../shared; the same options; bad rows as error
rows; what DuckDB cannot do refused up front, in one line."""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import sys
from pathlib import Path

import pytest

from icpdsl.cli import main

pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROFILES = sorted(EXAMPLES.glob("*.icp"))
DATA = sorted(EXAMPLES.glob("*.csv"))
#: The real datasets: ../shared beside the repository (../../shared from a worktree
#: one folder deeper, as /work/wt/NAME beside /work/main).
REAL = (
    next(
        (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
        ROOT.parent / "shared",
    )
    / "data"
    / "companies"
)
TIMING = re.compile(r" in [0-9.]+ s( \([0-9,]+ rows/s\))?")


def run(*argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr (timings masked) of `icp ARGV`, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, TIMING.sub(" in T", out.getvalue()), TIMING.sub(" in T", err.getvalue())


def both(*argv: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    default = run("eval", *argv, "--as-of", "2025-06-30", "--no-progress")
    duckdb = run("eval", *argv, "--as-of", "2025-06-30", "--no-progress", "--engine", "duckdb")
    return default, duckdb


@pytest.mark.parametrize("data", DATA, ids=lambda p: p.name)
@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_the_examples_give_byte_identical_csv(profile: Path, data: Path) -> None:
    default, duckdb = both(str(profile), str(data), "--format", "csv")
    assert duckdb == default


def test_the_deal_history_gives_byte_identical_csv() -> None:
    history = EXAMPLES / "history"
    default, duckdb = both(str(history / "current.icp"), str(history / "deals.csv"), "-q",
                           "--format", "csv")  # fmt: skip
    assert duckdb == default


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table"])
@pytest.mark.parametrize("profile", ["security.icp", "segments.icp", "hubspot.icp"])
def test_every_output_format_is_the_same(profile: str, fmt: str) -> None:
    data = EXAMPLES / ("hubspot_export.csv" if profile == "hubspot.icp" else "accounts.csv")
    default, duckdb = both(str(EXAMPLES / profile), str(data), "--format", fmt)
    assert duckdb == default


@pytest.mark.parametrize(
    "options",
    [
        ["--only", "fit", "--top", "5"],
        ["--only", "not_fit,unknown"],
        ["--top", "3"],
        ["--summary-only"],
        ["--summary-only", "--format", "json"],
        ["--id", "name", "-q"],
        ["--profile", "Healthcare", "--profile", "SaaS"],
    ],
    ids=lambda o: " ".join(o),
)
def test_options_give_the_same_output(options: list[str]) -> None:
    profile, data = EXAMPLES / "segments.icp", EXAMPLES / "accounts.csv"
    default, duckdb = both(str(profile), str(data), "--format", "csv", *options)
    assert duckdb == default


def test_ragged_empty_and_header_only_files(tmp_path: Path) -> None:
    profile = str(EXAMPLES / "security.icp")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        'id,industry,employees\n1,SaaS,500\n2,SaaS\n3,"bad"x,4\n\n4,SaaS,300,extra\n'
        '5,"open\n6,SaaS,250\n7,SaaS,"1,200"\n'
    )
    default, duckdb = both(profile, str(ragged), "--format", "csv")
    assert duckdb == default
    assert default[0] == 1 and "error" in default[1]
    strict_default, strict_duckdb = both(profile, str(ragged), "--format", "csv", "--strict")
    assert strict_duckdb == strict_default
    for content in ("", "id,industry,employees\n", "\n\n"):
        path = tmp_path / "e.csv"
        path.write_text(content)
        default, duckdb = both(profile, str(path), "--format", "csv")
        assert duckdb == default
        assert default[0] == 0 and len(default[1].splitlines()) == 1


def test_encoding_delimiter_and_odd_cells(tmp_path: Path) -> None:
    profile = tmp_path / "p.icp"
    profile.write_text(
        'industry in [SaaS, "Café"]\nemployees 200..1000\n+10 if tech has any [AWS]\n'
        "tier A if score >= 10\ntier B otherwise\n"
    )
    text = (
        "id;industry;employees;tech\r\n1;Café;500;AWS\r\n2;SaaS;1.200;AWS\r\n"
        "3;SaaS;250 to 499;x\r\n4;Saa\x00S;300;AWS\r\n5;=cmd;12;AWS\r\n6;saas;$1k;\r\n"
    )
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode("cp1252"))
    default, duckdb = both(str(profile), str(path), "--format", "csv", "--encoding", "cp1252",
                           "--delimiter", ";")  # fmt: skip
    assert duckdb == default
    assert default[1].count("\n") == 7


def test_a_damaged_gzip_stops_after_the_same_rows(tmp_path: Path) -> None:
    rows = "".join(f"{i},SaaS,{i % 1500}\n" for i in range(3000))
    packed = gzip.compress(f"id,industry,employees\n{rows}".encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    default, duckdb = both(str(EXAMPLES / "security.icp"), str(path), "--format", "csv")
    assert duckdb == default
    assert default[0] == 2 and "reading stopped after row" in default[2]


def test_what_duckdb_cannot_do_is_refused_up_front_in_one_line(tmp_path: Path) -> None:
    profile = str(EXAMPLES / "security.icp")
    code, out, err = run("eval", profile, str(EXAMPLES / "accounts.csv"), "--engine", "duckdb",
                         "--explain")  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "icp eval: --engine duckdb does not build --explain's explanations: leave out "
        "--engine to explain every row\n"
    )
    data = tmp_path / "a.jsonl"
    data.write_text('{"id": 1}\n')
    code, out, err = run("eval", profile, str(data), "--engine", "duckdb")
    assert (code, out) == (2, "")
    assert err == (
        f"icp eval: --engine duckdb scores CSV files, and {data} is JSON Lines: leave out "
        "--engine to score it\n"
    )


def test_without_the_duckdb_extra_the_error_names_the_pip_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    code, out, err = run("eval", str(EXAMPLES / "security.icp"), str(EXAMPLES / "accounts.csv"),
                         "--engine", "duckdb")  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "icp eval: icp eval --engine duckdb needs the 'duckdb' extra: "
        "pip install 'icpdsl[duckdb]'\n"
    )


# ------------------------------------------------------------------ real data

UK_PROFILE = """\
fields {
  name: string from "EmployerName"
  employees: int from "EmployerSize"
  sic: set[string] from "SicCodes"
  late: bool from "SubmittedAfterTheDeadline"
  women_top: number from "FemaleTopQuartile"
  gap: number from "DiffMeanHourlyPercent"
}

profile "UK employer" {
  employees 500..20000
  sic has any ["62020", "62012", "63110", "58290", "62090", "85310"]
  disqualify if late
  +20 if women_top >= 40
  +10 if gap < 10
  tier A if score >= 30
  tier B if score >= 10
  tier C otherwise
}
"""
SP500_PROFILE = """\
profile "Large tech" {
  Sector in ["Information Technology", "Internet Software & Services", "Semiconductors"]
  `Market Cap` >= 10000000000
  +10 if `Dividend Yield` > 0.01
  +10 if `Price/Earnings` < 30
  +5 if `Dividend Yield` < 0.005
  tier A if score >= 20
  tier B otherwise
}
"""
CRUNCHBASE_PROFILE = """\
profile "Funded software" {
  category_code in [software, enterprise, analytics, security, web]
  funding_total_usd >= $1M
  country_code == USA
  disqualify if status in [closed, acquired]
  +10 if funding_rounds >= 3
  +10 if founded_at within 10 years
  tier A if score >= 20
  tier B if score >= 10
  tier C otherwise
}
"""
DATASETS = {
    "uk-gender-pay-gap": (UK_PROFILE, "UK Gender Pay Gap Data - 2017 to 2018.csv", []),
    "sp500": (SP500_PROFILE, "constituents-financials.csv", []),
    "crunchbase-2013": (CRUNCHBASE_PROFILE, "crunchbase_companies_10_2013.csv",
                        ["--encoding", "latin-1"]),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_the_real_datasets_give_byte_identical_csv(tmp_path: Path, dataset: str) -> None:
    profile_text, name, options = DATASETS[dataset]
    data = REAL / dataset / name
    if not data.exists():
        pytest.skip(f"{data} is not here (the real datasets live in ../shared/data/companies)")
    profile = tmp_path / "p.icp"
    profile.write_text(profile_text)
    default, duckdb = both(str(profile), str(data), "--format", "csv", *options)
    assert duckdb == default
    assert default[0] == 0 and len(default[1].splitlines()) > 500
