"""Opening a data file (or stdin) as bytes, with its size and how far it has been read."""

from __future__ import annotations

import gzip
import io
import os
import sys
from pathlib import Path
from typing import BinaryIO

from ..errors import ICPLoadError

STDIN = "-"


class DataSource:
    """A data file or stdin as a peekable byte stream; `position` drives progress bars."""

    def __init__(self, name: str, stream: BinaryIO, raw: BinaryIO, size: int | None) -> None:
        self.name = name
        self.stream = stream
        self._raw = raw
        #: Bytes in the file (compressed size for `.gz`); None for stdin and pipes.
        self.size = size

    @property
    def is_stdin(self) -> bool:
        return self.name == "<stdin>"

    def head(self, count: int = 64) -> bytes:
        """The first bytes, without consuming them."""
        peek = getattr(self.stream, "peek", None)
        return bytes(peek(count)[:count]) if peek is not None else b""

    def position(self) -> int:
        """Bytes of the underlying file read so far (an estimate: buffers read ahead)."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        if not self.is_stdin:
            self.stream.close()
            self._raw.close()


def open_source(path: str | os.PathLike[str], stdin: BinaryIO | None = None) -> DataSource:
    """Open `path` for reading (`-` is stdin); `.gz` files are decompressed on the fly."""
    name = os.fspath(path)
    if name == STDIN:
        given: BinaryIO = stdin if stdin is not None else sys.stdin.buffer
        if not hasattr(given, "peek"):
            given = io.BufferedReader(given)  # type: ignore[type-var]
        return DataSource("<stdin>", given, given, None)
    file = Path(name)
    try:
        raw = file.open("rb")
        size = os.fstat(raw.fileno()).st_size
    except FileNotFoundError:
        raise ICPLoadError(f"no such file: {name}", filename=name) from None
    except IsADirectoryError:
        raise ICPLoadError(f"{name} is a folder, not a data file", filename=name) from None
    except OSError as error:
        raise ICPLoadError(f"cannot read {name}: {error.strerror}", filename=name) from None
    if name.lower().endswith(".gz"):
        return DataSource(name, gzip.GzipFile(fileobj=raw, mode="rb"), raw, size)  # type: ignore[arg-type]
    return DataSource(name, raw, raw, size)
