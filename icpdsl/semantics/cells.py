"""How a cell becomes a value: numbers, money, percents, dates, booleans, text keys, list
items and missing data — decided here once for every engine.

A cell is what an account record holds for a field: a Python value (int, float, date,
bool, list, ...) or, from a CSV export, text.  The reference evaluator and the compiled
code call these functions; the SQL and Polars generators take the constants below
(number syntax, true/false words, separators) so that `"$12.5M"`, `"1,200"` and
`"3.6e-05"` mean the same number in every engine.  Every function here runs in time
linear in the length of its text (tests/security/test_hostile_data.py).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import math
import re
from typing import Any, Final

# ------------------------------------------------------------------ number syntax

#: Multipliers of the suffixes a number may carry (`50k`, `$12.5M`, `2bn`), by lower case.
SUFFIXES: Final = {
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
}
#: Currency signs a number may start with.
CURRENCY_SIGNS: Final = "$€£"
#: ISO codes a `money` field may carry before or after the amount (`USD 1,200`).
CURRENCY_CODES: Final = frozenset({"USD", "EUR", "GBP", "CAD", "AUD"})
#: Digits read as an int; longer runs are read as a float (int() refuses 4,300).
MAX_DIGITS: Final = 4_000


def number_pattern(possessive: bool) -> str:
    """The syntax of a number cell as a regular expression, anchored at both ends.

    Groups: `sign`, `cur` (currency sign), `digits` (`1,200`, `1_000`, `12.5`, `.5`),
    `exp` (scientific notation: `e-05`), `suffix` (k, M, B, mn, bn) and `pct` (`%`).
    White space may surround the sign, the currency sign, the suffix and the percent.
    `possessive` quantifiers (Python's `*+`) make a failing match linear in Python's
    backtracking engine; RE2 and Rust's regex (DuckDB, Polars) are linear without them
    and do not accept the syntax, so column engines take `possessive=False`.
    """
    plus = "+" if possessive else ""
    space = rf"\s*{plus}"
    digits = rf"(?:\d{{1,3}}(?:,\d{{3}})+{plus}|\d[\d_]*{plus})(?:\.\d+{plus})?|\.\d+{plus}"
    return (
        rf"^{space}(?P<sign>[-+])?{space}(?P<cur>[{CURRENCY_SIGNS}])?{space}"
        rf"(?P<digits>{digits})(?P<exp>[eE][-+]?\d{{1,4}})?"
        rf"{space}(?P<suffix>k|K|m|M|mn|b|B|bn)?{space}(?P<pct>%)?{space}$"
    )


_NUMBER_RE = re.compile(number_pattern(possessive=True))


def number_syntax(text: str) -> re.Match[str] | None:
    """How a number is written: the groups of `number_pattern`, or None for no number."""
    return _NUMBER_RE.match(text)


def parse_number(text: str) -> int | float | None:
    """`1,200` → 1200, `$12.5M` → 12500000, `30%` → 0.3, `1_000` → 1000, `3.6e-05` →
    0.000036; None for anything else.  A number too large for a float is infinite."""
    match = _NUMBER_RE.match(text)
    if match is None:
        return None
    digits = match["digits"].replace(",", "").replace("_", "")
    exponent = match["exp"]
    number: int | float
    if exponent or "." in digits or len(digits) > MAX_DIGITS:
        number = float(digits + (exponent or ""))
    else:
        number = int(digits)
    suffix = match["suffix"]
    if suffix:
        multiplier = SUFFIXES[suffix.lower()]
        scaled = "." in digits and not exponent and len(digits) <= MAX_DIGITS
        number = _scaled(digits, multiplier) if scaled else number * multiplier
    if match["pct"]:
        number = number / 100 if isinstance(number, float) else _int_percent(number)
    if match["sign"] == "-":
        number = -number
    return tidy_number(number)


def _scaled(digits: str, multiplier: int) -> int | float:
    """`32.035` × 1,000 exactly: 32035, not the float product 32034.999999999996."""
    whole, _, fraction = digits.partition(".")
    numerator = int(whole + fraction or "0") * multiplier
    denominator: int = 10 ** len(fraction)
    if numerator % denominator == 0:
        return numerator // denominator
    return numerator / denominator  # one correctly rounded division


def _int_percent(number: int) -> int | float:
    try:
        return number / 100
    except OverflowError:  # an integer too large for any float: 10**400%
        return math.inf


def tidy_number(number: int | float) -> int | float:
    """Whole floats become ints so `1.5B` is 1500000000, not 1500000000.0."""
    whole = isinstance(number, float) and math.isfinite(number) and number.is_integer()
    return int(number) if whole and abs(number) < 2**63 else number


def is_number(value: object) -> bool:
    """A real number (bool is not a number here, NaN is missing, not a number)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_accounting(text: str) -> int | float | None:
    """A number as finance writes it: also `(1,200)` for -1200."""
    text = text.strip()
    number = parse_number(text)
    if number is None and text.startswith("(") and text.endswith(")"):
        inner = parse_number(text[1:-1])
        number = -inner if inner is not None else None
    return number


def without_currency_code(text: str) -> str:
    """`USD 1,200` and `1,200 usd` → `1,200`.  String slicing, not a regular expression:
    `\\s*(?:USD|...)\\s*$` backtracks quadratically over a long run of spaces."""
    text = text.strip()
    if text[:3].upper() in CURRENCY_CODES:
        text = text[3:].lstrip()
    if text[-3:].upper() in CURRENCY_CODES:
        text = text[:-3].rstrip()
    return text


# ------------------------------------------------------------------ dates
# A date cell is read by one rule for its whole column: ISO text and a bare year always;
# the other forms by the field's declared format (`founded: date "DD.MM.YYYY"`) or, when
# none is declared, by DEFAULT_DATE_FORMATS, where each form has one reading.  A cell is
# never read one way or the other by its value (`01.03.2015` and `31.12.2015` are both
# day first); a cell the rule does not read is not a date.

#: An ISO date, optionally with a time part (`2020-01-31T10:20:30Z`).
ISO_DATE_PATTERN: Final = r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$"
_ISO_DATE_RE = re.compile(ISO_DATE_PATTERN)
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")
#: Whole numbers read as a founding year where a date is expected.
YEARS: Final = range(1000, 10_000)
#: A time of day after a date (`01.03.2015 10:00`, `3/1/2015 12:00:00 AM`): read, ignored.
_TIME = (
    r"(?:T|\s++)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*+[AaPp][Mm])?(?:Z|\s*+[+-]\d{2}:?\d{2})?"
)
#: Month names a format's `MMM` reads, in English, by their lower case.
MONTH_NAMES: Final = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
#: The parts of a date format, longest first: what each reads and its regular expression.
_DATE_PARTS: Final = (
    ("YYYY", "year", r"(\d{4})"),
    ("MMMM", "month name", r"([A-Za-z]{3,9})\.?"),
    ("MMM", "month name", r"([A-Za-z]{3,9})\.?"),
    ("YY", "two-digit year", r"(\d{2})"),
    ("MM", "month", r"(\d{1,2})"),
    ("DD", "day", r"(\d{1,2})"),
    ("M", "month", r"(\d{1,2})"),
    ("D", "day", r"(\d{1,2})"),
)
#: Characters that separate a format's parts.
DATE_SEPARATORS: Final = " -./,"
#: strftime's codes, as a format writes them (a hint for `%d.%m.%Y`).
_STRFTIME: Final = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY", "%b": "MMM", "%B": "MMMM"}


class DateFormatError(ValueError):
    """A date format that cannot be read; `start`/`end` locate the problem in it and `fix`
    is a format that says what it most likely meant."""

    def __init__(self, message: str, start: int, end: int, fix: str | None = None) -> None:
        super().__init__(message)
        self.message, self.start, self.end, self.fix = message, start, end, fix


class DateFormat:
    """How a column writes its dates (`DD.MM.YYYY`, `MM/DD/YY`, `D MMM YYYY`): read one
    way only.  Made by `date_format`; compared and hashed by its text."""

    __slots__ = ("_pattern", "_roles", "text")

    def __init__(self, text: str, pattern: str, roles: tuple[str, ...]) -> None:
        self.text = text
        self._pattern = re.compile(pattern)
        self._roles = roles

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateFormat) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"DateFormat({self.text!r})"

    @property
    def is_iso(self) -> bool:
        """Whether it is YYYY-MM-DD, which every engine reads."""
        return self.text == "YYYY-MM-DD"

    def read(self, text: str) -> datetime.date | None:
        """The date `text` writes in this format, or None."""
        match = self._pattern.match(text)
        if match is None:
            return None
        year = month = None
        day = 1
        for role, value in zip(self._roles, match.groups(), strict=True):
            if role == "year":
                year = int(value)
            elif role == "two-digit year":  # POSIX's pivot: 69-99 are 1900s, 00-68 2000s
                year = int(value) + (1900 if int(value) >= 69 else 2000)
            elif role == "month name":
                month = MONTH_NAMES.get(value.lower())
            elif role == "month":
                month = int(value)
            else:
                day = int(value)
        if year is None or month is None:
            return None
        return _date(year, month, day)


def date_format(text: str) -> DateFormat:
    """A declared format (`DD.MM.YYYY`; the parts YYYY, YY, MM, M, DD, D, MMM or MMMM for
    a month's name, any case, between the separators of DATE_SEPARATORS); raises
    DateFormatError naming the part that is wrong."""
    if "%" in text:
        fix = text
        for code, part in _STRFTIME.items():
            fix = fix.replace(code, part)
        start = text.index("%")
        raise DateFormatError(
            f"{text[start : start + 2]!r} is strftime's; write the format with YYYY, MM, DD",
            start,
            start + 2,
            fix if "%" not in fix else None,
        )
    pieces: list[tuple[str, str, int]] = []  # (part or separator, its role, where)
    index = 0
    upper = text.upper()
    while index < len(text):
        found = next((p for p in _DATE_PARTS if upper.startswith(p[0], index)), None)
        if found is not None:
            pieces.append((found[0], found[1], index))
            index += len(found[0])
        elif text[index] in DATE_SEPARATORS:
            pieces.append((text[index], "separator", index))
            index += 1
        else:
            raise DateFormatError(f"{text[index]!r} is not part of a date format", index, index + 1)
    return _built(text, pieces)


def _built(text: str, pieces: list[tuple[str, str, int]]) -> DateFormat:
    """The DateFormat of checked pieces: a year and a month, each part once."""
    seen: dict[str, int] = {}
    for part, role, where in pieces:
        kind = role.split()[-1]  # year, month, name → month, day
        kind = "month" if kind == "name" else kind
        if role != "separator" and kind in seen:
            raise DateFormatError(f"the format gives the {kind} twice", where, where + len(part))
        seen[kind] = where
    for needed, parts in (("year", "YYYY or YY"), ("month", "MM or MMM")):
        if needed not in seen:
            raise DateFormatError(f"a date format needs a {needed} ({parts})", 0, len(text))
    pattern = []
    roles: list[str] = []
    for number, (part, role, _) in enumerate(pieces):
        if role == "separator":  # a space is any white space; after a comma, optional
            after_comma = number > 0 and pieces[number - 1][0] == ","
            pattern.append(
                (r"\s*+" if after_comma else r"\s++") if part == " " else re.escape(part)
            )
            continue
        expression = next(p[2] for p in _DATE_PARTS if p[0] == part)
        glued = any(
            0 <= n < len(pieces) and pieces[n][1] != "separator" for n in (number - 1, number + 1)
        )
        if glued and role in ("month", "day"):  # YYYYMMDD: two digits each, or it is ambiguous
            expression = r"(\d{2})"
        pattern.append(expression)
        roles.append(role)
    regex = r"^\s*+" + "".join(pattern) + f"(?:{_TIME})?" + r"\s*+$"
    return DateFormat(text.upper(), regex, tuple(roles))


#: How a `date` field reads a cell when no format is declared, besides ISO text and a year:
#: each form has one reading, by its separator, and no other form can match it.
DEFAULT_DATE_FORMATS: Final = tuple(
    date_format(f) for f in ("YYYY/MM/DD", "YYYY.MM.DD", "MM/DD/YYYY", "DD.MM.YYYY")
)
#: Formats a column may be written in, most common first, for hints: a cell that the rule
#: does not read is tried against these to say which format to declare.
LIKELY_DATE_FORMATS: Final = tuple(
    date_format(f)
    for f in (
        "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "MM.DD.YYYY", "DD-MM-YYYY", "MM-DD-YYYY",
        "YYYY/MM/DD", "YYYY.MM.DD", "YYYYMMDD", "MM/DD/YY", "DD/MM/YY", "DD.MM.YY",
        "DD-MM-YY", "MM-DD-YY", "D MMM YYYY", "MMM D, YYYY", "MMM YYYY",
    )
)  # fmt: skip


def parse_date(text: str) -> datetime.date | None:
    """An ISO date (`2020-01-31`, also with a time part) or None."""
    match = _ISO_DATE_RE.match(text)
    if match is None:
        return None
    return _date(int(match[1]), int(match[2]), int(match[3]))


def parse_field_date(text: str, form: DateFormat | None = None) -> datetime.date | None:
    """A date as a declared `date` field reads it: ISO, a year (`2015` → 1 January), or
    the declared `form` (without one, DEFAULT_DATE_FORMATS: `2020/01/31`, US
    `01/31/2020`, European `31.01.2020`)."""
    if match := _YEAR_RE.match(text):
        return datetime.date(int(match[1]), 1, 1)
    iso = parse_date(text)
    if iso is not None:
        return iso
    for each in (form,) if form is not None else DEFAULT_DATE_FORMATS:
        day = each.read(text)
        if day is not None:
            return day
    return None


def date_rule(form: DateFormat | None, shape: str = "") -> str:
    """The forms a date field reads (`YYYY-MM-DD, ... or DD.MM.YYYY`); with `shape` (a
    cell, or a format), only those written with its separators when there are some."""
    if form is not None:
        return form.text
    forms = ["YYYY-MM-DD", *(f.text for f in DEFAULT_DATE_FORMATS)]
    marks = set(shape) & set(DATE_SEPARATORS)
    forms = [f for f in forms if set(f) & set(DATE_SEPARATORS) == marks] or forms
    return forms[0] if len(forms) == 1 else ", ".join(forms[:-1]) + " or " + forms[-1]


def likely_date_format(text: str, form: DateFormat | None = None) -> DateFormat | None:
    """The most likely format of a cell the rule for `form` does not read, or None."""
    if parse_field_date(text, form) is not None:
        return None
    return next((f for f in LIKELY_DATE_FORMATS if f.read(text) is not None), None)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def as_date(value: Any) -> datetime.date | None:
    """A date, datetime, ISO text or founding year as a date; else None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in YEARS:
        return datetime.date(value, 1, 1)
    return None


# ------------------------------------------------------------------ booleans

#: Words an untyped cell reads as true or false.  "NO" stays text: it is Norway's
#: country code far more often than a boolean.
TRUE_WORDS: Final = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES"})
FALSE_WORDS: Final = frozenset({"false", "False", "FALSE", "no", "No"})
#: Words (compared in lower case) a declared `bool` field also reads as true or false.
FIELD_TRUE_WORDS: Final = frozenset({"true", "yes", "y", "t", "1", "on", "x"})
FIELD_FALSE_WORDS: Final = frozenset({"false", "no", "n", "f", "0", "off"})


def parse_bool(text: str) -> bool | None:
    """`true`/`yes` and `false`/`no` as people write them; else None."""
    stripped = text.strip()
    if stripped in TRUE_WORDS:
        return True
    if stripped in FALSE_WORDS:
        return False
    return None


def parse_field_bool(text: str) -> bool | None:
    """A declared `bool` field's cell: also `y`, `1`, `on`, `x` and their opposites."""
    word = text.strip().casefold()
    if word in FIELD_TRUE_WORDS:
        return True
    if word in FIELD_FALSE_WORDS:
        return False
    return parse_bool(text)


def as_bool(value: Any) -> bool | None:
    """A bool, 0/1 or a true/false word as a bool; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return parse_bool(value)
    return None


# ------------------------------------------------------------------ numbers of values


def as_number(value: Any) -> int | float | None:
    """A number, number text (`"1,200"`, `"$12M"`) or Decimal as a number; else None."""
    if is_number(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, decimal.Decimal):
        return tidy_number(float(value)) if value.is_finite() else None
    return None


# ------------------------------------------------------------------ text and items

#: The white space text keys ignore at either end: what Python's `str.strip()` removes
#: (Unicode White_Space and the ASCII separators \x1c-\x1f).  Column engines trim these
#: characters, not their own idea of white space (SQL's TRIM removes spaces only).
WHITESPACE: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: WHITESPACE as a regular expression's character class (no character in it is special).
WHITESPACE_CLASS: Final = f"[{WHITESPACE}]"

#: Characters that separate the items of a list cell (`AWS; Okta | Slack`).
ITEM_SEPARATORS: Final = ";,|"
#: A declared set or list field's cells also split at line breaks.
LINE_SEPARATORS: Final = ";,|\n"


def text_key(text: str) -> str:
    """How text compares: case-insensitive, surrounding white space ignored."""
    return text.strip().casefold()


def split_items(text: str, separators: str = ITEM_SEPARATORS) -> list[str]:
    """`AWS; Okta | Slack` → ['AWS', 'Okta', 'Slack']: split on any separator, trim each
    item, drop empty ones.  Linear time on any cell (a regex like `\\s*[;,|]\\s*` is not)."""
    pieces = text.translate(_one_separator(separators)).split(separators[0])
    return [item for item in (piece.strip() for piece in pieces) if item]


@functools.cache
def _one_separator(separators: str) -> dict[int, str]:
    """A translation table making every separator the first: one `split` then splits."""
    return {ord(separator): separators[0] for separator in separators[1:]}


def as_items(value: Any) -> list[Any] | None:
    """A list-like value's items; a text cell `Salesforce; Slack` is split."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, str):
        return split_items(value)
    return None


# ------------------------------------------------------------------ untyped cells

_LEADING_ZERO = re.compile(r"^0\d")


def infer_cell(text: str) -> Any:
    """Type a raw text cell as a user expects without a schema.

    Empty → None (missing); numbers and money → int/float; booleans; ISO dates;
    anything else stays the text it was.  Digits with a leading zero (`02139`, `007`)
    are codes — ZIPs, SIC codes, ids — and stay text so the zero is not lost.
    """
    if text.isdigit() and text.isascii() and len(text) <= MAX_DIGITS:  # `1200`: most cells
        return text if text[0] == "0" and len(text) > 1 else int(text)
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


# ------------------------------------------------------------------ declared types
# How a `fields` block's scalar types read a cell (icpdsl/schema.py maps each type name
# to one of these); None means the cell is not of that type.


def read_number(raw: Any) -> int | float | None:
    """A `number` field: numbers, number text (also `(1,200)`) and finite Decimals."""
    if isinstance(raw, bool):
        return None
    if is_number(raw):
        return None if isinstance(raw, float) and not math.isfinite(raw) else tidy_number(raw)
    if isinstance(raw, decimal.Decimal):
        return tidy_number(float(raw)) if raw.is_finite() else None
    if isinstance(raw, str):
        return parse_accounting(raw)
    return None


def read_int(raw: Any) -> int | None:
    """An `int` field: a number without a fractional part."""
    number = read_number(raw)
    if number is None or (isinstance(number, float) and not number.is_integer()):
        return None
    return int(number)


def read_money(raw: Any) -> int | float | None:
    """A `money` field: a number, also with a currency code (`USD 1,200`)."""
    return read_number(without_currency_code(raw) if isinstance(raw, str) else raw)


def read_percent(raw: Any) -> int | float | None:
    """A `percent` field: `30%` is 0.3, and a bare 0.3 is already a fraction."""
    return read_number(raw)


def read_text(raw: Any) -> str | None:
    """A `string` field: text trimmed; numbers, true/false, dates and enums as text."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if is_number(raw) or isinstance(raw, decimal.Decimal):
        return str(tidy_number(raw) if isinstance(raw, float) else raw)
    if isinstance(raw, enum.Enum):
        return str(raw.value)
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return None


def read_bool(raw: Any) -> bool | None:
    """A `bool` field: true/false, 0/1 and the words of FIELD_TRUE_WORDS/FALSE_WORDS."""
    if isinstance(raw, bool):
        return raw
    if is_number(raw) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        return parse_field_bool(raw)
    return None


def read_date(raw: Any, form: DateFormat | None = None) -> datetime.date | None:
    """A `date` field: dates, datetimes, founding years and the forms of parse_field_date
    (with a declared `form`, a whole number is read as text in it: `20150301`)."""
    if isinstance(raw, str):
        return parse_field_date(raw, form)
    if form is not None and isinstance(raw, int) and not isinstance(raw, bool):
        return parse_field_date(str(raw), form)
    return as_date(raw)
