"""What the reader fuzzers check and how they make data files; shared by tests/fuzz and
bench/fuzz.py (`--target readers`).

The property, `check_data(name, data)`: a data file of any bytes, named with any of the
suffixes icpdsl reads (`.csv`, `.jsonl`, `.json`, `.parquet`, each optionally `.gz`),
either fails to open with an ICPLoadError, or yields Rows numbered 1, 2, 3, ... each
holding a record or an error, and possibly then an ICPLoadError (damaged input); never
another exception.  `icp eval` on it, with each output format written to a real UTF-8
stream, exits 0, 1 or 2 (never a traceback) and writes exactly one row per Row read.

Inputs: byte-level mutations of the example data files (quotes, line breaks, NULs,
byte-order marks, bytes that are not UTF-8, JSON escapes of lone surrogates, long runs,
truncation), Parquet files of extreme Arrow values, and gzip of any of these, cut short,
with a flipped byte or with garbage after it.  Failing inputs are kept in
tests/fuzz/corpus/ as `<digest>.data.<suffixes>`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import gzip
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from icpdsl import ICPError
from icpdsl.cli import main
from icpdsl.io import open_records

from .harness import CORPUS, ROOT, PropertyFailure

PROFILE = ROOT / "examples" / "security.icp"
SUFFIXES = (".csv", ".jsonl", ".json", ".parquet")
OUTPUTS = ("csv", "jsonl", "json")


# ------------------------------------------------------------------ the property


def check_data(name: str, data: bytes) -> list[Any]:
    """Read `data` as a file called `name`, then score it; PropertyFailure (or any other
    exception) when a guarantee breaks.  Returns the Rows read."""
    with tempfile.TemporaryDirectory(prefix="icpdsl-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        rows = _read(path)
        if rows is None:
            return []
        for fmt in OUTPUTS:
            _score(path, fmt, len(rows))
        return rows


def _read(path: Path) -> list[Any] | None:
    """The Rows of `path`; None when it cannot be opened (an ICPLoadError)."""
    try:
        reader = open_records(path)
    except ICPError:
        return None
    rows: list[Any] = []
    try:
        for row in reader:
            if row.number != len(rows) + 1:
                raise PropertyFailure(f"row {row.number} after {len(rows)} rows")
            if (row.record is None) == (row.error is None):
                raise PropertyFailure(f"row {row.number} has both or neither record and error")
            if row.line is not None and row.line < 1:
                raise PropertyFailure(f"row {row.number} on line {row.line}")
            rows.append(row)
    except ICPError:
        pass  # damaged input: the rows before it count
    finally:
        reader.source.close()
    return rows


def _score(path: Path, fmt: str, expected: int) -> None:
    """`icp eval` writing `fmt` to a UTF-8 stream: exit 0/1/2, one output row per Row."""
    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    stderr = io.StringIO()
    argv = ["eval", str(PROFILE), str(path), "--format", fmt, "--as-of", "2025-06-30", "-q"]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    stdout.flush()
    if code not in (0, 1, 2):
        raise PropertyFailure(f"icp eval exited {code}: {stderr.getvalue()[:200]}")
    text = buffer.getvalue().decode("utf-8")  # the bytes written are UTF-8
    if code == 2 and not text:
        return  # refused before writing anything (the file cannot be read at all)
    written = _count(text, fmt)
    if written != expected and "reading stopped" not in stderr.getvalue():
        raise PropertyFailure(f"{written} {fmt} rows written for {expected} rows read")


def _count(text: str, fmt: str) -> int:
    if fmt == "csv":
        return len(list(csv.DictReader(io.StringIO(text))))
    if fmt == "jsonl":
        return len([json.loads(line) for line in text.splitlines()])
    return len(json.loads(text))


# ------------------------------------------------------------------ inputs

_SEEDS = ("accounts.csv", "hubspot_export.csv", "salesforce_export.csv")
_FRAGMENTS = [
    b'"', b'""', b"\n", b"\r", b"\r\n", b"\x00", b",", b";", b"\t", b"|", b"\xef\xbb\xbf",
    b"\xff\xfe", b"\xfe\xff", b"\xe9", b"\x93", b"\xc3", b"\xed\xa0\x80", b"\\ud800",
    b'{"a": "\\udc00"}', b"NaN", b"Infinity", b"1e999", b"9" * 5000, b"[" * 3000,
    b'"' + b"x" * 20_000, b" " * 5000, b"=HYPERLINK(1)", b"$12.5M", b"2024-02-30",
]  # fmt: skip


def _seed_texts() -> list[bytes]:
    return [(ROOT / "examples" / name).read_bytes() for name in _SEEDS]


def _as_jsonl(seed: bytes) -> bytes:
    records = list(csv.DictReader(io.StringIO(seed.decode("utf-8"))))
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _as_json(seed: bytes) -> bytes:
    return json.dumps(list(csv.DictReader(io.StringIO(seed.decode("utf-8"))))).encode()


@st.composite
def mutated_bytes(draw: st.DrawFn, base: bytes) -> bytes:
    """`base` with a few byte-level mutations: inserts, deletes, repeats, truncation."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "repeat", "truncate", "flip"]))
        if action == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(_FRAGMENTS), st.binary(max_size=8)))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 50))]
        elif action == "repeat":
            data[at:at] = bytes(data[at : at + draw(st.integers(1, 20))]) * draw(
                st.sampled_from([2, 50, 2000])
            )
        elif action == "truncate":
            del data[at:]
        elif data and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


def _text_files() -> st.SearchStrategy[tuple[str, bytes]]:
    seeds = _seed_texts()
    kinds = [(".csv", lambda s: s), (".jsonl", _as_jsonl), (".json", _as_json)]
    return st.sampled_from(kinds).flatmap(
        lambda kind: (
            st.sampled_from(seeds)
            .map(kind[1])
            .flatmap(lambda base: mutated_bytes(base))
            .map(lambda data: (kind[0], data))
        )
    )


_EXTREME_TEMPORALS = [
    ("timestamp[us]", 253_402_300_800_000_000 * 10),
    ("timestamp[ns]", 2**63 - 1),
    ("timestamp[ns]", -(2**63) + 1),
    ("date32", 3_000_000),
    ("date32", -3_000_000),
    ("date64", 2**62),
    ("duration[s]", 2**62),
    ("duration[ns]", 2**63 - 1),
    ("time64[ns]", 86_399_999_999_999),
]


@st.composite
def parquet_files(draw: st.DrawFn) -> bytes:
    """A Parquet file of a few rows with extreme temporal values, odd time zones,
    decimals and nested lists; sometimes with a mutated byte or cut short."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = draw(st.integers(1, 40))
    columns: dict[str, Any] = {"id": pa.array([str(i) for i in range(rows)])}
    for index in range(draw(st.integers(1, 4))):
        kind, extreme = draw(st.sampled_from(_EXTREME_TEMPORALS))
        unit_type = _arrow_type(pa, kind, draw(st.sampled_from([None, "UTC", "Mars/Olympus"])))
        values = [draw(st.sampled_from([0, 1, extreme, None])) for _ in range(rows)]
        storage = pa.int32() if kind == "date32" else pa.int64()
        columns[f"c{index}"] = pa.array(values, storage).cast(unit_type)
    if draw(st.booleans()):
        columns["tech"] = pa.array([["AWS", None]] * rows, pa.list_(pa.string()))
    if draw(st.booleans()):
        columns["revenue"] = pa.array([datetime.date(2020, 1, 1)] * rows)
    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    data = sink.getvalue()
    if draw(st.integers(0, 4)) == 0:
        data = draw(mutated_bytes(data))
    return data


def _arrow_type(pa: Any, kind: str, zone: str | None) -> Any:
    if kind.startswith("timestamp"):
        return pa.timestamp(kind[10:12], tz=zone)
    if kind.startswith("duration"):
        return pa.duration(kind[9:-1])
    if kind == "time64[ns]":
        return pa.time64("ns")
    return pa.date32() if kind == "date32" else pa.date64()


@st.composite
def gzipped(draw: st.DrawFn, inner: st.SearchStrategy[tuple[str, bytes]]) -> tuple[str, bytes]:
    """A file of `inner` compressed with gzip, maybe cut short, flipped or followed by
    garbage."""
    suffix, data = draw(inner)
    packed = bytearray(gzip.compress(data))
    damage = draw(st.sampled_from(["none", "cut", "flip", "garbage"]))
    if damage == "cut":
        del packed[draw(st.integers(0, len(packed) - 1)) :]
    elif damage == "flip":
        packed[draw(st.integers(0, len(packed) - 1))] ^= draw(st.integers(1, 255))
    elif damage == "garbage":
        packed += draw(st.binary(min_size=1, max_size=20))
    return suffix + ".gz", bytes(packed)


def data_files() -> st.SearchStrategy[tuple[str, bytes]]:
    """(file name, bytes) of any kind icpdsl reads."""
    texts = _text_files()
    parquet = parquet_files().map(lambda data: (".parquet", data))
    return st.one_of(texts, parquet, gzipped(texts)).map(
        lambda pair: (f"accounts{pair[0]}", pair[1])
    )


# ------------------------------------------------------------------ the corpus
#
# corpus/<digest>.data.<suffixes>: a data file that once broke check_data.


def save_data_case(name: str, data: bytes) -> Path:
    """Keep a failing data file in the corpus (named by its content); returns its path."""
    CORPUS.mkdir(exist_ok=True)
    suffixes = "".join(Path(name).suffixes)
    path = CORPUS / f"{hashlib.sha256(data).hexdigest()[:16]}.data{suffixes}"
    path.write_bytes(data)
    return path


def load_data_cases() -> Iterator[Path]:
    """Every data file of the corpus."""
    yield from sorted(CORPUS.glob("*.data.*"))


def replay_data(path: Path) -> None:
    suffixes = "".join(path.suffixes).removeprefix(".data")
    check_data(f"accounts{suffixes}", path.read_bytes())
