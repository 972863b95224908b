"""Memory and time of reading one huge line, against the line's size (issue 17).

Run: `.venv/bin/python bench/reader_memory.py [--mib 16 64 256 1024]`

Each file is a small `.csv.gz` or `.jsonl.gz` that unpacks to a header, one line of the
given size, and one ordinary record.  `icp eval` reads it in a fresh process, which
reports its own peak resident memory (VmHWM, Linux) and time; the baseline is the same
process scoring a file of the two ordinary records alone, measured in the same run.
The line is over `Limits.max_record_chars`, so it becomes one error row: what is
measured is that no more of it than the limit is ever held.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import installed_bytecode, table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILE = os.path.join(ROOT, "examples", "security.icp")
RUNNER = """
import contextlib, io, re, sys, time
from icpdsl.cli import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(["eval", sys.argv[1], sys.argv[2], "--format", "jsonl", "-q"])
seconds = time.perf_counter() - started
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024, seconds)
"""
SHAPES = {
    "csv": (b"id,note\n1,", b"x", b"\n2,after\n"),
    "jsonl": (b'{"id": 1, "note": "', b"x", b'"}\n{"id": 2, "note": "after"}\n'),
}


def packed(path: str, head: bytes, fill: bytes, tail: bytes, mib: int) -> None:
    """Write gzip of `head`, `mib` MiB of `fill`, `tail`, compressing piece by piece."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = fill * (1 << 20)
    with open(path, "wb") as handle:
        handle.write(packer.compress(head))
        for _ in range(mib):
            handle.write(packer.compress(block))
        handle.write(packer.compress(tail) + packer.flush())


def measure(path: str) -> tuple[float, float]:
    """Peak MiB and seconds of `icp eval` on `path`, in a fresh process."""
    installed_bytecode()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, PROFILE, path],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    peak, seconds = done.stdout.split()
    return float(peak), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, nargs="+", default=[16, 64, 256, 1024])
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="icpdsl-reader-memory-")
    rows = []
    for kind, (head, fill, tail) in SHAPES.items():
        small = os.path.join(folder, f"small.{kind}.gz")
        packed(small, head, b"", tail, 0)
        base_peak, base_seconds = measure(small)
        rows.append([f"{kind}.gz, ordinary records (baseline)", "-", f"{base_peak:.0f}",
                     "1.00×", f"{base_seconds:.2f}"])  # fmt: skip
        for mib in args.mib:
            path = os.path.join(folder, f"huge-{mib}.{kind}.gz")
            packed(path, head, fill, tail, mib)
            peak, seconds = measure(path)
            rows.append([f"{kind}.gz, one line of {mib:,} MiB",
                         f"{os.path.getsize(path) / 1e6:.1f}", f"{peak:.0f}",
                         f"{peak / base_peak:.2f}×", f"{seconds:.2f}"])  # fmt: skip
            os.unlink(path)
    print(table(["input", "MB on disk", "peak MiB", "peak vs baseline", "seconds"], rows))


if __name__ == "__main__":
    main()
