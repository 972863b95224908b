"""Whether a stream is a terminal or a pipe, and whether to colour it (`--color`, NO_COLOR)."""

from __future__ import annotations

import os
import stat
from typing import TextIO


def stream_is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def stream_is_pipe(stream: TextIO) -> bool:
    """Whether `stream` feeds another program (`icp eval ... | head`)."""
    try:
        return stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):
        return False


def colour_enabled(choice: str, stream: TextIO) -> bool:
    """`always`, `never`, or `auto`: a terminal, NO_COLOR unset or empty, TERM not dumb."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream_is_terminal(stream)
