"""`icp sql PROFILE --dialect D`: print the SELECT that scores a table (dbt models, views)."""

from __future__ import annotations

import argparse
import datetime
import sys

from ..document import Document, Profile
from ..errors import Diagnostic, ICPError, ICPLoadError, ICPUnsupportedError
from ..loader import load
from . import EXIT_OK, EXIT_USAGE
from .input_options import parse_date
from .output import write_text

#: The dialects `Profile.to_sql` writes (kept in step with compile/sql.py's DIALECTS by a
#: test; listed here so `icp sql --help` needs no sqlglot).
DIALECTS = ("duckdb", "postgres", "sqlite", "snowflake", "bigquery", "spark")

EXAMPLES = """\
examples:
  icp sql examples/security.icp --dialect duckdb
  icp sql icp/saas.icp --dialect snowflake --table analytics.crm.accounts
  icp sql examples/segments.icp --dialect postgres --profile SaaS -o models/scored.sql

The SELECT returns every column of TABLE plus verdict, score, tier and reasons (docs/scale.md).
exit codes: 0 printed; 2 usage error, the profile cannot be read, or the dialect cannot
            express a rule (each such rule is listed with its line, code ICP050)
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sql",
        help="print the SQL SELECT that scores a table with a profile (dbt models, views)",
        description="Print the one SELECT statement that scores every row of TABLE with a\n"
        "profile of PROFILE, in a SQL dialect: the table's columns plus verdict, score, tier\n"
        "and reasons. Put it in a dbt model, a view or a scheduled query. Needs the 'sql'\n"
        "extra (sqlglot).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("profile", help="the .icp file")
    parser.add_argument("--dialect", required=True, choices=DIALECTS, help="the SQL dialect")
    parser.add_argument(
        "--table",
        default="accounts",
        metavar="NAME",
        help="the table to score (default: accounts); schema.table or catalog.schema.table",
    )
    parser.add_argument(
        "--profile",
        dest="profile_name",
        metavar="NAME",
        help="the profile to score with (needed when the file has several)",
    )
    parser.add_argument(
        "--as-of",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="the date `within` windows end on, written into the SQL (default: the file's "
        "`as of`, else today)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    document = load(args.profile)
    profile = _profile(document, args.profile_name)
    as_of = profile.evaluation_date(args.as_of)  # --as-of, the file's `as of`, or today
    from ..compile.sql import to_sql  # needs sqlglot: the extra's error names the pip line

    refusals = _refusals(profile, args.dialect, as_of)
    if not refusals:
        try:
            sql = to_sql(profile, args.dialect, _table(args.table), as_of)
        except ICPUnsupportedError as error:
            refusals = error.diagnostics
    if refusals:
        for diagnostic in refusals:
            hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
            print(f"icp sql: {diagnostic.format(caret=False).splitlines()[0]}{hint}",
                  file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    write_text(sql + "\n", args.output)
    return EXIT_OK


def _profile(document: Document, name: str | None) -> Profile:
    """The profile named, or the document's only one."""
    if name is not None:
        if name not in document.profiles:
            names = ", ".join(repr(n) for n in document.profiles)
            raise ICPLoadError(f"no profile named {name!r}", filename=document.filename,
                               hint=f"profiles: {names}")  # fmt: skip
        return document.profiles[name]
    if len(document.profiles) != 1:
        names = ", ".join(repr(n) for n in document.profiles)
        raise ICPError(
            f"{document.filename} has {len(document.profiles)} profiles; one SELECT scores one",
            hint=f"pick one with --profile NAME: {names}",
        )
    return document.profile


def _table(name: str) -> list[str]:
    """`analytics.crm.accounts` → its parts (each quoted by the SQL generator)."""
    parts = name.split(".")
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise ICPError(
            f"--table {name!r} is not a table name",
            hint="give table, schema.table or catalog.schema.table",
        )
    return parts


def _refusals(profile: Profile, dialect: str, as_of: datetime.date) -> list[Diagnostic]:
    """Every rule the dialect cannot express, not just the first (ICP050 each)."""
    from ..compile.sql import DIALECTS as GENERATORS

    generator = GENERATORS[dialect](profile, as_of)
    found: list[Diagnostic] = []
    for index, bound in enumerate(profile.rules):
        if getattr(bound.node, "condition", None) is None:
            continue
        try:
            generator.rule(index)
        except ICPUnsupportedError as error:  # a define used twice is reported once
            found += [d for d in error.diagnostics if d not in found]
    return found
