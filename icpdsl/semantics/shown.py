"""How a value is shown in explanations: `1,200`, `2020-01-31`, `true`, `missing`.

Reasons quote the values an account had; every engine that writes a reason shows a
value this way, so explanations read the same whichever engine produced them.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from .bands import Band
from .missing import MISSING


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
        return "[" + ", ".join(format_value(v) for v in items) + "]"
    return safe_repr(value)


def safe_repr(value: Any) -> str:
    """`repr(value)`, or `<TypeName>` when the object's own `__repr__` raises."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def escape(text: str) -> str:
    """Control characters and line breaks as escapes: an explanation stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def huge_int(value: int) -> str:
    """An int too long to print in full (Python refuses over 4,300 digits): `1.23457e+5000`."""
    exponent = int(math.log10(abs(value)))
    exponent += (abs(value) >= 10 ** (exponent + 1)) - (abs(value) < 10**exponent)  # float error
    digits = abs(value) // 10 ** max(0, exponent - 5)  # the six leading digits
    mantissa = f"{digits // 10**5}.{digits % 10**5:05d}".rstrip("0").rstrip(".")
    return f"{'-' if value < 0 else ''}{mantissa}e+{exponent}"
