"""Score a CSV file end to end inside DuckDB: CSV in, CSV with verdict/score/tier out.

DuckDB reads the file (types detected per column), runs the generated SQL and writes
the result without the rows passing through Python; `icp eval --engine duckdb` uses it.
"""

from __future__ import annotations

import datetime
import os
from typing import TYPE_CHECKING, Any

from ..errors import ICPError, ICPLoadError

if TYPE_CHECKING:
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
        try:
            connection.sql(sql).write_csv(os.fspath(destination))
        except duckdb.Error as error:
            first = str(error).splitlines()[0]
            raise ICPError(
                f"DuckDB cannot score {os.fspath(source)}: {first}", hint=TYPED_COLUMNS_HINT
            ) from None
    finally:
        connection.close()
