"""Account files → Rows: pick the reader for a file's format and stream its records."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from ..errors import ICPLoadError
from ..limits import DEFAULT_LIMITS, Limits
from .csv_reader import CSVReader
from .formats import check_format, format_from_bytes, format_from_name
from .json_reader import JSONArrayReader, JSONLinesReader
from .parquet_reader import ParquetReader
from .rows import Row
from .source import DataSource, open_source


class RecordReader(Protocol):
    """What every reader offers: its rows, its columns when the format has a header."""

    format: str
    source: DataSource
    #: Column names (CSV header, Parquet schema); None for JSON, whose records vary.
    columns: list[str] | None
    #: Problems that did not stop reading (renamed columns, text after the data).
    warnings: list[str]
    #: True when the input held nothing at all (not even a header).
    empty: bool
    #: What the text most likely is, once a row was not in the encoding it was read with.
    encoding_hint: str | None

    def __iter__(self) -> Iterator[Row]: ...


def open_records(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    text_columns: Collection[str] = (),
    typed: bool = True,
    read_columns: Collection[str] | None = None,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RecordReader:
    """Open a data file (`-` is stdin) for streaming; the format comes from `format`, the
    file name, or the first bytes.

    Text is UTF-8, or what a byte-order mark says, or `encoding` (see
    `icpdsl.io.encodings`).  CSV cells are typed as `icpdsl.semantics.cells.infer_cell` does,
    except in `text_columns` (ids like `00123` stay text), or nowhere when not `typed`;
    given `read_columns` (the columns a profile reads, `icpdsl.batch.columns.columns_read`),
    the other columns stay text too, and a wide export is not typed cell by cell.
    Errors that stop the whole
    file (missing, in another encoding, not Parquet) raise ICPLoadError; so does input
    that cannot be read to its end (a damaged `.gz`), while iterating, after the rows
    before the damage.  A bad record becomes an error Row.
    """
    source = open_source(path, stdin)
    try:
        kind = check_format(format) if format else format_from_name(os.fspath(path))
        kind = kind or format_from_bytes(source.head())
        if kind == "csv":
            return CSVReader(
                source,
                encoding=encoding,
                delimiter=delimiter,
                text_columns=text_columns,
                typed=typed,
                read_columns=read_columns,
                limits=limits,
            )
        if kind == "jsonl":
            return JSONLinesReader(source, encoding=encoding, limits=limits)
        if kind == "json":
            return JSONArrayReader(source, encoding=encoding, limits=limits)
        return ParquetReader(source)
    except OSError as error:  # a damaged .gz, a read error right after opening
        source.close()
        raise ICPLoadError(f"cannot read {source.name}: {error}", filename=source.name) from None
    except BaseException:
        source.close()
        raise


def read_records(
    path: str | Path, *, format: str | None = None, encoding: str | None = None
) -> Iterator[Row]:
    """Every Row of a data file, in input order (see `open_records`)."""
    reader = open_records(path, format=format, encoding=encoding)
    try:
        yield from reader
    finally:
        reader.source.close()
