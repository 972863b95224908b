"""How a value is shown in explanations: `1,200`, `2020-01-31`, `true`, `missing`.

Reasons quote the values an account had; every engine that writes a reason shows a
value this way, so explanations read the same whichever engine produced them.
"""

from __future__ import annotations

import datetime
import functools
import math
from typing import Any

from ..source import escape
from .bands import Band
from .cells import number_syntax
from .missing import MISSING

#: The suffixes a number is shown with when its rule's literal has one, largest first.
_SCALES = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k"))
#: Decimals a scaled or percent number may show (`$2.125M`, `12.5%`).
_DECIMALS = 3
#: Digits a number with a suffix and decimals may show (`$2.125M`; else `$32,337`).
_SUFFIX_DIGITS = 4


def format_value(value: Any) -> str:
    """A record value as explanations show it."""
    if value is MISSING or value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}" if value.bit_length() < 100 else huge_int(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.6g}" if math.isfinite(value) else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value if value.isprintable() else escape(value)
    if isinstance(value, Band):
        return format_value(value.text)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=format_value) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(_item(v) for v in items) + "]"
    return safe_repr(value)


def _item(value: Any) -> str:
    """A list item: numbers without thousands separators, which would read as more items
    (`[85200, 85310]`, SIC codes, not `[85,200, 85,310]`)."""
    shown = format_value(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    return shown.replace(",", "") if numeric else shown


def format_like(value: Any, literal: str) -> str:
    """A number shown in the form its rule's literal is written in: `$2M` beside `$10M`,
    `35%` beside `20%`, `$2,000,000` beside `$20,000,000`, `2015` beside `2010` (a literal
    of four or more digits written without separators gets none); other values as
    `format_value` shows them.  A suffix is used only when the number shows exactly with
    it (`$2.1M`, but `$32,456,789`): a reason never rounds a value across a bound."""
    form = _form(literal)
    if form is None or not _is_finite_number(value):
        return format_value(value)
    percent, currency, suffixed, grouped = form
    sign = "-" if value < 0 else ""
    size = abs(value)
    if percent:
        return f"{sign}{_exactly(size, 1, 100) or format_value(size * 100)}%"
    if suffixed:
        for scale, suffix in _SCALES:
            fits = scale <= size < scale * 1000 or (scale == _SCALES[0][0] and size >= scale)
            shown = _exactly(size, scale) if fits else None
            if shown is not None and _short(shown):
                return f"{sign}{currency}{shown}{suffix}"
    plain = format_value(size)
    return f"{sign}{currency}{plain if grouped else plain.replace(',', '')}"


@functools.lru_cache(maxsize=1024)
def _form(literal: str) -> tuple[bool, str, bool, bool] | None:
    """How a number literal is written, read once per literal: (a percent, its currency
    sign, with a suffix, thousands grouped); None when it is not a number."""
    syntax = number_syntax(literal)
    if syntax is None:
        return None
    currency = syntax["cur"] or ""
    whole = syntax["digits"].split(".")[0]
    grouped = bool(currency) or "," in whole or len(whole) < 4
    return bool(syntax["pct"]), currency, bool(syntax["suffix"]), grouped


def unit_text(amount: Any, unit: str) -> str:
    """A unit after an amount: `1 year`, `2 years` (units are stored plural)."""
    return unit[:-1] if amount == 1 and unit.endswith("s") else unit


def _is_finite_number(value: Any) -> bool:
    """A number a literal's form can show (huge and non-finite ones show as they are)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return abs(value) < 10**15  # False for NaN and infinities too; ints never overflow


def _short(shown: str) -> bool:
    """A scaled number worth its suffix: whole (`$250M`) or of four digits at most
    (`$2.125M`, `$12.5k`); `$32.337k` reads better as `$32,337`."""
    if "." not in shown:
        return True
    return len(shown.replace(",", "").replace(".", "").lstrip("0")) <= _SUFFIX_DIGITS


def _exactly(size: int | float, scale: int, factor: int = 1) -> str | None:
    """`size × factor ÷ scale` with at most three decimals and thousands separators,
    when that is exact (ints exactly, floats to their precision), else None."""
    unit = 10**_DECIMALS
    if isinstance(size, int):
        thousandths, rest = divmod(size * factor * unit, scale)
        if rest:
            return None
    else:
        number = size * factor / scale
        thousandths = round(number * unit)
        if not math.isclose(thousandths / unit, number, rel_tol=1e-12, abs_tol=1e-12):
            return None
    whole, part = divmod(thousandths, unit)
    decimals = f".{part:0{_DECIMALS}d}".rstrip("0") if part else ""
    return f"{whole:,}{decimals}"


def safe_repr(value: Any) -> str:
    """`repr(value)`, or `<TypeName>` when the object's own `__repr__` raises."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def huge_int(value: int) -> str:
    """An int too long to print in full (Python refuses over 4,300 digits): `1.23457e+5000`."""
    exponent = int(math.log10(abs(value)))
    exponent += (abs(value) >= 10 ** (exponent + 1)) - (abs(value) < 10**exponent)  # float error
    digits = abs(value) // 10 ** max(0, exponent - 5)  # the six leading digits
    mantissa = f"{digits // 10**5}.{digits % 10**5:05d}".rstrip("0").rstrip(".")
    return f"{'-' if value < 0 else ''}{mantissa}e+{exponent}"
