"""Every record accounted for, in every reader and writer (issue 17): no record lost to a
value the output cannot encode, none invented from a long cell's lines, none lost to a
Parquet value Python cannot hold; damaged input stops with one line, after the rows
before the damage."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import icpdsl
from icpdsl.io import open_records

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "security.icp"
FIELDS = "industry,employees,has_security_owner,tech,country,requires,is_competitor"
GOOD = "SaaS,500,true,AWS,US,,false"


def icp(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m icpdsl ARGS` with a real UTF-8 stdout (where encoding errors happen)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "icpdsl", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    return done


# ------------------------------------------------------------------ unencodable text

SURROGATE_LINES = b'{"id": "a\\ud800b", "industry": "SaaS"}\n{"id": "c", "industry": "x\\udfff"}\n'


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "table"])
def test_a_lone_surrogate_is_written_as_the_replacement_character(tmp_path: Path, fmt: str) -> None:
    """`{"id": "a\\ud800b"}` crashed every writer with UnicodeEncodeError; the rows after
    it were lost.  Now each such character is written as U+FFFD, every row is written."""
    data = tmp_path / "s.jsonl"
    data.write_bytes(SURROGATE_LINES)
    done = icp("eval", str(PROFILE), str(data), "--format", fmt, "-q", "--id", "id")
    assert done.returncode == 0
    text = done.stdout.decode("utf-8")  # valid UTF-8
    if fmt == "csv":
        assert [r["id"] for r in csv.DictReader(io.StringIO(text))] == ["a\ufffdb", "c"]
    elif fmt == "jsonl":
        assert [json.loads(line)["id"] for line in text.splitlines()] == ["a\ufffdb", "c"]
    elif fmt == "json":
        assert [r["id"] for r in json.loads(text)] == ["a\ufffdb", "c"]
    else:  # the terminal table shows what no terminal should print as an escape
        assert "a\\ud800b" in text and len(text.splitlines()) == 3


def test_a_lone_surrogate_in_an_output_file_and_in_explain_json(tmp_path: Path) -> None:
    data = tmp_path / "s.jsonl"
    data.write_bytes(SURROGATE_LINES)
    out = tmp_path / "out.jsonl"
    done = icp("eval", str(PROFILE), str(data), "-o", str(out), "-q", "--id", "id")
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == [
        "a\ufffdb",
        "c",
    ]
    record = '{"industry": "Saa\\ud800S", "tech": ["\\udc00"], "employees": 500}'
    done = icp("explain", str(PROFILE), "--record", record, "--format", "json")
    assert done.returncode == 0
    shown = json.loads(done.stdout.decode("utf-8"))
    assert "Saa\ufffdS" in json.dumps(shown, ensure_ascii=False)


# ------------------------------------------------------------------ long CSV cells


def test_a_closed_multi_line_cell_past_csv_s_field_limit_is_one_cell(tmp_path: Path) -> None:
    """A properly closed quoted cell of 200,000 characters over many lines was called an
    unclosed quote, and its lines were read again as records: 703 rows from 2, one of
    them a `fit` for a "company" that was cell text."""
    lines = "\n".join(f"{i},SaaS,500,true,AWS,US,,false" for i in range(5000))
    note = '"' + lines.replace('"', '""') + '"'
    data = tmp_path / "long.csv"
    data.write_text(f"id,note,{FIELDS}\n1,{note},{GOOD}\n2,short,{GOOD}\n", encoding="utf-8")
    assert len(note) > 131_072
    rows = list(open_records(data))
    assert [(r.number, r.error) for r in rows] == [(1, None), (2, None)]
    assert rows[0].record is not None and rows[0].record["note"] == lines
    done = icp("eval", str(PROFILE), str(data), "--format", "csv", "-q")
    assert [r["id"] for r in csv.DictReader(io.StringIO(done.stdout.decode()))] == ["1", "2"]


def test_a_cell_over_the_record_limit_is_one_error_row_and_reading_goes_on() -> None:
    limits = icpdsl.Limits(max_record_chars=50_000)
    inside = "\n".join("3,SaaS,500,true,AWS,US,,false" for _ in range(10_000))
    data = f'id,note\n1,"{inside}"\n2,after\n'.encode()
    rows = list(open_records("-", stdin=io.BytesIO(data), limits=limits))
    assert [(r.number, r.line, r.record) for r in rows] == [
        (1, 2, None),
        (2, 10_002, {"id": 2, "note": "after"}),
    ]
    assert rows[0].error == (
        "the record is longer than 50,000 characters (Limits.max_record_chars)"
    )


def test_an_unclosed_quote_past_the_record_limit_says_the_rest_cannot_be_read() -> None:
    limits = icpdsl.Limits(max_record_chars=1_000)
    data = ('id,note\n1,ok\n2,"never closed\n' + "3,x\n" * 1_000).encode()
    rows = list(open_records("-", stdin=io.BytesIO(data), limits=limits))
    assert [r.number for r in rows] == [1, 2]
    assert rows[1].error is not None and rows[1].error.startswith(
        "unclosed quote: the quoted cell from line 3 runs to the end of the file"
    )


# ------------------------------------------------------------------ Parquet

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

OUT_OF_RANGE = {
    "timestamp past 9999": pa.array([datetime.datetime(2020, 1, 1)] * 19_999 + [None])
    .cast(pa.int64())
    .fill_null(253_402_300_800_000_000 * 10)
    .cast(pa.timestamp("us")),
    "date32 of 3,000,000": pa.array([18_000] * 19_999 + [3_000_000], pa.int32()).cast(pa.date32()),
    "huge duration": pa.array([60] * 19_999 + [2**62], pa.duration("s")),
    "date64 far out": pa.array([0] * 19_999 + [2**62], pa.date64()),
}


@pytest.mark.parametrize("kind", list(OUT_OF_RANGE))
def test_parquet_values_python_cannot_hold_make_one_error_row(tmp_path: Path, kind: str) -> None:
    """OverflowError, and with 20,000 rows and the bad value last only 16,384 rows out."""
    path = tmp_path / "bad.parquet"
    ids = pa.array([str(i) for i in range(1, 20_001)])
    pq.write_table(pa.table({"id": ids, "value": OUT_OF_RANGE[kind]}), path)
    rows = list(open_records(path))
    assert [r.number for r in rows] == list(range(1, 20_001))
    assert all(r.record is not None for r in rows[:-1])
    assert rows[-1].record is None
    assert rows[-1].error is not None and "column 'value'" in rows[-1].error
    profile = tmp_path / "p.icp"
    profile.write_text("id is known\n")  # the reading is tested, not the scoring
    done = icp("eval", str(profile), str(path), "--format", "jsonl", "-q")
    assert done.returncode == 1  # one row could not be read
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 20_000 and out[-1]["verdict"] == "error"


def test_parquet_nanoseconds_and_unknown_time_zones_are_read(tmp_path: Path) -> None:
    """A valid file with a maximum-nanosecond timestamp or an unknown time zone was
    called "damaged"."""
    path = tmp_path / "ns.parquet"
    table = pa.table(
        {
            "id": ["max", "fraction"],
            "seen": pa.array([2**63 - 1, 1_500_000_000_123_456_789], pa.timestamp("ns")),
            "zoned": pa.array([0, 86_400_000_000], pa.timestamp("us", tz="Mars/Olympus")),
            "lasted": pa.array([1_001, 2**62], pa.duration("ns")),
        }
    )
    pq.write_table(table, path)
    reader = open_records(path)
    rows = list(reader)
    assert [r.error for r in rows] == [None, None]
    assert rows[0].record is not None and rows[1].record is not None
    assert rows[0].record["seen"] == datetime.datetime(2262, 4, 11, 23, 47, 16, 854775)
    assert rows[1].record["seen"].microsecond == 123_456
    assert rows[1].record["zoned"] == datetime.datetime(1970, 1, 2, tzinfo=datetime.UTC)
    assert rows[0].record["lasted"] == datetime.timedelta(microseconds=1)
    assert reader.warnings == [
        "column 'zoned': unknown time zone 'Mars/Olympus'; its times are read as UTC"
    ]


# ------------------------------------------------------------------ damaged gzip

ROWS = "".join(f"{i},{GOOD}\n" for i in range(1, 3001))
PACKED = gzip.compress(f"id,{FIELDS}\n{ROWS}".encode())


def _bad_crc(data: bytes) -> bytes:
    return data[:-8] + bytes([data[-8] ^ 0xFF]) + data[-7:]


def _bad_block(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + b"\xff" * 16 + data[middle + 16 :]


DAMAGED = {
    "truncated": (PACKED[: len(PACKED) // 2], "the compressed data ends early"),
    "bad CRC": (_bad_crc(PACKED), "the compressed data is damaged (CRC check failed"),
    "trailing garbage": (PACKED + b"garbage!", "not gzip after the compressed data"),
    "bad block": (_bad_block(PACKED), "the compressed data is damaged"),
}


@pytest.mark.parametrize("kind", list(DAMAGED))
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_damaged_gzip_stops_with_one_line_after_writing_the_rows_read(
    tmp_path: Path, kind: str, fmt: str
) -> None:
    """EOFError / BadGzipFile / zlib.error tracebacks before; now the rows read so far
    are written, then one line says what is wrong, and the exit code is 2."""
    data, reason = DAMAGED[kind]
    if fmt != "csv":
        records = [{"id": str(i), "industry": "SaaS", "employees": 500} for i in range(3000)]
        text = (
            "".join(json.dumps(r) + "\n" for r in records)
            if fmt == "jsonl"
            else json.dumps(records)
        )
        packed = gzip.compress(text.encode())
        data = {
            "truncated": packed[: len(packed) // 2],
            "bad CRC": _bad_crc(packed),
            "trailing garbage": packed + b"garbage!",
            "bad block": _bad_block(packed),
        }[kind]
    path = tmp_path / f"accounts.{fmt}.gz"
    path.write_bytes(data)
    out = tmp_path / f"out.{fmt}"
    profile = tmp_path / "p.icp"  # the data's own fields: no column warnings on stderr
    profile.write_text("industry in [SaaS]\nemployees 200..1000\n")
    done = icp("eval", str(profile), str(path), "-o", str(out))
    assert done.returncode == 2
    message = done.stderr.decode().strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"icp eval: {path}: cannot be read to the end: ")
    assert reason in message
    assert "(the rows before were written)" in message
    written = out.read_text(encoding="utf-8")
    count = {
        "csv": lambda: len(list(csv.DictReader(io.StringIO(written)))),
        "jsonl": lambda: len(written.splitlines()),
        "json": lambda: len(json.loads(written)),
    }[fmt]()
    if kind == "trailing garbage":
        assert count == 3000
    assert f"after row {count:,}" in message or (count == 0 and "before the first" in message)


def test_zlib_errors_are_read_errors_not_tracebacks_in_the_library(tmp_path: Path) -> None:
    path = tmp_path / "a.csv.gz"
    path.write_bytes(_bad_block(PACKED))
    with pytest.raises(icpdsl.ICPLoadError, match="cannot be read to the end"):
        list(open_records(path))
    assert isinstance(zlib.error, type)


# ------------------------------------------------------------------ explain and JSON


def test_explain_record_nested_20000_deep_is_a_clear_error() -> None:
    deep = "[" * 20_000 + "]" * 20_000
    done = icp("explain", str(PROFILE), "--record", '{"tech": ' + deep + "}")
    assert done.returncode == 2
    assert done.stderr.decode() == "icp explain: --record is nested too deeply to read\n"


def test_explain_json_never_prints_infinity_or_nan() -> None:
    record = '{"industry": "SaaS", "employees": 1e999, "revenue": -1e999, "x": NaN}'
    done = icp("explain", str(PROFILE), "--record", record, "--format", "json")
    assert done.returncode == 0
    text = done.stdout.decode()
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


def test_to_dict_with_an_int_of_5000_digits_is_json() -> None:
    profile = icpdsl.loads("employees 200..1000\n+10 if revenue > 5\n").profile
    result = profile.evaluate({"employees": 10**5000, "revenue": -(10**5000)})
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert "e+5000" in text


def test_eval_json_output_has_no_infinity(tmp_path: Path) -> None:
    data = tmp_path / "inf.jsonl"
    data.write_text('{"id": 1, "employees": 1e999}\n{"id": 2, "employees": NaN}\n')
    done = icp("eval", str(PROFILE), str(data), "--format", "json", "--explain", "-q")
    text = done.stdout.decode()
    assert "Infinity" not in text and "NaN" not in text
    assert len(json.loads(text)) == 2
