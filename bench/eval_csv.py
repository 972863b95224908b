"""`icp eval` CSV → CSV with reasons, against a hand-written `csv`-module script.

Run: `.venv/bin/python bench/eval_csv.py [--rows 200000] [--repeat 3] [--memory]`

A file of generated accounts is scored by `icp eval PROFILE DATA --format csv -o OUT`
(one process, then `--jobs 2`), and by a plain Python script that reads the same file
with the `csv` module, applies the same nine-rule profile by hand and writes the same
columns (row, id, verdict, score, tier, reason, error), reasons worded as icpdsl words
them.  The two outputs are checked to be byte-identical before anything is timed.
Times are wall-clock medians of whole processes (start-up included), interleaved.
With `--memory`, the peak resident memory of `icp eval` for 1,000,000 rows is put
beside that for 100,000 (flat memory: about the same).  With `--explain`, `icp eval
--explain` (every rule's outcome written per row, where scoring outweighs reading and
writing) is timed in one process and with `--jobs 2`, as a ratio to one process.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import run_child  # noqa: E402

PROFILE = """\
industry in [SaaS, "B2B Software", Fintech]
employees 200..1000
country in [US, GB, DE, FR, NL]
tech has any [AWS, GCP, Azure]
disqualify if is_competitor
+20 if revenue >= 20000000
+10 if tech has any [Okta, CrowdStrike]
tier A if score >= 20
tier B otherwise
"""

#: The same profile by hand, as a careful engineer writes it with the csv module.
SCRIPT = r"""
import csv, sys

INDUSTRIES = {"saas", "b2b software", "fintech"}
COUNTRIES = {"us", "gb", "de", "fr", "nl"}
CLOUDS = {"aws", "gcp", "azure"}
SECURITY = {"okta", "crowdstrike"}
INDUSTRY_LIST = '[SaaS, "B2B Software", Fintech]'


def number(cell):
    cell = cell.strip()
    return int(cell) if cell else None


def score_row(row):
    industry, employees, revenue = row[2].strip(), number(row[3]), number(row[4])
    country, tech, competitor = row[5].strip(), row[6].strip(), row[7].strip()
    keys = {t.strip().casefold() for t in tech.split(";") if t.strip()} if tech else None
    score = 0
    if revenue is not None and revenue >= 20_000_000:
        score += 20
    if keys is not None and not SECURITY.isdisjoint(keys):
        score += 10
    if competitor == "true":
        return "disqualified", score, "", "is_competitor is true"
    failed, unknown = [], []
    if not industry:
        unknown.append("industry is missing")
    elif industry.casefold() not in INDUSTRIES:
        failed.append(f"industry {industry} is not in {INDUSTRY_LIST}")
    if employees is None:
        unknown.append("employees is missing")
    elif employees < 200:
        failed.append(f"employees {employees:,} is below 200..1000 ({200 - employees:,} short)")
    elif employees > 1000:
        failed.append(f"employees {employees:,} is above 200..1000 ({employees - 1000:,} over)")
    if not country:
        unknown.append("country is missing")
    elif country.casefold() not in COUNTRIES:
        failed.append(f"country {country} is not in [US, GB, DE, FR, NL]")
    if keys is None:
        unknown.append("tech is missing")
    elif CLOUDS.isdisjoint(keys):
        failed.append("tech has none of [AWS, GCP, Azure]")
    if failed:
        return "not_fit", score, "", "; ".join(failed)
    if unknown:
        return "unknown", score, "", "; ".join(unknown)
    return "fit", score, "A" if score >= 20 else "B", ""


with open(sys.argv[1], newline="") as source, open(sys.argv[2], "w", newline="") as out:
    rows = csv.reader(source)
    next(rows)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "id", "verdict", "score", "tier", "reason", "error"])
    for number_, row in enumerate(rows, 1):
        verdict, score, tier, reason = score_row(row)
        writer.writerow([number_, row[0], verdict, score, tier, reason, ""])
"""

COLUMNS = ["id", "name", "industry", "employees", "revenue", "country", "tech", "is_competitor"]


def generate(path: Path, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    industries = ["SaaS", "Fintech", "B2B Software", "Retail", "Healthcare", ""]
    tech = ["AWS", "GCP", "Azure", "Okta", "Slack", "CrowdStrike"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(1, rows + 1):
            writer.writerow([
                number,
                f"Company {number}",
                rng.choice(industries),
                rng.choice([str(rng.randint(5, 3000))] * 19 + [""]),
                rng.choice([str(rng.randint(1, 90) * 1_000_000)] * 9 + [""]),
                rng.choice(["US", "GB", "DE", "BR", "IN", ""]),
                "; ".join(rng.sample(tech, rng.randint(0, 3))),
                rng.choice(["false"] * 40 + ["true"]),
            ])  # fmt: skip


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident kB of one child process."""
    child = run_child(command)
    if child.code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{child.errors}")
    return child.seconds, child.peak_kib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="1M rows against 100k")
    parser.add_argument("--explain", action="store_true", help="--explain, --jobs 1 and 2")
    args = parser.parse_args()
    icp = str(Path(sys.executable).with_name("icp"))
    with tempfile.TemporaryDirectory(prefix="icpdsl-bench-") as folder:
        work = Path(folder)
        profile, data, script = work / "p.icp", work / "accounts.csv", work / "by_hand.py"
        profile.write_text(PROFILE)
        script.write_text(SCRIPT)
        generate(data, args.rows)
        ours, theirs = work / "icp.csv", work / "hand.csv"
        eval_command = [icp, "eval", str(profile), str(data), "--format", "csv", "-o", str(ours)]
        baseline = "hand-written csv script (baseline)"
        runs = {
            baseline: [sys.executable, str(script), str(data), str(theirs)],
            "icp eval": eval_command,
            "icp eval --jobs 2": [*eval_command, "--jobs", "2"],
        }
        run(runs[baseline])
        run(eval_command)
        if ours.read_bytes() != theirs.read_bytes():
            raise SystemExit(f"icp eval and the script disagree: diff {ours} {theirs}")
        seconds: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, command in runs.items():
                seconds[name].append(run(command)[0])
        base = statistics.median(seconds[baseline])
        print(f"{args.rows:,} rows, 9 rules; median of {args.repeat} interleaved runs, "
              f"start-up included; {os.cpu_count()} cores")  # fmt: skip
        for name, times in seconds.items():
            median = statistics.median(times)
            print(f"  {name:38s} {median:6.2f} s  {args.rows / median:>9,.0f} rows/s  "
                  f"{median / base:.2f}×")  # fmt: skip
        if args.explain:
            explained = {
                "icp eval --explain": [*eval_command, "--explain"],
                "icp eval --explain --jobs 2": [*eval_command, "--explain", "--jobs", "2"],
            }
            times: dict[str, list[float]] = {name: [] for name in explained}
            for _ in range(args.repeat):
                for name, command in explained.items():
                    times[name].append(run(command)[0])
            one = statistics.median(times["icp eval --explain"])
            for name, taken in times.items():
                median = statistics.median(taken)
                print(f"  {name:38s} {median:6.2f} s  {args.rows / median:>9,.0f} rows/s  "
                      f"{median / one:.2f}× one process")  # fmt: skip
        if args.memory:
            peaks = {}
            for rows in (100_000, 1_000_000):
                generate(data, rows)
                peaks[rows] = run(eval_command)[1]
            print(f"  peak memory of icp eval: {peaks[100_000] / 1024:.0f} MB for 100,000 rows, "
                  f"{peaks[1_000_000] / 1024:.0f} MB for 1,000,000 "
                  f"({peaks[1_000_000] / peaks[100_000]:.2f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
