"""Account files → typed records, one Row per input record, errors kept as rows."""

from __future__ import annotations

import csv

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from ..errors import ICPLoadError
from ..values import infer_cell


@attrs.frozen
class Row:
    """One input record (or the error that stopped it from being read), numbered from 1."""

    number: int
    record: dict[str, Any] | None
    error: str | None = None


def read_records(path: str | Path) -> Iterator[Row]:
    """Rows of a CSV file, cells typed as a user expects (numbers, booleans, dates)."""
    file = Path(path)
    try:
        handle = file.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ICPLoadError(f"cannot read {path}: {error.strerror}", filename=str(path)) from None
    with handle:
        try:
            sample = handle.read(64 * 1024)
        except UnicodeDecodeError as error:
            raise ICPLoadError(
                f"{path} is not UTF-8 text (byte {error.start}); re-save it as UTF-8",
                filename=str(path),
            ) from None
        handle.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        yield from _rows(csv.reader(handle, dialect), str(path))


def _rows(reader: Iterator[list[str]], filename: str) -> Iterator[Row]:
    header = next(reader, None)
    if header is None:
        return
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            number += 1
            yield Row(number, None, f"unreadable row: {error}")
            continue
        number += 1
        if len(cells) != len(header):
            yield Row(number, None, f"expected {len(header)} cells, found {len(cells)}")
            continue
        yield Row(number, {name: infer_cell(cell) for name, cell in zip(header, cells)})


__all__ = ["Row", "read_records"]
