"""No silent unknowns: every command that reads account data holds the profile's fields
against the data's header first (a misspelt mapped column stops it with the closest
column; a field no column holds is a warning, once, before the rows), and `icp check
--data` reports the same and the columns whose cells do not read, without scoring."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = (
    next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir()), ROOT)
    / "data"
    / "companies"
)
HUBSPOT = str(ROOT / "examples" / "hubspot_export.csv")
TYPO = 'fields {\n  employees: int from "Number of Employes"\n}\nemployees 200..1000\n'


def icp(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "icpdsl", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.mark.parametrize(
    "command",
    [
        ["eval"],
        ["eval", "--engine", "duckdb"],
        ["eval", "--jobs", "2"],
        ["explain", "--row", "1"],
        ["validate", "--outcome", "Lifecycle Stage"],
        ["diff", "NEW"],
    ],
    ids=lambda c: " ".join(c),
)
def test_a_misspelt_mapped_column_stops_every_command(tmp_path: Path, command: list[str]) -> None:
    profile = tmp_path / "typo.icp"
    profile.write_text(TYPO)
    name, *options = command
    if name == "diff":
        args = [name, str(profile), str(profile), HUBSPOT]
    else:
        args = [name, str(profile), HUBSPOT, *options]
    done = icp(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "ICP202 column 'Number of Employes' (field employees) is not in" in done.stderr
    assert "hint: did you mean 'Number of Employees'?" in done.stderr


def test_a_field_no_column_holds_is_a_warning_once_before_the_rows(tmp_path: Path) -> None:
    profile = tmp_path / "p.icp"
    profile.write_text("industy in [SaaS]\nindusty != Retail\n")
    done = icp("eval", str(profile), HUBSPOT, "--format", "csv")
    assert done.returncode == 0
    assert done.stderr.count("ICP203") == 1
    assert done.stderr.index("ICP203") < done.stderr.index(" rows in ")
    assert "holds field 'industy': every rule on it is unknown" in done.stderr
    assert "did you mean 'Industry'? (or map it: `industy from \"Industry\"`" in done.stderr


def test_records_without_a_header_are_not_held_to_one(tmp_path: Path) -> None:
    profile = tmp_path / "typo.icp"
    profile.write_text(TYPO)
    data = tmp_path / "accounts.jsonl"
    data.write_text(json.dumps({"Number of Employees": 500}) + "\n")
    assert icp("eval", str(profile), str(data), "-q").returncode == 0


def test_check_data_reports_columns_without_scoring(tmp_path: Path) -> None:
    profile = tmp_path / "p.icp"
    profile.write_text(
        'fields {\n  employees: int from "Number of Employes"\n  founded: date from '
        '"Create Date"\n  stage: string from "Lifecycle Stage"\n}\nemployees 200..1000\n'
        "founded >= 2020-01-01\nstage != Customer\n"
    )
    done = icp("check", str(profile), "--data", HUBSPOT)
    assert done.returncode == 1
    assert f"{profile}:2:3: ICP202 column 'Number of Employes'" in done.stdout
    assert "checked 1 file: 1 error" in done.stderr
    clean = icp("check", str(ROOT / "examples" / "hubspot.icp"), "--data", HUBSPOT)
    assert clean.returncode == 0, clean.stdout


def test_check_data_warns_of_rows_it_cannot_read_with_the_likely_encoding(
    tmp_path: Path,
) -> None:
    data = tmp_path / "accounts.csv"
    body = "".join(f"{n},Firm {n},SaaS,300\n" for n in range(1, 80))
    data.write_bytes(
        b"id,name,industry,employees\n" + body.encode() + b"80,Caf\xe9,SaaS,300\n81,Beta\n"
    )
    done = icp("check", str(ROOT / "examples" / "security.icp"), "--data", str(data))
    assert done.returncode == 0  # a warning
    assert (
        f"{data}:81:1: ICP204 2 of 81 rows cannot be read (the first: row 80 (line 81): "
        "not UTF-8 text (byte 0xe9))\n    hint: most likely cp1252 (Windows) or latin-1"
    ) in done.stdout


#: (folder, file, encoding, a profile for it with one misspelt mapping, the right column)
REAL = [
    ("crunchbase-2013", "crunchbase_companies_10_2013.csv", "latin-1",
     'fields {\n  funding: money from "funding_totl_usd"\n}\nfunding >= $1M\n',
     "funding_total_usd"),
    ("sp500", "constituents-financials.csv", "utf-8",
     'fields {\n  cap: money from "Market Capital"\n}\ncap >= $10B\n', "Market Cap"),
    ("uk-gender-pay-gap", "UK Gender Pay Gap Data - 2017 to 2018.csv", "utf-8",
     'fields {\n  size: string from "Employer Size"\n}\nsize in ["250 to 499"]\n',
     "EmployerSize"),
]  # fmt: skip


@pytest.mark.parametrize("case", REAL, ids=[c[0] for c in REAL])
def test_a_misspelt_mapping_on_each_real_dataset(tmp_path: Path, case: tuple[str, ...]) -> None:
    folder, file, encoding, text, right = case
    data = DATA / folder / file
    if not data.is_file():
        pytest.skip(f"{data} is not here: the real datasets live beside the checkout")
    profile = tmp_path / "p.icp"
    profile.write_text(text)
    done = icp("eval", str(profile), str(data), "--encoding", encoding)
    assert done.returncode == 2
    assert f"hint: did you mean {right!r}?" in done.stderr
