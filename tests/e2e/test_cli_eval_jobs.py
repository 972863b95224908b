"""`icp eval --jobs N`: the same output as one process, in input order; a damaged input
still gives the rows before the damage; Ctrl-C leaves no partial output file."""

from __future__ import annotations

import csv
import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEGMENTS = str(ROOT / "examples" / "segments.icp")
SECURITY = str(ROOT / "examples" / "security.icp")


def icp(*args: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "icpdsl", *args], cwd=ROOT, capture_output=True, timeout=120
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


def _accounts(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "industry", "employees", "revenue", "country", "tech"])
        for number in range(1, rows + 1):
            employees = "n/a" if number % 101 == 0 else str(number * 37 % 1500)
            industry = ["SaaS", "Retail", "Manufacturing"][number % 3]
            country = ["US", "DE", "RU"][number % 3]
            writer.writerow([number, industry, employees, f"${number % 60}M", country, "AWS; Okta"])
        handle.write("9999999,too,many,cells,for,the,header,row\n")  # a ragged row: an error row


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("csv", ()),
        ("jsonl", ()),
        ("json", ()),
        ("table", ()),
        ("csv", ("--explain",)),
        ("json", ("--explain",)),
        ("csv", ("--only", "not_fit,error", "--top", "40")),
        ("jsonl", ("--summary-only",)),
    ],
)
def test_jobs_two_writes_what_one_process_writes(
    tmp_path: Path, fmt: str, options: tuple[str, ...]
) -> None:
    """Rows written in the workers (csv, JSON) or in the parent (a table) alike."""
    data = tmp_path / "accounts.csv"
    _accounts(data, 5_003)
    command = ("eval", SEGMENTS, str(data), "--format", fmt, "--as-of", "2025-06-15", *options)
    one = icp(*command)
    two = icp(*command, "--jobs", "2")
    assert one.returncode == two.returncode == 1  # the ragged row
    assert two.stdout == one.stdout
    summary = [line for line in two.stderr.splitlines() if b" rows in " not in line]
    assert summary == [line for line in one.stderr.splitlines() if b" rows in " not in line]


def test_a_damaged_gz_gives_the_rows_before_the_damage(tmp_path: Path) -> None:
    data = tmp_path / "accounts.csv"
    _accounts(data, 9_000)
    damaged = tmp_path / "accounts.csv.gz"
    whole = gzip.compress(data.read_bytes())
    damaged.write_bytes(whole[: len(whole) // 2])
    one = icp("eval", SECURITY, str(damaged), "--format", "csv")
    two = icp("eval", SECURITY, str(damaged), "--format", "csv", "--jobs", "2")
    assert one.returncode == two.returncode == 2
    assert two.stdout == one.stdout and one.stdout.count(b"\n") > 1_000
    assert two.stderr.splitlines()[-1] == one.stderr.splitlines()[-1]


def test_ctrl_c_leaves_no_partial_output_file(tmp_path: Path) -> None:
    source = tmp_path / "accounts.csv"
    os.mkfifo(source)
    out = tmp_path / "scored.csv"
    command = [sys.executable, "-m", "icpdsl", "eval", SECURITY, str(source), "-o", str(out)]
    child = subprocess.Popen([*command, "--jobs", "2"], stderr=subprocess.PIPE, cwd=ROOT)
    with source.open("w") as feed:  # more rows than the workers have in flight, then wait
        feed.write("id,industry,employees\n" + "".join(f"{i},SaaS,500\n" for i in range(20_000)))
        feed.flush()
        time.sleep(2)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 128 + signal.SIGINT
    assert b"Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv"]


def test_jobs_takes_a_number_or_auto() -> None:
    assert (
        b"not a number of processes or auto" in icp("eval", SECURITY, "x.csv", "--jobs", "0").stderr
    )
    auto = icp("eval", SECURITY, str(ROOT / "examples" / "accounts.csv"), "--jobs", "auto", "-q")
    assert auto.returncode == 0
