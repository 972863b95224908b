"""Every account's verdict, score and tier under each profile, on the compiled path, and
the pages of them the table shows (filtered, sorted, with reasons for those rows only)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from ..document import Document
from ..result import Result, Verdict, format_value
from ..semantics.verdict import closest as closest_of
from ..validate.diff import state
from .accounts import Accounts

#: (verdict, score, tier): what a compiled profile returns for one record.
Scored = tuple[Verdict, int | float, str | None]

VERDICTS = ("fit", "not_fit", "disqualified", "unknown")
SORTS = ("row", "score-desc", "score-asc")
Sort = Literal["row", "score-desc", "score-asc"]


def closest_index(scored: Sequence[Scored]) -> int:
    """`DocumentResult.closest` on compiled results, without building a Result per
    profile: the kernel's choice from each profile's (verdict, score)."""
    chosen = closest_of([(verdict, score) for verdict, score, _ in scored])
    assert chosen is not None  # a scoreboard has at least one profile
    return chosen


@attrs.frozen
class View:
    """What the table asks for: one verdict (or all), an id search, an order, a page."""

    verdict: str = ""
    search: str = ""
    sort: Sort = "row"
    page: int = 1
    size: int = 50


class Scoreboard:
    """One document's scores for every account; `rescore` follows a what-if edit."""

    def __init__(
        self,
        document: Document,
        profiles: Sequence[str],
        accounts: Accounts,
        as_of: datetime.date,
    ) -> None:
        self.document = document
        self.profiles = tuple(profiles)
        self.accounts = accounts
        self.as_of = as_of
        self._compiled = [document.profiles[name].compile(as_of) for name in self.profiles]
        records = list(accounts.records())
        self.scores: list[tuple[Scored, ...] | None]
        #: Per account, the index of the profile it came closest to (-1: an error row).
        self.closest: list[int]
        if len(self._compiled) == 1:  # the common case, without a call per record
            only = self._compiled[0]
            self.scores = [None if r is None else (only(r),) for r in records]
            self.closest = [-1 if r is None else 0 for r in records]
        else:
            self.scores = [self._score(record) for record in records]
            self.closest = [self._closest(scored) for scored in self.scores]

    def _score(self, record: dict[str, Any] | None) -> tuple[Scored, ...] | None:
        if record is None:
            return None
        return tuple(compiled(record) for compiled in self._compiled)

    def _closest(self, scored: tuple[Scored, ...] | None) -> int:
        """The index of the profile the account came closest to; -1 for an error row."""
        return -1 if scored is None else closest_index(scored)

    def column(self, index: int) -> list[Scored]:
        """Every readable account's result under the `index`th profile, in input order."""
        return [s[index] for s in self.scores if s is not None]

    def rescore(self, position: int) -> None:
        """Score one account again (after a what-if edit)."""
        scored = self._score(self.accounts.record(position))
        self.scores[position] = scored
        self.closest[position] = self._closest(scored)

    def closest_scored(self, position: int) -> Scored | None:
        scored = self.scores[position]
        return None if scored is None else scored[self.closest[position]]

    def best_state(self, position: int) -> str | None:
        """`fit (tier A)`, `not_fit`, …; with several profiles, the one fitted
        (`SaaS: fit (tier A)`) or `no fit`."""
        scored = self.closest_scored(position)
        if scored is None:
            return None
        name = self.profiles[self.closest[position]]
        text = state(Result(name, *scored, (), self.as_of))
        if len(self.profiles) == 1:
            return text
        return f"{name}: {text}" if scored[0] is Verdict.FIT else "no fit"

    # ------------------------------------------------------------------ counts

    def counts(self) -> dict[str, Any]:
        """Verdicts and tiers per profile, best fits per profile, and unreadable rows."""
        scored = [s for s in self.scores if s is not None]
        verdicts = [Counter(s[i][0] for s in scored) for i in range(len(self.profiles))]
        tiers = [Counter(s[i][2] for s in scored) for i in range(len(self.profiles))]
        best = Counter(
            self.profiles[c] if s[c][0] is Verdict.FIT else ""
            for s, c in zip(self.scores, self.closest, strict=True)
            if s is not None
        )
        return {
            "rows": len(self.scores),
            "errors": self.accounts.unreadable,
            "profiles": [
                {
                    "name": name,
                    "verdicts": {v: verdicts[i][Verdict(v)] for v in VERDICTS},
                    "tiers": dict(sorted((t, n) for t, n in tiers[i].items() if t is not None)),
                }
                for i, name in enumerate(self.profiles)
            ],
            "best": {name: best[name] for name in self.profiles},
            "no_fit": best[""],
        }

    # ------------------------------------------------------------------ pages

    def select(self, view: View) -> list[int]:
        """The positions `view` keeps, in its order (ties in input order)."""
        positions: Sequence[int] = range(len(self.scores))
        if view.verdict == "error":
            positions = [p for p in positions if self.scores[p] is None]
        elif view.verdict:
            positions = [p for p in positions if self._verdict(p) == view.verdict]
        if view.search:
            wanted = view.search.strip().casefold()
            number = int(wanted) if wanted.isdigit() else None
            folded = self.accounts.folded_ids
            rows = self.accounts.rows
            positions = [p for p in positions if wanted in folded[p] or rows[p].number == number]
        if view.sort == "row":
            return list(positions)
        sign = -1 if view.sort == "score-desc" else 1
        scored = [p for p in positions if self.scores[p] is not None]
        errors = [p for p in positions if self.scores[p] is None]
        scored.sort(key=lambda p: sign * self._score_of(p))
        return scored + errors

    def _verdict(self, position: int) -> str:
        scored = self.closest_scored(position)
        return "error" if scored is None else scored[0].value

    def _score_of(self, position: int) -> float:
        scored = self.closest_scored(position)
        return float(scored[1]) if scored is not None else 0.0

    def page(self, view: View, baseline: Scoreboard | None = None) -> dict[str, Any]:
        """One page of the table: its rows with reasons, and how many rows match."""
        chosen = self.select(view)
        pages = max(1, -(-len(chosen) // view.size))
        page = min(view.page, pages)
        start = (page - 1) * view.size
        rows = [self.row(p, baseline) for p in chosen[start : start + view.size]]
        return {"matched": len(chosen), "page": page, "pages": pages, "rows": rows}

    def row(self, position: int, baseline: Scoreboard | None = None) -> dict[str, Any]:
        """One table row, as `icp eval` writes it; `was` is the state under `baseline`
        when it differs."""
        source = self.accounts.rows[position]
        out: dict[str, Any] = {
            "row": source.number,
            "id": self.accounts.ids[position],
            "edited": position in self.accounts.edits,
        }
        scored = self.scores[position]
        if scored is None:
            where = f"line {source.line}: " if source.line else ""
            return {**out, "error": f"{where}{source.error}", "verdicts": [], "best": None}
        closest = self.closest[position]
        verdict, score, tier = scored[closest]
        reason = "; ".join(self._reasons(position, closest, verdict))
        several = len(self.profiles) > 1
        out.update(
            verdicts=[s[0].value for s in scored],
            best=self.profiles[closest] if verdict is Verdict.FIT else None,
            closest=self.profiles[closest],
            score=format_value(score).replace(",", ""),
            tier=tier,
            reason=f"{self.profiles[closest]}: {reason}" if reason and several else reason,
        )
        if baseline is not None and len(baseline.scores) == len(self.scores):
            was = baseline.best_state(position)
            if was != self.best_state(position):
                out["was"] = was
        return out

    def _reasons(self, position: int, closest: int, verdict: Verdict) -> list[str]:
        """What kept the closest profile from fitting, from the reference evaluator (for
        the rows shown only: the compiled path gives no reasons)."""
        if verdict is Verdict.FIT:
            return []
        profile = self.document.profiles[self.profiles[closest]]
        return profile.evaluate(self.accounts.record(position), as_of=self.as_of).reasons
