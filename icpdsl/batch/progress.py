"""A one-line progress bar on a terminal: rows, rows/s and, when the size is known, ETA."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

#: Nothing is drawn for runs shorter than this (seconds).
DELAY = 0.5
_EVERY = 0.1  # redraw at most this often
_BAR = 24


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Call `tick(rows)` per row; `finish()` wipes the line.  Draws only when enabled."""

    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool,
        total: int | None = None,
        position: Callable[[], int] = lambda: 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self.enabled = enabled
        self._total = total or None
        self._position = position
        self._clock = clock
        self._start = clock()
        self._next = self._start + DELAY
        self._drawn = False

    def tick(self, rows: int) -> None:
        if not self.enabled or rows & 255:
            return
        now = self._clock()
        if now < self._next:
            return
        self._next = now + _EVERY
        self._stream.write("\r" + self.line(rows, now - self._start) + "\033[K")
        self._stream.flush()
        self._drawn = True

    def line(self, rows: int, elapsed: float) -> str:
        """`[██████░░░░░░] 45%  450,000 rows  152,300 rows/s  ETA 0:04`."""
        rate = rows / elapsed if elapsed > 0 else 0.0
        text = f"{rows:,} rows  {rate:,.0f} rows/s"
        if self._total is None:
            return text
        done = min(1.0, self._position() / self._total)
        filled = int(done * _BAR)
        bar = "█" * filled + "░" * (_BAR - filled)
        eta = elapsed * (1 - done) / done if done > 0 else 0.0
        return f"[{bar}] {done:4.0%}  {text}  ETA {_duration(eta)}"

    def finish(self) -> None:
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._drawn = False
