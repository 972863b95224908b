"""How rule outcomes combine into an account's verdict, score, tier and reasons.

- A disqualifier that fires makes the account `disqualified`, whatever else holds.
- Otherwise a criterion that fails makes it `not_fit`; else an unknown criterion makes
  it `unknown`; else it is a `fit`.  (An unknown disqualifier changes no verdict.)
- Points rules add to the score for every account, fitting or not.
- Tiers are tried top to bottom for a fitting account only; the first that holds (or
  `otherwise`) is its tier.
- The reasons of a verdict are the outcomes that decided it (`REASON_STATUSES`).
- Of several profiles, the account's `best` is the first it fits, or none; the one it
  came `closest` to is the best, else the highest score.

Every engine combines rules this way: the reference evaluator and the compiled code call
these functions, the SQL and Polars generators build their CASE from these tables.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from typing import Final

from .logic import APPLIED, FIRED, STATUS, Truth


class Verdict(enum.StrEnum):
    """An account's verdict for one profile, in order of precedence."""

    DISQUALIFIED = "disqualified"
    NOT_FIT = "not_fit"
    UNKNOWN = "unknown"
    FIT = "fit"


#: The verdict of an account that no disqualifier fired on, by its criteria's Kleene
#: `and` (no criteria at all: true).
BY_CRITERIA: Final[dict[Truth, Verdict]] = {
    True: Verdict.FIT,
    False: Verdict.NOT_FIT,
    None: Verdict.UNKNOWN,
}


def verdict_of(fired: bool, criteria: Truth) -> Verdict:
    """The verdict from whether a disqualifier fired and the criteria's joint truth."""
    return Verdict.DISQUALIFIED if fired else BY_CRITERIA[criteria]


#: The rule outcome statuses that are the reasons for each verdict (criteria and
#: disqualifiers only: points and tiers never keep an account out).
REASON_STATUSES: Final[dict[Verdict, tuple[str, ...]]] = {
    Verdict.DISQUALIFIED: ("fired",),
    Verdict.NOT_FIT: ("fail",),
    Verdict.UNKNOWN: ("unknown",),
    Verdict.FIT: (),
}

#: The kinds of rule whose outcomes can be reasons: points and tiers never keep an
#: account out.
REASON_KINDS: Final = ("criterion", "disqualifier")

#: The status of a rule that keeps an account out, by kind (what summaries count as a
#: rule's failures): a criterion that failed, a disqualifier that fired.
KEPT_OUT: Final[dict[str, str]] = {"criterion": STATUS[False], "disqualifier": FIRED[True]}

#: How a rule of each kind reports its truth (tiers have their own outcomes).
STATUS_BY_KIND: Final[dict[str, dict[Truth, str]]] = {
    "criterion": STATUS,  # type: ignore[dict-item]
    "disqualifier": FIRED,
    "points": APPLIED,
}


def truths_reported(kind: str, statuses: Collection[str]) -> frozenset[Truth]:
    """The truths a rule of `kind` reports with one of `statuses` (none for a tier):
    an engine that has a rule's truth tests it against these, not against its status."""
    table = STATUS_BY_KIND.get(kind, {})
    return frozenset(truth for truth, status in table.items() if status in statuses)


#: How far each verdict is from a fit: `closest` prefers the smaller among equal scores.
DISTANCE: Final[dict[Verdict, int]] = {
    Verdict.FIT: 0,
    Verdict.UNKNOWN: 1,
    Verdict.NOT_FIT: 2,
    Verdict.DISQUALIFIED: 3,
}

#: Why a tier rule was not tried.
ONLY_FITS_GET_A_TIER: Final = "only fitting accounts get a tier"


def tier_taken(name: str) -> str:
    """Why a later tier was not tried: an earlier one was taken."""
    return f"tier {name} came first"


def best(outcomes: Sequence[tuple[Verdict, int | float]]) -> int | None:
    """Which of several profiles' (verdict, score) the account is best matched to: the
    first it fits.  None when it fits none: no profile is named for an account that
    fits none or is disqualified (`closest` says which came nearest)."""
    for index, (verdict, _) in enumerate(outcomes):
        if verdict is Verdict.FIT:
            return index
    return None


def closest(outcomes: Sequence[tuple[Verdict, int | float]]) -> int | None:
    """Which profile the account came nearest to fitting: the best, else the highest
    score (ties: the verdict nearest a fit, then the first); None for no profiles.
    Its score and reasons say how far an account that fits none is from fitting."""
    chosen = best(outcomes)
    if chosen is not None or not outcomes:
        return chosen
    return max(range(len(outcomes)), key=lambda i: (outcomes[i][1], -DISTANCE[outcomes[i][0]]))
