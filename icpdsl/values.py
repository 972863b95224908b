"""Plain values: number and money literals, date parsing, and typing of raw text cells.

The language and the CSV reader share these rules so that `$12.5M` in a profile and
`"$12.5M"` in a CRM export mean the same number.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
from typing import Any

_SUFFIX = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000}
# Possessive `\s*+` and `[\d_]*+`: a cell of spaces (or digits) that is not a number fails
# in linear time instead of backtracking through every way to split it (ReDoS).
_NUMBER_RE = re.compile(
    r"""^\s*+(?P<sign>[-+])?\s*+(?P<cur>[$€£])?\s*+
    (?P<digits>(\d{1,3}(?:,\d{3})++|\d[\d_]*+)(\.\d++)?|\.\d++)
    \s*+(?P<suffix>k|K|m|M|mn|b|B|bn)?\s*+(?P<pct>%)?\s*+$""",
    re.VERBOSE,
)
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
# "NO" stays text: it is Norway's country code far more often than a boolean.
_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES"})
_FALSE = frozenset({"false", "False", "FALSE", "no", "No"})


def parse_number(text: str) -> int | float | None:
    """`1,200` → 1200, `$12.5M` → 12500000, `30%` → 0.3, `1_000` → 1000; else None."""
    match = _NUMBER_RE.match(text)
    if match is None:
        return None
    digits = match["digits"].replace(",", "").replace("_", "")
    if "." in digits or len(digits) > 4000:  # int() refuses over 4,300 digits
        number: int | float = float(digits)
    else:
        number = int(digits)
    suffix = match["suffix"]
    if suffix:
        number = number * _SUFFIX[suffix.lower()]
    if match["pct"]:
        try:
            number = number / 100
        except OverflowError:  # an integer too large for any float: 10**400%
            number = math.inf
    if match["sign"] == "-":
        number = -number
    return tidy_number(number)


def tidy_number(number: int | float) -> int | float:
    """Whole floats become ints so `1.5B` is 1500000000, not 1500000000.0."""
    whole = isinstance(number, float) and math.isfinite(number) and number.is_integer()
    return int(number) if whole and abs(number) < 2**63 else number


def parse_date(text: str) -> datetime.date | None:
    """An ISO date (`2020-01-31`, also with a time part) or None."""
    match = _DATE_RE.match(text)
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_bool(text: str) -> bool | None:
    """`true`/`yes` and `false`/`no` as people write them; else None."""
    stripped = text.strip()
    if stripped in _TRUE:
        return True
    if stripped in _FALSE:
        return False
    return None


_LEADING_ZERO = re.compile(r"^0\d")


def infer_cell(text: str) -> Any:
    """Type a raw text cell as a user expects without a schema.

    Empty → None (missing); numbers and money → int/float; booleans; ISO dates;
    anything else stays the text it was.  Digits with a leading zero (`02139`, `007`)
    are codes — ZIPs, SIC codes, ids — and stay text so the zero is not lost.
    """
    stripped = text.strip()
    if not stripped:
        return None
    boolean = parse_bool(stripped)
    if boolean is not None:
        return boolean
    if _LEADING_ZERO.match(stripped):
        return text
    number = parse_number(stripped)
    if number is not None:
        return number
    date = parse_date(stripped)
    if date is not None:
        return date
    return text


def split_items(text: str, separators: str = ";,|") -> list[str]:
    """`AWS; Okta | Slack` → ['AWS', 'Okta', 'Slack']: split on any separator, trim each
    item, drop empty ones.  Linear time on any cell (a regex like `\\s*[;,|]\\s*` is not)."""
    pieces = re.split(f"[{re.escape(separators)}]", text)
    return [item for item in (piece.strip() for piece in pieces) if item]


def normalize_text(value: str) -> str:
    """How strings compare: case-insensitive, surrounding white space ignored."""
    return value.strip().casefold()


def is_number(value: object) -> bool:
    """A real number (bool is not a number here, NaN is missing, not a number)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_missing(value: object) -> bool:
    """None, NaN (float or Decimal) and blank strings are missing data."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, decimal.Decimal) and value.is_nan():
        return True
    return isinstance(value, str) and not value.strip()
