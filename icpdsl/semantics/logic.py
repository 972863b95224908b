"""Three-valued (Kleene) logic: every condition is true, false or unknown (None).

Unknown comes from missing or unreadable data.  `and` is false as soon as one operand is
false, `or` true as soon as one is true; otherwise an unknown operand makes the result
unknown.  SQL's AND/OR/NOT and Polars' `&`, `|`, `~` on nullable booleans are the same
logic, so the column engines carry it over unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, TypeAlias

Truth: TypeAlias = bool | None
CheckStatus: TypeAlias = Literal["pass", "fail", "unknown"]


def kleene_not(truth: Truth) -> Truth:
    return None if truth is None else not truth


def kleene_and(truths: Iterable[Truth]) -> Truth:
    """False if any is false, else unknown if any is unknown, else true."""
    seen = list(truths)
    return False if False in seen else (None if None in seen else True)


def kleene_or(truths: Iterable[Truth]) -> Truth:
    """True if any is true, else unknown if any is unknown, else false."""
    seen = list(truths)
    return True if True in seen else (None if None in seen else False)


#: How a predicate's or a rule's truth is reported.
STATUS: Final[dict[Truth, CheckStatus]] = {True: "pass", False: "fail", None: "unknown"}
#: How a disqualifier's truth is reported: it fired, or kept clear.
FIRED: Final[dict[Truth, str]] = {True: "fired", False: "clear", None: "unknown"}
#: How a points rule's truth is reported: its points were added, or not (never a
#: failure: a bonus or a penalty that does not apply is neutral).
APPLIED: Final[dict[Truth, str]] = {True: "applied", False: "not_applied", None: "unknown"}
