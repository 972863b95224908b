"""Today's local date for the default `as_of`, re-read only when the day may have changed.

`datetime.date.today()` asks the C library for the local time zone on every call, which
costs more than scoring one account on the compiled path; the day changes only at
local midnight (or when the clock is set back).
"""

from __future__ import annotations

import datetime
import time


class _Today:
    __slots__ = ("day", "end", "start")

    def __init__(self) -> None:
        self.day = datetime.date.min
        self.start = self.end = 0.0  # seconds since the epoch: the day's local bounds

    def __call__(self) -> datetime.date:
        now = time.time()
        if not self.start <= now < self.end:
            day = datetime.date.today()
            midnight = datetime.datetime.combine(day, datetime.time())
            self.start = midnight.timestamp()
            self.end = (midnight + datetime.timedelta(days=1)).timestamp()
            self.day = day
        return self.day


#: `today()`: the local date now, as `datetime.date.today()` gives it.
today = _Today()
