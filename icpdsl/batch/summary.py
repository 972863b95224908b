"""The closing summary of a batch run: counts per verdict, tier and profile, the rules
that fail most, the fields most often missing, and the rows that could not be read."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..io.table import shorten
from ..source import escape
from .rows import RuleRef, ScoredRow

_VERDICTS = ("fit", "not_fit", "disqualified", "unknown")
_SHOWN_ERRORS = 5
#: Tallies (`ScoredRow.tally`) waiting to be counted before they are counted at once.
_TALLIES_KEPT = 4096
#: The widest a rule's text gets in the summary (`--format json` keeps it whole).
RULE_WIDTH = 100


class Summary:
    """Counts what `add` is given; `render` says it in a few lines of text."""

    def __init__(
        self,
        profiles: Sequence[str],
        as_of: str = "",
        dates: Mapping[str, datetime.date] | None = None,
    ) -> None:
        self.profiles = list(profiles)
        self.as_of = as_of  # `as of 2013-12-31, set in the file`: said after the profiles
        self.dates = dict(dates or {})  # each profile's date, for the JSON form
        self.rows = 0
        self.errors: list[ScoredRow] = []  # the first few, for the message
        self.error_count = 0
        self._verdicts = {p: Counter[str]() for p in self.profiles}
        self._tiers = {p: Counter[str]() for p in self.profiles}
        self._best = Counter[str]()
        self._failing = Counter[RuleRef]()
        self._missing = Counter[str]()
        #: Rows counted by their `tally` (`ScoredRow.tally`): how many, and one of them;
        #: their verdicts, tiers and fields are counted when next read (`_settle`).
        self._tallied: dict[object, list[Any]] = {}

    def add(self, row: ScoredRow) -> None:
        self.rows += 1
        tally = row.tally
        if tally is not None:
            tallied = self._tallied.get(tally)
            if tallied is not None:
                tallied[0] += 1
                return
            if len(self._tallied) >= _TALLIES_KEPT:
                self._settle()
            self._tallied[tally] = [1, row]
            return
        if row.error is not None:
            self.error_count += 1
            if len(self.errors) < _SHOWN_ERRORS:
                self.errors.append(row)
            return
        if self._tallied:  # counted in input order, which ties are shown in
            self._settle()
        self._count(row, 1)

    def _count(self, row: ScoredRow, times: int) -> None:
        """Count a scored row `times` times."""
        failing, missing, verdicts = self._failing, self._missing, self._verdicts
        for score in row.scores:
            profile, tier = score.profile, score.tier
            verdicts[profile][score.verdict] += times  # a StrEnum: counted under its text
            if tier is not None:
                self._tiers[profile][tier] += times
            for rule in score.failed:  # a loop: Counter.update costs more for two or three
                failing[rule] += times
        best = row.best
        self._best[best.profile if best is not None else ""] += times
        for name in row.missing:
            missing[name] += times

    def _settle(self) -> None:
        """Count the rows counted by their tally so far.  Rows of one tally share the
        rules and fields counted, so counting tallies in the order they were first met
        meets those rules and fields in input order too (the order of ties)."""
        for times, row in self._tallied.values():
            self._count(row, times)
        self._tallied.clear()

    @property
    def verdicts(self) -> dict[str, Counter[str]]:
        """Per profile, how many rows got each verdict."""
        self._settle()
        return self._verdicts

    @property
    def tiers(self) -> dict[str, Counter[str]]:
        """Per profile, how many rows fit in each tier."""
        self._settle()
        return self._tiers

    @property
    def best(self) -> Counter[str]:
        """How many rows fit each profile first ("": none)."""
        self._settle()
        return self._best

    @property
    def failing(self) -> Counter[RuleRef]:
        """How often each rule kept an account out."""
        self._settle()
        return self._failing

    @property
    def missing(self) -> Counter[str]:
        """How many rows lack each field."""
        self._settle()
        return self._missing

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (from a worker process) with every row counted."""
        self._settle()
        return self.__dict__

    def merge(self, other: Summary) -> None:
        """Count what `other` counted, as if its rows were `add`ed after these (the
        summaries of consecutive chunks, merged in input order, are the whole run's)."""
        self.rows += other.rows
        self.error_count += other.error_count
        self.errors.extend(other.errors[: _SHOWN_ERRORS - len(self.errors)])
        for profile in self.profiles:
            self.verdicts[profile].update(other.verdicts[profile])
            self.tiers[profile].update(other.tiers[profile])
        self.best.update(other.best)
        self.failing.update(other.failing)
        self.missing.update(other.missing)

    @property
    def scored(self) -> int:
        return self.rows - self.error_count

    def render(self, elapsed: float, *, top: int = 5, bold: bool = False) -> str:
        """The summary text; `elapsed` seconds give the rate."""
        rate = f" ({self.rows / elapsed:,.0f} rows/s)" if elapsed > 0 and self.rows else ""
        noun = "profile" if len(self.profiles) == 1 else "profiles"
        lines = [
            f"{self.rows:,} {'row' if self.rows == 1 else 'rows'} in {elapsed:.2f} s{rate}, "
            f"scored against {len(self.profiles)} {noun}{' ' if self.as_of else ''}{self.as_of}; "
            f"{self._could_not(self.error_count)}"
        ]
        width = max(len(p) for p in self.profiles) if self.profiles else 0
        for profile in self.profiles:
            counts = " · ".join(f"{v} {self.verdicts[profile][v]:,}" for v in _VERDICTS)
            tiers = self.tiers[profile]
            tier_text = "  tiers " + " · ".join(
                f"{t} {n:,}" for t, n in sorted(tiers.items())
            ) if tiers else ""  # fmt: skip
            lines.append(f"  {profile:<{width}}  {counts}{tier_text}")
        if len(self.profiles) > 1:
            fits = " · ".join(f"{p} {self.best[p]:,}" for p in self.profiles if self.best[p])
            lines.append(f"  best fit: {fits or 'none'}; no fit {self.best['']:,}")
        lines += self._top_rules(top) + self._top_missing(top) + self._error_lines()
        lines = [escape(line) for line in lines]  # names, tiers and rules from the ICP file
        if bold:
            lines[0] = f"\033[1m{lines[0]}\033[0m"
        return "\n".join(lines)

    @staticmethod
    def _could_not(count: int) -> str:
        if count == 0:
            return "every row was read"
        return f"{count:,} {'row' if count == 1 else 'rows'} could not be read"

    def _top_rules(self, top: int) -> list[str]:
        if not self.failing:
            return []
        several = len(self.profiles) > 1
        lines = ["rules that failed most often:"]
        for rule, count in self.failing.most_common(top):
            where = f"{rule.filename}:{rule.line}"
            owner = f" ({rule.profile})" if several else ""
            lines.append(f"  {count:>9,}  {shorten(rule.text, RULE_WIDTH)}{owner}  [{where}]")
        return lines

    def _top_missing(self, top: int) -> list[str]:
        if not self.missing or not self.scored:
            return []
        lines = ["fields most often missing:"]
        for field, count in self.missing.most_common(top):
            lines.append(f"  {count:>9,}  {field} ({count / self.scored:.0%} of rows)")
        return lines

    def _error_lines(self) -> list[str]:
        if not self.errors:
            return []
        lines = ["rows that could not be read:"]
        for row in self.errors:
            where = f"row {row.number}" + (f" (line {row.line})" if row.line else "")
            lines.append(f"  {where}: {row.error}")
        if self.error_count > len(self.errors):
            lines.append(f"  … and {self.error_count - len(self.errors):,} more")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready data (`icp eval --summary-only --format json`)."""
        return {
            "rows": self.rows,
            "errors": self.error_count,
            "as_of": {p: day.isoformat() for p, day in self.dates.items()},
            "profiles": {
                p: {
                    "verdicts": {v: self.verdicts[p][v] for v in _VERDICTS},
                    "tiers": dict(sorted(self.tiers[p].items())),
                }
                for p in self.profiles
            },
            "best": {p: self.best[p] for p in self.profiles if self.best[p]},
            "no_fit": self.best[""],
            "failing_rules": [
                {
                    "profile": r.profile,
                    "rule": r.text,
                    "file": r.filename,
                    "line": r.line,
                    "count": n,
                }
                for r, n in self.failing.most_common()
            ],
            "missing_fields": dict(self.missing.most_common()),
        }
