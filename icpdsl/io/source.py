"""Opening a data file (or stdin) as bytes, with its size and how far it has been read.

Reading can fail halfway: a `.gz` file cut short, a bad CRC, garbage after the data, a
disk error.  The stream raises `ICPLoadError` for each of these (never `EOFError`,
`zlib.error` or `OSError`), so every reader stops on one kind of error, with one line
that says what is wrong; the records read before it have been handed out already.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from ..errors import ICPLoadError

STDIN = "-"
_Result = TypeVar("_Result")


class DamagedInputError(ICPLoadError):
    """The input could not be read past some point: damaged compression, a read error.

    Raised while reading, after the records before the damage were handed out; commands
    write those, then stop with this one-line message and exit code 2.
    """


class GuardedStream(io.BufferedIOBase):
    """A binary stream whose read errors become `DamagedInputError` naming the file."""

    def __init__(self, name: str, stream: BinaryIO, compressed: bool) -> None:
        super().__init__()
        self._name = name
        self._stream = stream
        self._compressed = compressed

    def _guard(self, read: Callable[[], _Result]) -> _Result:
        try:
            return read()
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise self._damaged(error) from None
        except OSError as error:
            if isinstance(error, io.UnsupportedOperation):
                raise
            raise self._damaged(error) from None

    def _damaged(self, error: Exception) -> DamagedInputError:
        if isinstance(error, EOFError):
            reason = "the compressed data ends early (the file is cut short)"
        elif isinstance(error, gzip.BadGzipFile) and "Not a gzipped file" in str(error):
            reason = "there is data that is not gzip after the compressed data"
        else:
            detail = getattr(error, "strerror", None) or str(error)
            what = "the compressed data is damaged" if self._compressed else "read error"
            reason = f"{what} ({detail})"
        return DamagedInputError(f"cannot be read to the end: {reason}", filename=self._name)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._guard(lambda: self._stream.read(-1 if size is None else size))

    def read1(self, size: int = -1) -> bytes:
        return self._guard(lambda: self._stream.read1(size))  # type: ignore[attr-defined,no-any-return]

    def readinto(self, buffer: Any) -> int:
        return self._guard(lambda: self._stream.readinto(buffer))  # type: ignore[attr-defined,no-any-return]

    def readline(self, size: int | None = -1) -> bytes:
        return self._guard(lambda: self._stream.readline(-1 if size is None else size))

    def peek(self, size: int = 0) -> bytes:
        return self._guard(lambda: self._stream.peek(size))  # type: ignore[attr-defined,no-any-return]

    def seekable(self) -> bool:
        return self._stream.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._guard(lambda: self._stream.seek(offset, whence))

    def tell(self) -> int:
        return self._guard(self._stream.tell)

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            super().close()


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
        return DataSource("<stdin>", _guarded("<stdin>", given), given, None)
    file = Path(name)
    try:
        raw = file.open("rb")
        info = os.fstat(raw.fileno())
    except FileNotFoundError:
        raise ICPLoadError(f"no such file: {name}", filename=name) from None
    except IsADirectoryError:
        raise ICPLoadError(f"{name} is a folder, not a data file", filename=name) from None
    except OSError as error:
        raise ICPLoadError(f"cannot read {name}: {error.strerror}", filename=name) from None
    size = info.st_size if stat.S_ISREG(info.st_mode) else None
    if name.lower().endswith(".gz"):
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        return DataSource(name, _guarded(name, gz, compressed=True), raw, size)  # type: ignore[arg-type]
    return DataSource(name, _guarded(name, raw), raw, size)


def _guarded(name: str, stream: BinaryIO, *, compressed: bool = False) -> BinaryIO:
    return GuardedStream(name, stream, compressed)  # type: ignore[return-value]
