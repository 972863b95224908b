"""The edit's impact against the profile on disk: `icp diff`'s figures, on the fast path.

`icp diff OLD NEW DATA` runs the reference evaluator on every account for both versions,
which takes seconds on a large export.  Here the compiled profiles find the accounts
whose state (`fit (tier A)`, `not_fit`, …) differs, which gives the counts; `icp diff`'s
own `impact` then explains only the accounts on the page shown, with the rule changes
responsible.  The compiled path agrees with the reference (tests/property), so the
figures are `icp diff`'s.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs

from ..document import Document, Profile
from ..result import Result
from ..validate.diff import (
    AccountChange,
    DocumentDiff,
    Impact,
    ProfileDiff,
    account_change,
    diff_documents,
    impact,
)
from ..validate.diff_report import to_dict
from ..validate.history import DataRow
from .accounts import Accounts
from .scoreboard import Scored


class Baselines:
    """The accounts as `icp diff` reads them, and their compiled states per profile, kept
    while the profile is in use: the file on disk scores once, not on every edit."""

    def __init__(self, accounts: Accounts, as_of: datetime.date) -> None:
        self.accounts = accounts
        self.as_of = as_of
        self.rows = [
            DataRow(row.number, accounts.ids[position] or f"row {row.number}", row.record)
            for position, row in enumerate(accounts.rows)
            if row.record is not None
        ]
        self._kept: dict[int, tuple[Profile, list[Scored]]] = {}

    def states(self, profile: Profile | None) -> list[Scored | None]:
        """Each account's (verdict, score, tier) under `profile`, or None without it."""
        if profile is None:
            return [None] * len(self.rows)
        kept = self._kept.get(id(profile))
        if kept is None or kept[0] is not profile:
            compiled = profile.compile(self.as_of)
            kept = self._kept[id(profile)] = (profile, [compiled(r.record) for r in self.rows])
        return list(kept[1])

    def remember(self, profile: Profile, states: list[Scored]) -> None:
        """States already computed elsewhere (the table's, when no account is edited)."""
        if len(states) == len(self.rows):
            self._kept[id(profile)] = (profile, states)

    def keep_only(self, *documents: Document) -> None:
        """Forget the states of profiles no longer in any of `documents`."""
        live = {id(p) for document in documents for p in document.profiles.values()}
        self._kept = {key: value for key, value in self._kept.items() if key in live}


def measure(
    old: Document,
    new: Document,
    baselines: Baselines,
    *,
    page: int = 1,
    size: int = 50,
) -> dict[str, Any]:
    """The rule changes, the counts of accounts that change verdict or tier, and one page
    of those accounts with the rule changes responsible (`icp diff --format json` keys)."""
    diff = diff_documents(old, new)
    rows = baselines.rows
    baselines.keep_only(old, new)
    changes: list[AccountChange] = []
    for profile in diff.profiles:
        before = baselines.states(old.profiles.get(profile.name))
        after = baselines.states(new.profiles.get(profile.name))
        for index, row in enumerate(rows):
            if before[index] != after[index]:
                change = _change(row, profile, before[index], after[index])
                if change is not None:
                    changes.append(change)
    changes.sort(key=lambda c: (c.number, c.profile))
    unreadable = baselines.accounts.unreadable
    counted = Impact(len(rows), unreadable, tuple(changes))
    pages = max(1, -(-len(changes) // size))
    page = min(max(page, 1), pages)
    shown = changes[(page - 1) * size : page * size]
    report = to_dict(attrs.evolve(diff, impact=counted))
    figures = report.pop("impact")
    figures.pop("by_rule")  # needs every account explained: `icp diff` has it
    figures["accounts_changed"] = _explained(diff, old, new, rows, shown, baselines)
    figures.update(page=page, pages=pages)
    return {**report, "impact": figures}


def _change(
    row: DataRow, profile: ProfileDiff, before: Scored | None, after: Scored | None
) -> AccountChange | None:
    """The account's change of state as `icp diff` counts it (rule changes left out)."""
    if before is not None and after is not None and before[::2] == after[::2]:
        return None  # same verdict and tier: same state
    return account_change(row, profile, _result(profile.name, before), _result(profile.name, after))


def _result(profile: str, scored: Scored | None) -> Result | None:
    if scored is None:
        return None
    return Result(profile, *scored, (), datetime.date.min)


def _explained(
    diff: DocumentDiff,
    old: Document,
    new: Document,
    rows: list[DataRow],
    shown: list[AccountChange],
    baselines: Baselines,
) -> list[dict[str, Any]]:
    """The page's accounts through `icp diff`'s own `impact` (reference evaluator)."""
    wanted = {(c.number, c.profile) for c in shown}
    numbers = {number for number, _ in wanted}
    subset = [row for row in rows if row.number in numbers]
    explained = impact(diff, old, new, subset, as_of=baselines.as_of)
    assert explained.impact is not None
    kept = tuple(c for c in explained.impact.changes if (c.number, c.profile) in wanted)
    page = attrs.evolve(explained.impact, changes=kept)
    listed: list[dict[str, Any]] = to_dict(attrs.evolve(diff, impact=page))["impact"][
        "accounts_changed"
    ]
    return listed
