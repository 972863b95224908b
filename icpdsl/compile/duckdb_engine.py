"""Score a CSV file end to end inside DuckDB: CSV in, CSV with verdict/score/tier out.

DuckDB reads the file (types detected per column), runs the generated SQL and writes
the result without the rows passing through Python; `icp eval --engine duckdb` uses it.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys
import tempfile
from typing import TYPE_CHECKING, Any

from ..errors import ICPError, ICPLoadError

if TYPE_CHECKING:
    import argparse

    from ..model import Document, Profile

#: The name the input file has inside the generated query.
SOURCE_VIEW = "icp_accounts"
TYPED_COLUMNS_HINT = (
    "--engine duckdb reads typed columns: plain numbers (no $ or thousands separators), "
    "ISO dates and true/false; score such files with the default engine"
)


def duckdb_module() -> Any:
    """The duckdb module, or an error naming the extra to install."""
    try:
        import duckdb
    except ImportError:
        raise ICPError(
            "icp eval --engine duckdb needs the 'duckdb' extra: pip install 'icpdsl[duckdb]'"
        ) from None
    return duckdb


def pick_profile(document: Document, name: str | None) -> Profile:
    """The profile called `name`, or the document's only profile."""
    if name is None:
        return document.profile
    try:
        return document.profiles[name]
    except KeyError:
        names = ", ".join(repr(n) for n in document.profiles)
        raise ICPError(f"{document.filename} has no profile {name!r} (it has {names})") from None


def score_csv(
    document: Document,
    source: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    *,
    profile: str | None = None,
    as_of: datetime.date | None = None,
    threads: int | None = None,
) -> None:
    """Write `source`'s rows to `destination` with verdict, score, tier and reasons added.

    Both files are CSV with a header row.  `profile` names the profile when the document
    has several.  Raises ICPLoadError for unreadable input and ICPError when DuckDB
    cannot run the query (for example a number column holding `$12M`).
    """
    duckdb = duckdb_module()
    from .sql import to_sql

    chosen = pick_profile(document, profile)
    sql = to_sql(chosen, dialect="duckdb", table=SOURCE_VIEW, as_of=as_of)
    if not os.path.isfile(source):
        raise ICPLoadError(f"no such file: {os.fspath(source)}", filename=os.fspath(source))
    connection = duckdb.connect()
    try:
        if threads is not None:
            connection.execute(f"SET threads = {int(threads)}")  # an int, never text
        try:
            connection.read_csv(os.fspath(source)).create_view(SOURCE_VIEW)
        except duckdb.Error as error:
            raise ICPLoadError(f"cannot read {os.fspath(source)}: {error}") from None
        from sqlglot import exp

        target = exp.Literal.string(os.fspath(destination)).sql(dialect="duckdb")  # quoted
        try:
            connection.execute(f"COPY ({sql}) TO {target} (HEADER)")  # parallel, unlike write_csv
        except duckdb.Error as error:
            first = str(error).splitlines()[0]
            raise ICPError(
                f"DuckDB cannot score {os.fspath(source)}: {first}", hint=TYPED_COLUMNS_HINT
            ) from None
    finally:
        connection.close()


#: `icp eval` options the DuckDB engine cannot honour, with how each is spelled.
UNSUPPORTED_OPTIONS = {
    "explain": "--explain",
    "only": "--only",
    "top": "--top",
    "summary_only": "--summary-only",
    "id": "--id",
    "delimiter": "--delimiter",
}


def eval_command(args: argparse.Namespace, document: Document) -> int:
    """`icp eval PROFILE DATA.csv --engine duckdb [-o OUT.csv]`: CSV in, CSV out.

    One profile (`--profile NAME` when the file has several); the output is CSV (a
    file, or stdout).  Returns the exit code.
    """
    used = [flag for name, flag in UNSUPPORTED_OPTIONS.items() if getattr(args, name, None)]
    if used:
        raise ICPError(f"--engine duckdb does not support {', '.join(used)}; use --engine python")
    if getattr(args, "format", None) not in (None, "csv"):
        raise ICPError("--engine duckdb writes CSV only; use --engine python for other formats")
    if getattr(args, "input_format", None) not in (None, "csv") or args.data == "-":
        raise ICPError("--engine duckdb reads a CSV file (not stdin); use --engine python")
    names = getattr(args, "profile_names", None) or []
    if len(names) > 1:
        raise ICPError("--engine duckdb scores one profile at a time: give one --profile")
    name = names[0] if names else None
    if name is None and len(document.profiles) > 1:
        raise ICPError(
            f"{document.filename} has {len(document.profiles)} profiles; "
            "pick one with --profile NAME for --engine duckdb"
        )
    as_of = getattr(args, "as_of", None)
    if args.output:
        score_csv(document, args.data, args.output, profile=name, as_of=as_of)
    else:  # DuckDB writes files: go through a temporary one, then copy it to stdout
        with tempfile.TemporaryDirectory(prefix="icpdsl-") as folder:
            scored = os.path.join(folder, "scored.csv")
            score_csv(document, args.data, scored, profile=name, as_of=as_of)
            with open(scored, encoding="utf-8", newline="") as handle:
                shutil.copyfileobj(handle, sys.stdout)
        sys.stdout.flush()
    if args.output and not getattr(args, "quiet", False):
        print(f"icp eval: wrote {args.output} (engine duckdb)", file=sys.stderr)
    return 0
