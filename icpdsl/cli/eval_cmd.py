"""`icp eval PROFILE DATA`: score every account and print verdicts, scores and reasons."""

from __future__ import annotations

import argparse
import sys

from ..model import load
from ..io import read_records


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score accounts against a profile file",
        description="Score every account in DATA against each profile in PROFILE.",
        epilog="example: icp eval examples/security.icp examples/accounts.csv --explain",
    )
    parser.add_argument("profile", help="the .icp file")
    parser.add_argument("data", help="accounts as CSV")
    parser.add_argument("--explain", action="store_true", help="print every rule's outcome")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    document = load(args.profile)
    errors = 0
    for row in read_records(args.data):
        if row.record is None:
            errors += 1
            print(f"row {row.number}: error: {row.error}")
            continue
        name = row.record.get("name") or row.record.get("id") or f"row {row.number}"
        for result in document.evaluate(row.record):
            tier = result.tier or "-"
            reasons = "; ".join(result.reasons)
            print(f"{name}\t{result.profile}\t{result.verdict}\t{result.score}\t{tier}\t{reasons}")
            if args.explain:
                print(result.explain())
    if errors:
        print(f"{errors} row(s) could not be read", file=sys.stderr)
    return 1 if errors else 0
