"""Value classes: rank accounts by value; top 10% Class 1, next 10% Class 2, rest Class 3."""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from .history import Account

#: The share of valued accounts in Class 1 and in Class 2 (Class 3 is the rest).
CLASS_SHARES = (0.10, 0.10)


@attrs.frozen
class ValueClasses:
    """Each valued account's class (1, 2 or 3), and the value where each class starts."""

    by_number: dict[int, int]
    #: The lowest value in Class 1 and in Class 2 (None when a class is empty).
    floors: tuple[float | None, float | None]
    counts: tuple[int, int, int]

    def of(self, account: Account) -> int | None:
        """1, 2 or 3; None for an account without a value."""
        return self.by_number.get(account.number)


def value_classes(accounts: Sequence[Account]) -> ValueClasses:
    """Rank the accounts that have a value, highest first (ties by input order): the first
    ceil(10%) are Class 1, the next ceil(10%) Class 2, the others Class 3."""
    valued = sorted(
        (a for a in accounts if a.value is not None), key=lambda a: (-(a.value or 0), a.number)
    )
    size1 = math.ceil(len(valued) * CLASS_SHARES[0])
    size2 = min(len(valued) - size1, math.ceil(len(valued) * CLASS_SHARES[1]))
    by_number: dict[int, int] = {}
    for position, account in enumerate(valued):
        by_number[account.number] = 1 if position < size1 else 2 if position < size1 + size2 else 3
    floor1 = valued[size1 - 1].value if size1 else None
    floor2 = valued[size1 + size2 - 1].value if size2 else None
    return ValueClasses(by_number, (floor1, floor2), (size1, size2, len(valued) - size1 - size2))
