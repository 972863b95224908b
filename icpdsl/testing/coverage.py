"""Rule coverage: which rules the examples exercised both ways (pass and fail, fired and clear).

A rule is identified by where it is written, so a rule a profile inherits with `extends`
is covered by the base profile's examples as well as its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs

from .. import ast
from ..model import BoundRule, Profile
from ..result import Result

#: The outcomes each kind of rule must show to count as fully exercised.
_WAYS: dict[type, tuple[str, ...]] = {
    ast.Criterion: ("pass", "fail"),
    ast.Disqualifier: ("fired", "clear"),
    ast.Points: ("pass", "fail"),
    ast.Tier: ("pass", "fail"),
}
_RuleKey = tuple[str, int, int]


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
        return f"{mark} {where} {self.text}  [{shown}]{gap}"

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
            f"({self.exercised}/{self.total} outcomes, {self.examples} examples)"
        )
        return "\n".join([head, *(f"  {rule.format(self.filename)}" for rule in self.rules)])

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
    def percent(self) -> float:
        return _percent(self.exercised, self.total)

    def format(self) -> str:
        """One block per profile, then the total, as `icp test --coverage` prints it."""
        blocks = [p.format() for p in self.profiles]
        total = f"rule coverage: {self.percent:.1f}% ({self.exercised}/{self.total} outcomes)"
        return "\n\n".join([*blocks, total])

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercised": self.exercised,
            "total": self.total,
            "percent": self.percent,
            "profiles": [p.to_dict() for p in self.profiles],
        }


class CoverageTracker:
    """Collects rule outcomes from evaluated examples; `report()` gives the Coverage."""

    def __init__(self) -> None:
        self._seen: dict[_RuleKey, set[str]] = {}
        self._profiles: dict[tuple[str, str], Profile] = {}
        self._examples: dict[tuple[str, str], int] = {}

    def add_profile(self, profile: Profile) -> None:
        """Include a profile in the report, even if none of its examples ran."""
        self._profiles.setdefault((os.path.realpath(profile.filename), profile.name), profile)

    def record(self, profile: Profile, result: Result) -> None:
        """Count the outcomes of one evaluation of `profile`."""
        self.add_profile(profile)
        ident = (os.path.realpath(profile.filename), profile.name)
        self._examples[ident] = self._examples.get(ident, 0) + 1
        for rule, outcome in zip(profile.rules, result.rules, strict=True):
            self._seen.setdefault(_key(rule), set()).add(outcome.status)

    def report(self) -> Coverage:
        profiles = []
        for ident, profile in self._profiles.items():
            rules = tuple(
                RuleCoverage(
                    rule.text,
                    rule.filename,
                    rule.line,
                    _ways(rule),
                    frozenset(self._seen.get(_key(rule), ())),
                )
                for rule in profile.rules
            )
            if rules:
                count = self._examples.get(ident, 0)
                profiles.append(ProfileCoverage(profile.name, profile.filename, count, rules))
        return Coverage(tuple(profiles))
