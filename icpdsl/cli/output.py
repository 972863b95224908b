"""Where a command writes: stdout, or a file that appears whole, written through nothing.

`-o PATH` takes a regular file or a new path.  A symbolic link, a folder, a FIFO, a
device or a socket is refused before anything is written (`-o /dev/full` must not
replace the device, a link must not carry the output elsewhere).  The text goes to a
temporary file beside PATH, which replaces PATH when the command is done, with the mode
the old file had (a 0600 file stays 0600); on an error, Ctrl-C, SIGTERM or SIGHUP the
temporary file is removed and PATH is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from types import FrameType
from typing import TextIO

from ..errors import ICPError
from ..io.writers import UNENCODABLE

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)
#: Signals that end a command with the temporary file removed (SIGINT is KeyboardInterrupt).
_SIGNALS = (signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))


class Interrupted(BaseException):
    """A termination signal arrived; the command unwinds, cleaning up, and exits 128+N."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def prepare_stdout() -> None:
    """Let stdout write any text: what its encoding lacks becomes U+FFFD or `?`."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors=UNENCODABLE)


def refuse_unless_writable(path: str) -> os.stat_result | None:
    """The status of the regular file at `path`, or None for a new path; an ICPError for
    anything else (a link, a folder, a device, a FIFO, a socket, a missing folder)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise ICPError(f"cannot write {path}: there is no folder {folder}") from None
        return None
    except OSError as error:
        raise ICPError(f"cannot write {path}: {error.strerror}") from None
    if stat.S_ISREG(info.st_mode):
        return info
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
    raise ICPError(
        f"will not write to {path}: it is {kind}, not a regular file",
        hint="give a regular file or a new path (leave out -o to write to stdout)",
    )


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[TextIO]:
    """stdout (for None or `-`), or `atomic_file(path)`."""
    if path is None or path == "-":
        yield sys.stdout
        return
    with atomic_file(path) as stream:
        yield stream


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[TextIO]:
    """A UTF-8 text stream that becomes the file `path` when the block ends normally."""
    existing = refuse_unless_writable(path)
    folder, name = os.path.split(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    except OSError as error:
        raise ICPError(f"cannot write {path}: {error.strerror}") from None
    with _cleanup_on_signals():
        try:
            with os.fdopen(handle, "w", encoding="utf-8", errors=UNENCODABLE, newline="") as out:
                yield out
            os.chmod(temporary, stat.S_IMODE(existing.st_mode) if existing else _new_file_mode())
            refuse_unless_writable(path)  # again, just before the move: nothing swapped in
            os.replace(temporary, path)  # replaces a name, never writes through a link
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def write_text(text: str, path: str | None) -> None:
    """`text` to the file `path` (see `atomic_file`), or to stdout."""
    with output_stream(path) as stream:
        stream.write(text)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Interrupted` inside the block, so it unwinds (and the
    temporary file is removed) instead of the process dying on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    previous = {n: handler for n, handler in previous.items() if handler != signal.SIG_IGN}
    for signum in previous:  # a signal ignored (nohup) stays ignored
        signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)
