"""Benchmark `icp eval` to CSV on generated accounts: rows/s and peak memory.

    .venv/bin/python bench/eval_1m.py            # 1,000,000 accounts (and 100,000 to compare)
    .venv/bin/python bench/eval_1m.py --rows 200000

Each run is a subprocess; its peak RSS comes from the kernel's accounting for that child
(`os.wait4`, the per-child form of `getrusage(RUSAGE_CHILDREN)`).  A baseline measured in
the same run, a plain `csv.reader` → `csv.writer` copy of the same file, shows what
reading and writing the CSV alone costs on this machine.  Memory is flat when the peak
for 1,000,000 rows is about the peak for 100,000.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import run_child  # noqa: E402

PROFILE = ROOT / "examples" / "security.icp"
COPY = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='') as src, open(sys.argv[2], 'w', newline='') as dst:\n"
    "    csv.writer(dst).writerows(csv.reader(src))\n"
)
COLUMNS = [
    "id",
    "name",
    "domain",
    "industry",
    "employees",
    "revenue",
    "country",
    "tech",
    "has_security_owner",
    "requires",
    "is_competitor",
    "funding_stage",
    "last_funding",
]
INDUSTRIES = ["SaaS", "B2B Software", "Fintech", "Healthcare", "Manufacturing", "Retail"]
COUNTRIES = ["US", "US", "US", "GB", "DE", "CA", "FR", "RU", "IN", "BR"]
TECH = ["AWS", "GCP", "Azure", "Okta", "CrowdStrike", "Slack", "Salesforce", "Oracle", "HubSpot"]
STAGES = ["Seed", "Series_A", "Series_B", "Series_C", "Series_D", ""]


def generate(path: Path, rows: int, seed: int = 4) -> None:
    """`rows` accounts shaped like examples/accounts.csv (some blanks, some odd cells)."""
    pick = random.Random(seed)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(1, rows + 1):
            employees = pick.choice([str(pick.randint(5, 5000))] * 20 + ["", "n/a"])
            writer.writerow(
                [
                    number,
                    f"Company {number}",
                    f"company{number}.example",
                    pick.choice(INDUSTRIES),
                    employees,
                    f"${pick.randint(1, 900)}M" if pick.random() < 0.9 else "",
                    pick.choice(COUNTRIES),
                    "; ".join(pick.sample(TECH, pick.randint(0, 4))),
                    pick.choice(["yes", "no", ""]),
                    pick.choice(["", "", "", "on_prem", "SOC2"]),
                    pick.choice(["no"] * 30 + ["yes"]),
                    pick.choice(STAGES),
                    f"20{pick.randint(18, 26)}-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d}",
                ]
            )


def measure(command: list[str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS in MiB and exit code of one child process."""
    child = run_child(command)
    return child.seconds, child.cpu, child.peak_kib // 1024, child.code


def run(rows: int, folder: Path) -> dict[str, float]:
    data, out, copy = folder / f"accounts_{rows}.csv", folder / "scored.csv", folder / "copy.csv"
    generate(data, rows)
    icp = [
        sys.executable,
        "-m",
        "icpdsl",
        "eval",
        str(PROFILE),
        str(data),
        "-o",
        str(out),
        "--as-of",
        "2026-06-01",
    ]
    seconds, cpu, peak, code = measure(icp)
    if code not in (0, 1):
        raise SystemExit(f"icp eval failed with exit code {code}")
    with out.open() as handle:
        written = sum(1 for _ in handle) - 1
    assert written == rows, f"{written} rows written for {rows} read"
    base_seconds, base_cpu, base_peak, _ = measure(
        [sys.executable, "-c", COPY, str(data), str(copy)]
    )
    return {
        "rows": rows,
        "seconds": seconds,
        "cpu": cpu,
        "peak": peak,
        "base_seconds": base_seconds,
        "base_cpu": base_cpu,
        "base_peak": base_peak,
        "mb": data.stat().st_size / 2**20,
    }


def _rate(rows: int, seconds: float, cpu: float) -> str:
    """`3,845 rows/s (9,210/CPU s)`: the wall-clock rate, and per CPU second (load-proof)."""
    return f"{rows / seconds:>7,.0f} rows/s ({rows / cpu:>7,.0f}/CPU s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="the run to compare memory with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(n, Path(tmp)) for n in (args.small, args.rows)]
    load = os.getloadavg()[0]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs (load {load:.1f}), {PROFILE.name}"
    )
    print(f"{'rows':>10}  {'MB':>6}  {'icp eval':<32}  {'peak':>7}  {'csv copy':<32}  {'peak':>7}")
    for r in results:
        icp = _rate(r["rows"], r["seconds"], r["cpu"])
        copy = _rate(r["rows"], r["base_seconds"], r["base_cpu"])
        print(
            f"{r['rows']:>10,}  {r['mb']:>6.1f}  {icp}  {r['peak']:>3} MiB  "
            f"{copy}  {r['base_peak']:>3} MiB"
        )
    small, large = results
    print(
        f"icp eval / csv copy: {large['seconds'] / large['base_seconds']:.1f}x the time, "
        f"{large['cpu'] / large['base_cpu']:.1f}x the CPU, "
        f"{large['peak'] / large['base_peak']:.1f}x the memory"
    )
    print(
        f"peak memory for {large['rows'] // small['rows']}x the rows: "
        f"{large['peak'] / small['peak']:.2f}x"
    )


if __name__ == "__main__":
    main()
