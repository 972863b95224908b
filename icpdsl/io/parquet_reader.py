"""Parquet → Rows, batch by batch (needs the `parquet` extra: pyarrow)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

from ..errors import ICPLoadError, ICPMissingExtraError
from .rows import Row
from .source import DataSource

_BATCH = 8192


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ICPMissingExtraError("reading Parquet", "parquet") from None
    return pq


class ParquetReader:
    """Rows of a Parquet file; stdin is spooled to a temporary file (Parquet needs to seek)."""

    format = "parquet"
    empty = False

    def __init__(self, source: DataSource) -> None:
        pq = _pyarrow_parquet()
        self.source = source
        self.warnings: list[str] = []
        handle: Any = source.stream
        if source.is_stdin:
            handle = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the reader
            shutil.copyfileobj(source.stream, handle)
            handle.seek(0)
        try:
            self._file = pq.ParquetFile(handle)
        except Exception as error:  # pyarrow raises its own ArrowInvalid, OSError, ...
            raise ICPLoadError(f"not a Parquet file: {error}", filename=source.name) from None
        self.columns: list[str] | None = list(self._file.schema_arrow.names)

    def __iter__(self) -> Iterator[Row]:
        number = 0
        try:
            for batch in self._file.iter_batches(batch_size=_BATCH):
                for record in batch.to_pylist():
                    number += 1
                    yield Row(number, record, None, None)
        except (OSError, ValueError) as error:  # pyarrow's ArrowIOError, ArrowInvalid
            raise ICPLoadError(
                f"the Parquet file is damaged after row {number}: {error}",
                filename=self.source.name,
            ) from None
