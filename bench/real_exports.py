"""`icp eval` on the real company exports, against a plain CSV copy of the same file.

Run: `.venv/bin/python bench/real_exports.py [--repeat 5]`

The three datasets of `../shared/data/companies` (read by path, never copied; a missing
one is skipped, saying so), each scored by `icp eval PROFILE FILE --format csv -o OUT`
with the realistic profile `tests/e2e/test_real_data.py` holds the engines to, in a
fresh process, start-up included.  The baseline of the same run is a `csv.reader` →
`csv.writer` copy of the file in its encoding: what reading and writing it alone costs
on this machine.  The two alternate; medians of wall time.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import run_child, table  # noqa: E402
from tests.e2e.test_real_data import DATA, DATASETS  # noqa: E402

#: The baseline: the file copied through the csv module, in its own encoding.
COPY = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding=sys.argv[3]) as src, "
    "open(sys.argv[2], 'w', newline='', encoding='utf-8') as dst:\n"
    "    csv.writer(dst).writerows(csv.reader(src))\n"
)


def seconds(command: list[str]) -> float:
    child = run_child(command)
    if child.code not in (0, 1):  # 1: some rows could not be read, which is an answer
        raise SystemExit(f"{' '.join(command)} failed:\n{child.errors}")
    return child.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    icp = str(Path(sys.executable).with_name("icp"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="icpdsl-bench-") as folder:
        work = Path(folder)
        for name, (subfolder, file, encoding, text, as_of) in DATASETS.items():
            path = DATA / subfolder / file
            if not path.is_file():
                print(f"{name}: {path} is not here, skipped")
                continue
            profile = work / f"{name}.icp"
            profile.write_text(text)
            with path.open(encoding=encoding, newline="") as handle:
                records = sum(1 for _ in csv.reader(handle)) - 1  # less the header
            runs = {
                "icp eval": [icp, "eval", str(profile), str(path), "--encoding", encoding,
                             "--as-of", as_of.isoformat(), "--format", "csv",
                             "-o", str(work / "out.csv"), "-q"],
                "csv copy": [sys.executable, "-c", COPY, str(path), str(work / "copy.csv"),
                             encoding],
            }  # fmt: skip
            times: dict[str, list[float]] = {run: [] for run in runs}
            for _ in range(args.repeat):
                for run, command in runs.items():
                    times[run].append(seconds(command))
            ours, base = (statistics.median(times[run]) for run in runs)
            rows.append([name, f"{records:,}", f"{ours:.2f}", f"{base:.2f}", f"{ours / base:.2f}×"])
    print(f"median of {args.repeat} interleaved runs, start-up included")
    print(table(["dataset", "rows", "icp eval s", "csv copy s", "icp eval / copy"], rows))


if __name__ == "__main__":
    main()
