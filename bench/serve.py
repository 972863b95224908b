"""The playground's re-score after an edit (`icp serve`), beside scoring the same accounts
with the bare compiled profile.

Run: `.venv/bin/python bench/serve.py [DATA] [--encoding latin-1] [--repeat 7]`

DATA defaults to the Crunchbase 2013 export (17,727 companies, latin-1, bare CR line
endings) in ../shared/data/companies when it is there, else a generated file of the same
size.  An edit is what the page sends as a person types: the whole profile text, then the
answer the page shows (diagnostics, examples, counts, the first page of 50 rows with their
reasons, the impact against the file on disk with its first page of changed accounts),
encoded as JSON.  The baseline is `compiled(record)` over every account for the one
profile; the ratio says what the rest of the answer costs on top of scoring.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import icpdsl
from bench.common import ratio_to, table
from icpdsl.serve import Playground, read_accounts
from icpdsl.serve.scoreboard import View
from icpdsl.serve.server import encode

#: The shared data folder beside the clone (or beside the folder of its worktrees).
CRUNCHBASE = next(
    (
        found
        for up in Path(__file__).resolve().parents[1:4]
        if (
            found := up / "shared/data/companies/crunchbase-2013/crunchbase_companies_10_2013.csv"
        ).exists()
    ),
    Path("crunchbase_companies_10_2013.csv"),
)
PROFILE = """\
profile "Funded software" {
  category_code in [software, enterprise, analytics, security, web]
  funding_total_usd >= $1M
  status != closed
  disqualify if status == acquired: "already acquired"
  +10 if funding_rounds >= 3
  +5 if state_code in [CA, NY, MA]
  tier A if score >= 10
  tier B otherwise

  examples {
    fit "funded software" {
      category_code: software, funding_total_usd: $2M, status: operating, funding_rounds: 1
    }
  }
}
"""
AS_OF = datetime.date(2013, 10, 17)


def generated(folder: Path, rows: int = 17_727) -> Path:
    """A Crunchbase-shaped file for machines without the shared data."""
    path = folder / "companies.csv"
    categories = ["software", "web", "news", "enterprise", "health", "analytics"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "category_code", "funding_total_usd", "status",
                         "state_code", "funding_rounds"])  # fmt: skip
        for i in range(rows):
            writer.writerow([f"Company {i}", categories[i % 6], (i * 7919) % 9_000_000,
                             ("operating", "acquired", "closed")[i % 7 % 3],
                             ("CA", "NY", "TX", "MA")[i % 4], i % 5])  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="accounts (default: the Crunchbase export)")
    parser.add_argument("--encoding", help="CSV encoding (latin-1 for Crunchbase)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(args.data) if args.data else CRUNCHBASE
        encoding = args.encoding or ("latin-1" if data == CRUNCHBASE else "utf-8")
        if not data.exists():
            data, encoding = generated(Path(folder)), "utf-8"
        profile = Path(folder) / "funded.icp"
        profile.write_text(PROFILE, encoding="utf-8")
        accounts = read_accounts(data, schema=icpdsl.loads(PROFILE).schema, encoding=encoding)
        playground = Playground(profile, accounts, as_of=AS_OF)
        records = [r for r in accounts.records() if r is not None]
        edits = [PROFILE.replace("$1M", f"${n}M") for n in (2, 3)]
        turn = iter(range(10**9))

        def edit() -> None:
            text = edits[next(turn) % 2]  # a new text each time, as typing gives
            encode(playground.edit(text, View()))

        def baseline() -> None:
            compiled = icpdsl.loads(edits[0]).profile.compile(AS_OF)
            for record in records:
                compiled(record)

        seconds, ratio = ratio_to(edit, baseline, args.repeat)
        base_seconds = seconds / ratio
    print(f"{data.name}: {len(records):,} accounts, median of {args.repeat}\n")
    print(table(["", "ms", "ratio"], [
        ["compiled profile over every account (baseline)", f"{base_seconds * 1000:.0f}", "1.0"],
        ["icp serve: one edit, answer encoded", f"{seconds * 1000:.0f}", f"{ratio:.1f}"],
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
