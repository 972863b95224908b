"""Reading a line costs memory bounded by `Limits.max_record_chars`, checked before the
line is held (issue 17: a 1 MB `.csv.gz` holding one 1 GiB line took 2.1 GB, a
`.jsonl.gz` 3.2 GB)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "security.icp"
LINE_MIB = 256
#: Far below the line's size: the line is never held whole.
PEAK_MIB = 160


def _packed(head: bytes, fill: bytes, tail: bytes) -> bytes:
    """gzip data of `head`, LINE_MIB MiB of `fill`, then `tail`, made in small pieces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    block = fill * (1 << 20)
    parts = [packer.compress(head)]
    parts += [packer.compress(block) for _ in range(LINE_MIB)]
    parts += [packer.compress(tail), packer.flush()]
    return b"".join(parts)


def _run(path: Path) -> tuple[float, list[dict[str, object]], str]:
    """`icp eval PROFILE path` in a fresh process: its peak memory (MiB), rows, stderr."""
    child = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(PROFILE), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    out, err = child.communicate(timeout=300)
    assert b"Traceback" not in err, err.decode(errors="replace")
    peak, _, rows = out.decode().partition("\n")
    return float(peak), [json.loads(line) for line in rows.splitlines()], err.decode()


#: Runs `icp eval` in a fresh process and prints its own peak memory (MiB) first: the
#: high-water mark of its address space (VmHWM), not getrusage's, which counts the
#: parent's memory too when the child was forked from a big test worker.
RUNNER = """
import contextlib, io, re, sys
from icpdsl.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    main(["eval", sys.argv[1], sys.argv[2], "--format", "jsonl", "-q"])
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024)
print(out.getvalue(), end="")
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_one_huge_line_in_a_small_gzip_takes_bounded_memory(tmp_path: Path, kind: str) -> None:
    if kind == "csv":
        data = _packed(b"id,note\n1,", b"x", b"\n2,after\n")
    else:
        data = _packed(b'{"id": 1, "note": "', b"x", b'"}\n{"id": 2, "note": "after"}\n')
    path = tmp_path / f"huge.{kind}.gz"
    path.write_bytes(data)
    assert path.stat().st_size < 2 << 20  # under 2 MB on disk, 256 MiB unpacked
    peak, rows, _ = _run(path)
    assert peak < PEAK_MIB, f"peak {peak:.0f} MiB for a {LINE_MIB} MiB line"
    assert [(row["row"], row["verdict"]) for row in rows] == [(1, "error"), (2, "unknown")]
    assert "longer than 4,194,304" in str(rows[0]["error"])


def test_a_long_json_lines_line_is_one_error_row_and_reading_goes_on(tmp_path: Path) -> None:
    from icpdsl import Limits
    from icpdsl.io import open_records

    path = tmp_path / "a.jsonl.gz"
    line = json.dumps({"id": 1, "note": "x" * 5_000}).encode()
    path.write_bytes(gzip.compress(line + b'\n{"id": 2}\n'))
    rows = list(open_records(path, limits=Limits(max_record_chars=1_000)))
    assert [(r.number, r.line, r.error) for r in rows] == [
        (1, 1, "the line is longer than 1,000 bytes (Limits.max_record_chars)"),
        (2, 2, None),
    ]
