"""`icp suggest HISTORY --outcome COLUMN`: draft a commented .icp file from past outcomes."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from typing import Any

from ..errors import ICPLoadError
from ..records import loose_key
from ..schema import did_you_mean
from ..validate.suggest import Finding, Suggestion, suggest
from . import EXIT_OK
from .history_options import add_outcome_options, load_history
from .input_options import add_input_options
from .output import write_text

EXAMPLES = """\
examples:
  icp suggest examples/history/deals.csv --outcome won
  icp suggest deals.csv --outcome won --fields industry,employees,country -o draft.icp
  icp suggest accounts.csv --outcome status --good renewed --min-support 50 --format json

exit codes: 0 done; 2 usage or input error
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "suggest",
        help="draft an ICP from past outcomes: where the good outcome concentrates",
        description="For each field of HISTORY, find the range (numbers), the values "
        "(categories) or the item (lists) where the good outcome concentrates, and write a "
        "formatted .icp file whose comments give each rule's support, outcome rate, lift and "
        "recall. Segments smaller than --min-support, or not beyond chance, make no rule.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("history", help="past accounts with outcomes: .csv, .jsonl, .json, ...")
    add_outcome_options(parser)
    parser.add_argument(
        "--fields",
        metavar="A,B,C",
        help="the columns to study (default: every column but the outcome, value and ids)",
    )
    parser.add_argument(
        "--value",
        metavar="COLUMN",
        help="a value column, left out of the fields studied",
    )
    parser.add_argument(
        "--min-support",
        type=int,
        metavar="N",
        help="the fewest accounts a rule may rest on (default: 30, or 2%% of the accounts)",
    )
    parser.add_argument("--name", default="Suggested", help="the profile's name")
    add_input_options(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=("icp", "json"),
        default="icp",
        help="icp: the drafted file (default); json: the findings and the file's text",
    )
    output.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    history = load_history(args, args.history, value=args.value)
    for warning in history.reading:  # `icp validate` reports them among its warnings
        print(f"icp suggest: warning: {args.history}: {warning}", file=sys.stderr)
    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    for field in fields or ():
        if not any(loose_key(c) == loose_key(field) for c in history.columns):
            hint = did_you_mean(field, history.columns) or "columns: " + ", ".join(history.columns)
            raise ICPLoadError(f"--fields {field!r}: no such column", hint=hint)
    command = "icp suggest " + shlex.join(sys.argv[2:]) if _from_cli() else "icp suggest"
    result = suggest(
        history,
        fields=fields,
        min_support=args.min_support,
        name=args.name,
        command=command,
        as_of=args.as_of,
    )
    if args.format == "json":
        write_text(json.dumps(to_dict(result), indent=2) + "\n", args.output)
    else:
        write_text(result.text, args.output)
    print(_summary(result, args.output), file=sys.stderr)
    return EXIT_OK


def _from_cli() -> bool:
    return len(sys.argv) > 1 and sys.argv[1] == "suggest"


def _summary(result: Suggestion, output: str | None) -> str:
    criteria = sum(f.decision == "criterion" for f in result.findings)
    points = sum(f.decision == "points" for f in result.findings)
    where = f"wrote {output}: " if output else ""
    rate = "–" if result.fit_rate is None else f"{result.fit_rate:.1%}"
    lift = "" if result.fit_lift is None else f", lift {result.fit_lift:.2f}×"
    return (
        f"icp suggest: {where}{criteria} criteria, {points} points rules; the draft fits "
        f"{result.fit_accounts:,} of {len(result.history.accounts):,} past accounts "
        f"({rate} good{lift})"
    )


def to_dict(result: Suggestion) -> dict[str, Any]:
    return {
        "accounts": len(result.history.accounts),
        "good": result.history.good,
        "base_rate": result.history.base_rate,
        "min_support": result.min_support,
        "fit": {"accounts": result.fit_accounts, "rate": result.fit_rate, "lift": result.fit_lift},
        "findings": [_finding_dict(f) for f in result.findings],
        "icp": result.text,
    }


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "field": finding.field,
        "kind": finding.kind,
        "condition": finding.condition,
        "decision": finding.decision,
        "points": finding.points,
        "accounts": finding.accounts,
        "good": finding.good,
        "rate": finding.rate,
        "rate_interval": list(finding.rate_interval),
        "lift": finding.lift,
        "lift_interval": list(finding.lift_interval) if finding.lift_interval else None,
        "recall": finding.recall,
        "rest_rate": finding.rest_rate,
        "tests": finding.tests,
        "missing": finding.missing,
        "note": finding.note,
    }
