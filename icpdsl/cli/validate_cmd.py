"""`icp validate PROFILE HISTORY --outcome COLUMN`: backtest profiles on past outcomes."""

from __future__ import annotations

import argparse
import json
import sys

from ..loader import load
from ..validate.html import render_html
from ..validate.metrics import validate
from ..validate.report import render_text, to_dict
from . import EXIT_FAILED, EXIT_OK
from .history_options import add_outcome_options, load_history
from .input_options import add_input_options
from .output import write_text

EXAMPLES = """\
examples:
  icp validate examples/history/planted.icp examples/history/deals.csv --outcome won
  icp validate icp/saas.icp deals.csv --outcome won --value acv --html report.html
  icp validate icp/saas.icp accounts.csv --outcome status --good renewed --format json
  icp validate icp/saas.icp deals.csv --outcome won --min-lift 1.5   # a CI gate

exit codes: 0 done; 1 a profile's fit lift is below --min-lift; 2 usage or input error
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="backtest profiles on past outcomes: rates, lift, recall, value, per rule",
        description="Evaluate every past account in HISTORY against the profiles in PROFILE "
        "and report, per verdict and tier, the outcome rate with its 95% Wilson interval, "
        "lift over the base rate, recall and value; per rule, the outcome rate where it "
        "holds and where it does not (docs/validate.md).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("profile", help="the .icp file")
    parser.add_argument("history", help="past accounts with outcomes: .csv, .jsonl, .json, ...")
    add_outcome_options(parser)
    parser.add_argument(
        "--value",
        metavar="COLUMN",
        help="a value column (ACV, LTV, revenue): value per account and Class 1/2/3",
    )
    parser.add_argument(
        "--profile",
        action="append",
        metavar="NAME",
        dest="profile_names",
        help="validate this profile only (repeatable)",
    )
    add_input_options(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    output.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    output.add_argument(
        "--html", metavar="FILE", help="also write a self-contained HTML report with charts"
    )
    parser.add_argument(
        "--min-lift",
        type=float,
        metavar="X",
        help="exit 1 when a profile's fit accounts do not reach X times the base rate",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    document = load(args.profile)
    names = document.chosen(args.profile_names)
    history = load_history(args, args.history, value=args.value, document=document)
    validation = validate(document, history, as_of=args.as_of, profiles=names)
    if args.format == "json" or args.output:  # the text on stdout says them itself
        for warning in validation.warnings:
            print(f"icp validate: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        write_text(json.dumps(to_dict(validation), indent=2) + "\n", args.output)
    else:
        write_text(render_text(validation), args.output)
    if args.html:
        write_text(render_html(validation, title=f"ICP validation: {args.profile}"), args.html)
        print(f"icp validate: wrote {args.html}", file=sys.stderr)
    if args.min_lift is not None:
        short = [
            p.name for p in validation.profiles if (p.group("fit").lift or 0.0) < args.min_lift
        ]
        for name in short:
            print(
                f"icp validate: {name!r}: fit accounts reach less than {args.min_lift:g}× "
                "the base rate",
                file=sys.stderr,
            )
        return EXIT_FAILED if short else EXIT_OK
    return EXIT_OK
