"""The default `as_of`: today's local date, re-read when the day may have changed."""

from __future__ import annotations

import datetime
import time

from icpdsl.clock import _Today


def test_today_is_the_local_date_and_is_re_read_after_midnight_or_a_clock_set_back() -> None:
    today = _Today()
    assert today() == datetime.date.today()
    today.day, today.end = datetime.date.min, time.time() - 1  # the day has ended
    assert today() == datetime.date.today()
    today.day, today.start = datetime.date.min, time.time() + 3600  # the clock went back
    assert today() == datetime.date.today()
    assert today.start <= time.time() < today.end
