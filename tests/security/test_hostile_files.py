"""Messy account files through `python -m icpdsl eval`: one output row per input record,
in order, a bad record becoming an error row in place; never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from icpdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "examples" / "security.icp"
FIELDS = "industry,employees,has_security_owner,tech,country,requires,is_competitor"
GOOD = "SaaS,500,true,AWS,US,,false"


def _eval(
    data: Path, *options: str, profile: Path = SECURITY
) -> tuple[int, list[dict[str, object]], str]:
    """Exit code, output rows (JSON Lines) and stderr of `icp eval profile data`, run
    in-process through `icpdsl.cli.main` (what `python -m icpdsl` calls)."""
    argv = ["eval", str(profile), str(data), "--format", "jsonl", "--no-progress"]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main([*argv, "--as-of", "2025-06-30", *options])
    rows = [json.loads(line) for line in stdout.getvalue().splitlines()]
    return code, rows, stderr.getvalue()


def test_python_dash_m_icpdsl_eval_on_a_broken_file(tmp_path: Path) -> None:
    data = _write(tmp_path, "x.csv", f"id,{FIELDS}\n1,{GOOD}\n2,SaaS\n3,{GOOD},x\n")
    done = subprocess.run(
        [sys.executable, "-m", "icpdsl", "eval", str(SECURITY), str(data), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert "Traceback" not in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["verdict"] == "error" for row in rows] == [False, True, True]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _in_order(rows: list[dict[str, object]], count: int) -> None:
    assert [row["row"] for row in rows] == list(range(1, count + 1))


# ------------------------------------------------------------------ headers


def test_duplicated_and_blank_headers_keep_every_cell(tmp_path: Path) -> None:
    data = _write(
        tmp_path,
        "dup.csv",
        f"id,{FIELDS},industry,,id\n"
        f"1,{GOOD},Fintech,x,one\n"
        f"2,Fintech,500,true,AWS,US,,false,SaaS,,two\n",
    )
    profile = _write(tmp_path, "p.icp", "industry_2 in [Fintech]\ncolumn_10 is known\n")
    code, rows, stderr = _eval(data, profile=profile)
    assert code == 0
    _in_order(rows, 2)
    assert [row["verdict"] for row in rows] == ["fit", "not_fit"]
    assert "column 9 repeats the name 'industry'; it is read as 'industry_2'" in stderr
    assert "column 10 has no name; it is read as 'column_10'" in stderr
    assert "column 11 repeats the name 'id'; it is read as 'id_2'" in stderr


def test_headers_that_differ_only_in_case_or_spacing(tmp_path: Path) -> None:
    data = _write(
        tmp_path, "case.csv", "id,Employees,employees,EMPLOYEES , employees\n1,10,500,20,30\n"
    )
    profile = _write(tmp_path, "p.icp", "employees 400..600\n")
    _, rows, stderr = _eval(data, profile=profile)
    _in_order(rows, 1)
    assert rows[0]["verdict"] == "fit"  # the column named exactly `employees` wins
    assert "it is read as 'employees_2'" in stderr


# ------------------------------------------------------------------ broken rows


def test_a_file_where_every_row_is_broken(tmp_path: Path) -> None:
    lines = [
        f"id,{FIELDS}",
        "1,SaaS,500",  # too few cells
        f"2,{GOOD},extra,cells",  # too many
        '3,"SaaS,500,true,AWS,US,,false',  # a quote never closed...
        '4,Sa"aS",500,true,AWS,US,,false,"x"y',  # ...stray quotes
        "5",
        "6," + "," * 40,
    ]
    data = _write(tmp_path, "broken.csv", "\n".join(lines) + "\n")
    code, rows, stderr = _eval(data)
    assert len(rows) >= len(lines) - 1  # an open quote gives back the lines it swallowed
    _in_order(rows, len(rows))
    assert {row["verdict"] for row in rows} == {"error"}
    assert all(row["error"] for row in rows)
    assert code in (0, 1)
    assert "could not be read" in stderr or code == 1


def test_broken_rows_stay_in_place_between_good_ones(tmp_path: Path) -> None:
    lines = [f"id,{FIELDS}", f"1,{GOOD}", "2,SaaS", f"3,{GOOD}", f"4,{GOOD},x", f"5,{GOOD}"]
    data = _write(tmp_path, "mixed.csv", "\n".join(lines) + "\n")
    _, rows, _ = _eval(data)
    _in_order(rows, 5)
    assert [row["verdict"] == "error" for row in rows] == [False, True, False, True, False]
    assert [row.get("id") for row in rows if row["verdict"] != "error"] == ["1", "3", "5"]


def test_huge_cells_are_error_rows_or_read_and_never_slow(tmp_path: Path) -> None:
    lines = [
        f"id,{FIELDS}",
        f"1,{GOOD}".replace("SaaS", "x" * 5_000_000),  # over Limits.max_record_chars
        f'2,"{"y" * 200_000}",500,true,AWS,US,,false',  # quoted, over csv's default limit
        f"3,SaaS,{' ' * 100_000}500,true,AWS,US,,false",  # spaces before a number
        f"4,SaaS,{'1' + ' ' * 100_000 + 'x'},true,AWS,US,,false",  # a ReDoS shape
        f"5,SaaS,500,true,{'AWS;' + ' ' * 100_000 + 'Okta'},US,,false",
        f"6,{GOOD}",
    ]
    data = _write(tmp_path, "huge.csv", "\n".join(lines) + "\n")
    started = time.perf_counter()
    _, rows, _ = _eval(data)
    assert time.perf_counter() - started < 30
    _in_order(rows, 6)
    verdicts = [row["verdict"] for row in rows]
    assert verdicts[0] == "error"
    assert verdicts[1] == "not_fit"  # a 200,000-character industry is read, and no fit
    assert verdicts[2] == "fit"  # 100,000 spaces then 500 is still 500
    assert verdicts[3] == "unknown"  # not a number
    assert verdicts[5] == "fit"


@pytest.mark.parametrize(
    ("name", "content", "options"),
    [
        ("cr.csv", f"id,{FIELDS}\r1,{GOOD}\r2,{GOOD}\r".encode(), ()),
        ("crlf.csv", f"id,{FIELDS}\r\n1,{GOOD}\r\n2,{GOOD}\r\n".encode(), ()),
        ("bom.csv", f"\ufeffid,{FIELDS}\n1,{GOOD}\n2,{GOOD}".encode(), ()),
        ("nul.csv", f"id,{FIELDS}\n1,Saa\0S,500,true,AWS,US,,false\n2,{GOOD}\n".encode(), ()),
        (
            "latin1.csv",
            f"id,{FIELDS}\n1,Caf\xe9,500,true,AWS,US,,false\n2,{GOOD}\n".encode("latin-1"),
            ("--encoding", "latin-1"),
        ),
        ("semicolons.csv", f"id;{FIELDS}\n1;{GOOD}\n2;{GOOD}\n".replace(",", ";").encode(), ()),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_line_endings_encodings_and_odd_bytes(
    tmp_path: Path, name: str, content: bytes, options: tuple[str, ...]
) -> None:
    _, rows, _ = _eval(_write(tmp_path, name, content), *options)
    _in_order(rows, 2)
    assert rows[1]["verdict"] == "fit"


# ------------------------------------------------------------------ JSON


def test_json_lines_where_every_line_is_hostile(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "employees": NaN}',
        '{"id": 2, "employees": 1e400}',
        '{"id": 3, "employees": ' + "9" * 5_000 + "}",  # past int()'s digit limit
        '{"id": 4, "employees": true, "tech": {"a": [1, {"b": null}]}}',
        '{"id": 5, "tech": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "[1, 2, 3]",
        '"a string"',
        "not json",
        '{"id": 9, "industry": "\\u0000SaaS", "employees": -Infinity}',
        '{"id": 10, "id": 11}',
    ]
    data = _write(tmp_path, "hostile.jsonl", "\n".join(lines).encode() + b"\n\xff\xfe{}\n")
    _, rows, _ = _eval(data)
    _in_order(rows, len(lines) + 1)
    verdicts = [row["verdict"] for row in rows]
    assert verdicts[0] == "unknown"  # NaN is missing
    assert verdicts[1] == verdicts[2] == "not_fit"  # infinitely many employees
    assert verdicts[4:8] == ["error"] * 4
    assert verdicts[10] == "error"  # not UTF-8
    assert rows[9]["id"] == "11"


def test_a_json_array_reports_no_phantom_trailing_text(tmp_path: Path) -> None:
    data = _write(tmp_path, "a.json", '[{"id": 1, "employees": ' + "9" * 5_000 + "}]\n")
    _, rows, stderr = _eval(data)
    _in_order(rows, 1)
    assert "after the closing" not in stderr
    _, _, stderr = _eval(_write(tmp_path, "b.json", '[{"id": 1}] trailing'))
    assert "text after the closing ']'" in stderr
