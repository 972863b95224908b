"""Parquet → Rows, batch by batch (needs the `parquet` extra: pyarrow).

Arrow holds values Python cannot: timestamps past year 9999, dates millions of days
out, durations past 999,999,999 days, nanoseconds, time zones this machine does not
know.  Nanoseconds are cut to microseconds (what `datetime` holds) and an unknown time
zone is read as UTC, with a warning; a value that still cannot be a Python object
makes its record an error Row naming the column, and the other records are read.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zoneinfo
from collections.abc import Iterator
from typing import Any

from ..errors import ICPError, ICPLoadError, ICPMissingExtraError
from .rows import Row
from .source import DamagedInputError, DataSource

_BATCH = 8192
_OFFSET = re.compile(r"[+-]\d\d:?\d\d")


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise ICPMissingExtraError("reading Parquet", "parquet") from None
    return pyarrow, pq


class ParquetReader:
    """Rows of a Parquet file; stdin is spooled to a temporary file (Parquet needs to seek)."""

    format = "parquet"
    empty = False
    encoding_hint: str | None = None  # JSON and Parquet rows are read whole

    def __init__(self, source: DataSource) -> None:
        self._pa, pq = _pyarrow()
        self.source = source
        self.warnings: list[str] = []
        handle: Any = source.stream
        if source.is_stdin:
            handle = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the reader
            shutil.copyfileobj(source.stream, handle)
            handle.seek(0)
        try:
            self._file = pq.ParquetFile(handle)
            schema = self._file.schema_arrow
        except ICPError:
            raise
        except Exception as error:  # pyarrow raises its own ArrowInvalid, OSError, ...
            raise ICPLoadError(f"not a Parquet file: {error}", filename=source.name) from None
        self.columns: list[str] | None = list(schema.names)
        self._readable = [self._readable_type(field.type, field.name) for field in schema]

    def __iter__(self) -> Iterator[Row]:
        number = 0
        batches = self._file.iter_batches(batch_size=_BATCH)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except ICPError:
                raise
            except Exception as error:  # pyarrow's ArrowIOError, ArrowInvalid, OSError
                raise DamagedInputError(
                    f"cannot be read to the end: {str(error).splitlines()[0]}",
                    filename=self.source.name,
                ) from None
            for record, problem in self._records(batch):
                number += 1
                yield Row(number, record, problem, None)

    def _records(self, batch: Any) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
        """Each record of a batch as a dict, or None and why a value cannot be read."""
        names = batch.schema.names
        columns = [self._cast(column, index) for index, column in enumerate(batch.columns)]
        values: list[list[Any]] = []
        problems: dict[int, str] = {}
        for name, column in zip(names, columns, strict=True):
            try:
                values.append(column.to_pylist())
            except Exception:  # OverflowError, ValueError, ArrowInvalid: one bad value
                values.append(_one_by_one(column, name, problems))
        for index, row in enumerate(zip(*values, strict=True)):
            if index in problems:
                yield None, problems[index]
            else:
                yield dict(zip(names, row, strict=True)), None

    def _cast(self, column: Any, index: int) -> Any:
        target = self._readable[index]
        if target == column.type:
            return column
        try:
            return column.cast(target, safe=False)
        except Exception:  # an Arrow build that cannot cast it: read it value by value
            return column

    def _readable_type(self, kind: Any, name: str) -> Any:
        """`kind` with nanoseconds as microseconds and unknown time zones as UTC."""
        types = self._pa.types
        if types.is_timestamp(kind):
            zone = kind.tz
            if zone is not None and not _known_zone(zone):
                self.warnings.append(
                    f"column {name!r}: unknown time zone {zone!r}; its times are read as UTC"
                )
                zone = "UTC"
            unit = "us" if kind.unit == "ns" else kind.unit
            return self._pa.timestamp(unit, tz=zone)
        if types.is_time64(kind) and kind.unit == "ns":
            return self._pa.time64("us")
        if types.is_duration(kind) and kind.unit == "ns":
            return self._pa.duration("us")
        if types.is_list(kind) or types.is_large_list(kind):
            item = self._readable_type(kind.value_type, name)
            return (self._pa.list_ if types.is_list(kind) else self._pa.large_list)(item)
        if types.is_struct(kind):
            fields = [kind.field(i) for i in range(kind.num_fields)]
            return self._pa.struct(
                [f.with_type(self._readable_type(f.type, f"{name}.{f.name}")) for f in fields]
            )
        return kind


def _known_zone(zone: str) -> bool:
    if _OFFSET.fullmatch(zone):
        return True
    try:
        zoneinfo.ZoneInfo(zone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return False
    return True


def _one_by_one(column: Any, name: str, problems: dict[int, str]) -> list[Any]:
    """A column's values one at a time; a value Python cannot hold is None, and its
    record's number goes into `problems` with the reason."""
    values: list[Any] = []
    for index in range(len(column)):
        try:
            values.append(column[index].as_py())
        except Exception as error:
            values.append(None)
            reason = str(error).split(". ")[0].rstrip(".")
            problems.setdefault(
                index, f"column {name!r} holds a value Python cannot read ({column.type}: {reason})"
            )
    return values
