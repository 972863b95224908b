"""Rule coverage: which rules the examples exercised both ways (pass and fail, fired and clear).

A rule is identified by where it is written, so a rule a profile inherits with `extends`
is covered by the base profile's examples as well as its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import ast
from ..document import Profile
from ..io.table import shorten
from ..program import BoundRule
from ..result import Result
from ..source import escape

#: The outcomes each kind of rule must show to count as fully exercised.
_WAYS: dict[type, tuple[str, ...]] = {
    ast.Criterion: ("pass", "fail"),
    ast.Disqualifier: ("fired", "clear"),
    ast.Points: ("applied", "not_applied"),
    ast.Tier: ("pass", "fail"),
}
_RuleKey = tuple[str, int, int]
#: The widest a rule's text gets on a coverage line (`--format json` keeps it whole).
RULE_WIDTH = 100


def _ways(rule: BoundRule) -> tuple[str, ...]:
    if isinstance(rule.node, ast.Tier) and rule.node.condition is None:
        return ("pass",)  # `tier C otherwise` can only be chosen
    return _WAYS[type(rule.node)]


def _key(rule: BoundRule) -> _RuleKey:
    name = rule.filename if rule.filename.startswith("<") else os.path.realpath(rule.filename)
    return (name, rule.line, rule.column)


@attrs.frozen
class RuleCoverage:
    """One rule: the outcomes it must show, and those the examples produced."""

    text: str
    filename: str
    line: int
    ways: tuple[str, ...]
    seen: frozenset[str]

    @property
    def exercised(self) -> tuple[str, ...]:
        return tuple(w for w in self.ways if w in self.seen)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(w for w in self.ways if w not in self.seen)

    @property
    def covered(self) -> bool:
        return not self.missing

    def format(self, profile_file: str | None = None) -> str:
        """`✓ line 7    industry in [SaaS]  [pass, fail]` or `✗ … (never fired)`.

        A rule inherited from another file shows that file: `✓ base.icp:3 …`.
        """
        mark = "✓" if self.covered else "✗"
        shown = ", ".join(self.exercised) or "not run"
        gap = f"  (never {', never '.join(self.missing)})" if self.missing else ""
        where = f"line {self.line:<4}"
        if profile_file is not None and self.filename != profile_file:
            where = f"{_shown_path(self.filename)}:{self.line}"
        return f"{mark} {where} {shorten(self.text, RULE_WIDTH)}  [{shown}]{gap}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.text,
            "file": self.filename,
            "line": self.line,
            "ways": list(self.ways),
            "exercised": list(self.exercised),
            "missing": list(self.missing),
            "covered": self.covered,
        }


def _shown_path(filename: str) -> str:
    """An imported file's absolute path, shortened to the current folder when inside it."""
    path = Path(filename)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return path.relative_to(Path.cwd()).as_posix()
    return filename


def _percent(done: int, total: int) -> float:
    return 100.0 if total == 0 else round(100.0 * done / total, 1)


@attrs.frozen
class ProfileCoverage:
    """Coverage of one profile's rules (inherited ones included), in source order."""

    name: str
    filename: str
    examples: int
    rules: tuple[RuleCoverage, ...]

    @property
    def exercised(self) -> int:
        return sum(len(r.exercised) for r in self.rules)

    @property
    def total(self) -> int:
        return sum(len(r.ways) for r in self.rules)

    @property
    def percent(self) -> float:
        return _percent(self.exercised, self.total)

    def format(self) -> str:
        head = (
            f"{self.filename}: {self.name}: {self.percent:.1f}% "
            f"({self.exercised}/{self.total} outcomes, {self.examples} "
            f"{'example' if self.examples == 1 else 'examples'})"
        )
        lines = [head, *(f"  {rule.format(self.filename)}" for rule in self.rules)]
        return "\n".join(escape(line) for line in lines)  # names and rules from ICP files

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.name,
            "file": self.filename,
            "examples": self.examples,
            "exercised": self.exercised,
            "total": self.total,
            "percent": self.percent,
            "rules": [r.to_dict() for r in self.rules],
        }


@attrs.frozen
class Coverage:
    """Rule coverage of a whole run: every profile, and the overall percentage."""

    profiles: tuple[ProfileCoverage, ...]

    @property
    def exercised(self) -> int:
        return sum(p.exercised for p in self.profiles)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.profiles)

    @property
    def percent(self) -> float | None:
        """The share of outcomes exercised; None when there is nothing to cover (no rule
        was loaded), which is no 100%."""
        return _percent(self.exercised, self.total) if self.total else None

    def format(self, unloaded: int = 0) -> str:
        """One block per profile, then the total, as `icp test --coverage` prints it;
        `unloaded` files could not be loaded, so their rules are not counted."""
        blocks = [p.format() for p in self.profiles]
        files = f"{unloaded:,} file{'s' if unloaded != 1 else ''}"
        if self.percent is None:
            why = f"{files} could not be loaded" if unloaded else "no profile has rules"
            total = f"rule coverage: nothing to cover ({why})"
        else:
            total = f"rule coverage: {self.percent:.1f}% ({self.exercised}/{self.total} outcomes)"
            total += f", not counting {files} that could not be loaded" if unloaded else ""
        return "\n\n".join([*blocks, total])

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercised": self.exercised,
            "total": self.total,
            "percent": self.percent,
            "profiles": [p.to_dict() for p in self.profiles],
        }


#: One rule as plain data: (file, line, column, text, ways); see `outcome_rows`.
RuleRow = tuple[str, int, int, str, tuple[str, ...]]


def _row(rule: BoundRule) -> RuleRow:
    file, line, column = _key(rule)
    return (file, line, column, rule.text, _ways(rule))


def outcome_rows(profile: Profile, result: Result) -> dict[str, Any]:
    """One evaluation's rule outcomes as plain data (JSON- and xdist-safe)."""
    return {
        "profile": profile.name,
        "file": profile.filename,
        "rules": [[*_row(r), o.status] for r, o in zip(profile.rules, result.rules, strict=True)],
    }


class CoverageTracker:
    """Collects rule outcomes from evaluated examples; `report()` gives the Coverage."""

    def __init__(self) -> None:
        self._seen: dict[_RuleKey, set[str]] = {}
        #: (real file, profile name) → (shown file, rows), in the order first seen.
        self._profiles: dict[tuple[str, str], tuple[str, list[RuleRow]]] = {}
        self._examples: dict[tuple[str, str], int] = {}

    def add_profile(self, profile: Profile) -> None:
        """Include a profile in the report, even if none of its examples ran."""
        self._add(profile.name, profile.filename, [_row(r) for r in profile.rules])

    def _add(self, name: str, filename: str, rows: list[RuleRow]) -> tuple[str, str]:
        ident = (os.path.realpath(filename), name)
        self._profiles.setdefault(ident, (filename, rows))
        return ident

    def record(self, profile: Profile, result: Result) -> None:
        """Count the outcomes of one evaluation of `profile`."""
        self.record_rows(outcome_rows(profile, result))

    def record_rows(self, rows: Mapping[str, Any]) -> None:
        """Count outcomes given as `outcome_rows` made them (e.g. sent by an xdist worker)."""
        rules: list[RuleRow] = []
        for file, line, column, text, ways, status in rows["rules"]:
            rules.append((str(file), int(line), int(column), str(text), tuple(ways)))
            self._seen.setdefault((str(file), int(line), int(column)), set()).add(str(status))
        ident = self._add(str(rows["profile"]), str(rows["file"]), rules)
        self._examples[ident] = self._examples.get(ident, 0) + 1

    def report(self) -> Coverage:
        profiles = []
        for ident, (filename, rows) in self._profiles.items():
            rules = tuple(
                RuleCoverage(
                    text,
                    _rule_file(file, filename),
                    line,
                    ways,
                    frozenset(self._seen.get((file, line, column), ())),
                )
                for file, line, column, text, ways in rows
            )
            if rules:
                count = self._examples.get(ident, 0)
                profiles.append(ProfileCoverage(ident[1], filename, count, rules))
        return Coverage(tuple(profiles))


def _rule_file(real: str, profile_file: str) -> str:
    """A rule's file as the profile's file is shown, when it is that file."""
    if real == profile_file or real == os.path.realpath(profile_file):
        return profile_file
    return real
