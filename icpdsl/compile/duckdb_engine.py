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

from ..errors import ICPError, ICPLoadError, ICPMissingExtraError

if TYPE_CHECKING:
    import argparse

    from ..document import Document, Profile

TYPED_COLUMNS_HINT = (
    "--engine duckdb reads typed columns: plain numbers (no $ or thousands separators), "
    "ISO dates and true/false; score such files with the default engine"
)


def duckdb_module() -> Any:
    """The duckdb module, or an error naming the extra to install."""
    try:
        import duckdb
    except ImportError:
        raise ICPMissingExtraError("icp eval --engine duckdb", "duckdb") from None
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
    chosen = pick_profile(document, profile)
    path = os.fspath(source)
    if not os.path.isfile(path):
        raise ICPLoadError(f"no such file: {path}", filename=path)
    with tempfile.TemporaryDirectory(prefix="icp-") as folder:
        literal = literal_path(path, folder)
        statement = copy_statement(chosen, literal, os.fspath(destination), as_of)
        _run(duckdb, statement, path, threads)


def literal_path(path: str, folder: str) -> str:
    """A name DuckDB reads as this one file: it takes `*`, `?`, `[` and `{` in a path as a
    glob pattern (`a[1].csv` would read `a1.csv`), so such a file is read through a link
    with a plain name in `folder`."""
    if not any(character in path for character in "*?[{"):
        return path
    link = os.path.join(folder, "input.csv")
    try:
        os.symlink(os.path.abspath(path), link)
    except OSError:  # no symbolic links here: refuse rather than read other files
        raise ICPLoadError(
            f"{path}: DuckDB reads *, ?, [ and {{ in a file name as a pattern",
            filename=path,
            hint="rename the file, or score it with the Python engine (without --engine)",
        ) from None
    return link


def _run(duckdb: Any, statement: str, path: str, threads: int | None) -> None:
    connection = duckdb.connect()
    try:
        keep_input_order(duckdb, connection)
        if threads is not None:
            connection.execute(f"SET threads = {int(threads)}")  # an int, never text
        try:
            connection.execute(statement)
        except duckdb.Error as error:
            raise scoring_error(duckdb, error, path) from None
    finally:
        connection.close()


def keep_input_order(duckdb: Any, connection: Any) -> None:
    """Make the scored rows come out in the input's order, as `icp eval` promises.

    DuckDB keeps row order through projections, but rewrites a long `IN (...)` list into
    a join, whose threads return rows in any order; the `in_clause` optimizer does that,
    so it is turned off (the list is then tested as an expression).  A DuckDB without
    that optimizer's name gets one thread instead: slower, still in order.
    """
    try:
        connection.execute("SET disabled_optimizers = 'in_clause'")
    except duckdb.Error:  # pragma: no cover - depends on the DuckDB version
        connection.execute("SET threads = 1")


def copy_statement(
    profile: Profile, source: str, destination: str, as_of: datetime.date | None
) -> str:
    """`COPY (SELECT ... FROM read_csv(source)) TO destination (HEADER)`, built by sqlglot.

    The file is read in the query itself: DuckDB detects the columns' types once, while
    it plans the query, and reads and writes in parallel (a `read_csv` relation made in
    Python first detected them again, which cost more than building the SQL).  Both
    paths are string literals that sqlglot quotes.
    """
    from sqlglot import exp

    from .sql import select

    reader = exp.Table(this=exp.ReadCSV(this=exp.Literal.string(source)))
    query = select(profile, reader, "duckdb", as_of).sql(dialect="duckdb")
    target = exp.Literal.string(destination).sql(dialect="duckdb")
    return f"COPY ({query}) TO {target} (HEADER)"


def scoring_error(duckdb: Any, error: Exception, source: str) -> ICPError:
    """The error to raise for a failed COPY: the input file could not be read (DuckDB
    names it: not CSV, or no longer there), or its columns could not be scored."""
    if isinstance(error, (duckdb.IOException, duckdb.InvalidInputException)) and (
        source in str(error)
    ):
        return ICPLoadError(f"cannot read {source}: {error}")
    first = str(error).splitlines()[0]
    hint = None if isinstance(error, duckdb.IOException) else TYPED_COLUMNS_HINT
    return ICPError(f"DuckDB cannot score {source}: {first}", hint=hint)


#: `icp eval` options the DuckDB engine cannot honour, with how each is spelled.
UNSUPPORTED_OPTIONS = {
    "explain": "--explain",
    "only": "--only",
    "top": "--top",
    "summary_only": "--summary-only",
    "id_column": "--id",
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
    if getattr(args, "encoding", None) not in (None, "utf-8", "utf8"):
        raise ICPError("--engine duckdb reads UTF-8 only; use --engine python for --encoding")
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
