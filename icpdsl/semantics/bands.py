"""Size and revenue bands: `250 to 499`, `51-200`, `10,001+`, `Less than 250`, `$1M-$10M`.

Company registers and enrichment tools (the UK pay-gap register, LinkedIn, Apollo,
ZoomInfo) give headcount and revenue as ranges, not numbers.  A rule on a number decides
a band when the whole band is on one side of it: `250 to 499` passes `employees 200..1000`,
`5000 to 19,999` fails it, and `1000 to 4999` is unknown (some of it fits, some not).
"""

from __future__ import annotations

import functools
import re

import attrs

from .cells import CURRENCY_SIGNS, SUFFIXES, parse_number

#: Longer text is never a band (and a regular expression never sees it).
MAX_BAND_TEXT = 64
_SUFFIX = "|".join(sorted(SUFFIXES, key=len, reverse=True))  # `mn` before `m`
_AMOUNT = rf"[{CURRENCY_SIGNS}]?\s*+[\d.,_]++(?:\s*+(?:{_SUFFIX})(?![a-z]))?"
_UNITS = r"(?:\s++(?:employees?|people|persons|staff|workers))?"
#: The ways a band is written, compiled on first use (importing icpdsl stays quick).
_FORMS = {
    "between": rf"^(?:between\s++)?(?P<low>{_AMOUNT})\s*+(?:-|–|—|to|and)\s*+(?P<high>{_AMOUNT})",
    "at least": rf"^(?P<low>{_AMOUNT})\s*+(?:\+|or more|or over|and over|and above|and up)",
    "above": rf"^(?:more than|over|greater than|above)\s++(?P<low>{_AMOUNT})",
    "below": rf"^(?:less than|fewer than|under|below)\s++(?P<high>{_AMOUNT})",
    "up to": rf"^(?:up to|at most)\s++(?P<high>{_AMOUNT})",
}


@functools.cache
def _form(name: str) -> re.Pattern[str]:
    return re.compile(_FORMS[name] + _UNITS + "$", re.IGNORECASE)


@attrs.frozen
class Band:
    """A range of counts or amounts given as text, never below 0; a `None` high is open."""

    low: int | float
    high: int | float | None
    #: `More than 250`: 250 itself is not in the band (likewise `Less than 250`).
    low_open: bool = False
    high_open: bool = False
    text: str = ""

    def __str__(self) -> str:
        return self.text


def parse_band(text: str) -> Band | None:
    """The band `text` writes, or None when it is not one (a plain number is not a band)."""
    stripped = text.strip()
    if len(stripped) > MAX_BAND_TEXT or parse_number(stripped) is not None:
        return None
    if match := _form("between").match(stripped):
        low, high = _amount(match["low"]), _amount(match["high"])
        if low is None or high is None or low > high:
            return None
        return Band(low, high, text=stripped)
    if match := _form("at least").match(stripped):
        low = _amount(match["low"])
        return None if low is None else Band(low, None, text=stripped)
    if match := _form("above").match(stripped):
        low = _amount(match["low"])
        return None if low is None else Band(low, None, low_open=True, text=stripped)
    if match := _form("below").match(stripped):
        high = _amount(match["high"])
        return None if high is None else Band(0, high, high_open=True, text=stripped)
    if match := _form("up to").match(stripped):
        high = _amount(match["high"])
        return None if high is None else Band(0, high, text=stripped)
    return None


def _amount(text: str) -> int | float | None:
    number = parse_number(text)
    return number if number is not None and number >= 0 else None


@attrs.frozen
class Interval:
    """The numbers a rule accepts: `200..1000`, `> 5M`; `None` ends are unbounded."""

    low: int | float | None
    high: int | float | None
    low_open: bool = False
    high_open: bool = False


def within(band: Band, interval: Interval) -> bool:
    """Every number of `band` is in `interval`."""
    low_ok = interval.low is None or (
        band.low > interval.low
        or (band.low == interval.low and (band.low_open or not interval.low_open))
    )
    high_ok = interval.high is None or (
        band.high is not None
        and (
            band.high < interval.high
            or (band.high == interval.high and (band.high_open or not interval.high_open))
        )
    )
    return low_ok and high_ok


def below(band: Band, interval: Interval) -> bool:
    """Every number of `band` is below `interval` (none reaches it)."""
    if interval.low is None or band.high is None:
        return False
    return band.high < interval.low or (
        band.high == interval.low and (band.high_open or interval.low_open)
    )


def above(band: Band, interval: Interval) -> bool:
    """Every number of `band` is above `interval`."""
    if interval.high is None:
        return False
    return band.low > interval.high or (
        band.low == interval.high and (band.low_open or interval.high_open)
    )


def empty(interval: Interval) -> bool:
    """No number is in `interval` (`500..200`): every band is outside it."""
    if interval.low is None or interval.high is None:
        return False
    return interval.low > interval.high or (
        interval.low == interval.high and (interval.low_open or interval.high_open)
    )


def judge(band: Band, interval: Interval) -> bool | None:
    """True when every number of `band` is in `interval`, False when none is, else None."""
    if within(band, interval):
        return True
    if empty(interval) or below(band, interval) or above(band, interval):
        return False
    return None
