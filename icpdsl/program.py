"""The bound program as data: each profile's rules and defines, with where they were
written — what every engine, check and tool reads, and what the loader builds.

`icpdsl.Profile` (icpdsl/document.py) is a `BoundProfile` with the methods users call
(`evaluate`, `compile`, `to_sql`); the engines below it take a `BoundProfile`, so no
engine imports the class that calls it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from . import ast
from .clock import today
from .records import get_field
from .result import RuleInfo, RuleKind

#: Where the date a profile is judged on comes from (see `BoundProfile.date_source`).
DateSource: TypeAlias = Literal["given", "pinned", "today"]

#: Reads a field (a dotted path) from a record: a schema's reader or `get_field`.
FieldReader: TypeAlias = Callable[[Any, tuple[str, ...]], Any]


@attrs.frozen
class BoundDefine:
    """A `define`, with the text of its condition for explanations."""

    name: str
    condition: ast.Condition
    text: str
    filename: str
    line: int


@attrs.frozen
class BoundRule:
    """A rule with where it was written: its text, file and line survive `extends`."""

    node: ast.Rule
    text: str
    condition_text: str
    filename: str
    line: int
    column: int
    profile: str
    #: The defines the condition uses, spelled out: `modern_stack = tech has any [AWS]`.
    where: str | None = None
    #: What every outcome of this rule shares (its text, kind, place), built once.
    info: RuleInfo = attrs.field(init=False, eq=False, repr=False)

    @info.default
    def _info(self) -> RuleInfo:
        node = self.node
        label = node.reason if isinstance(node, ast.Disqualifier) else None
        if isinstance(node, ast.Tier):
            label = node.name
        return RuleInfo(
            self.text,
            KINDS[node.__class__],
            self.condition_text,
            self.line,
            self.column,
            self.filename,
            label,
            self.where,
        )

    @property
    def kind(self) -> RuleKind:
        return KINDS[self.node.__class__]


KINDS: dict[type, RuleKind] = {
    ast.Criterion: "criterion",
    ast.Disqualifier: "disqualifier",
    ast.Points: "points",
    ast.Tier: "tier",
}


@attrs.frozen
class BoundProfile:
    """One ICP as data: the rules an account is judged by, in source order (inherited
    first), the defines they may use and how fields are read."""

    name: str
    rules: tuple[BoundRule, ...]
    defines: Mapping[str, BoundDefine]
    examples: tuple[ast.Example, ...] = ()
    extends: str | None = None
    filename: str = "<string>"
    line: int = 1
    fields: tuple[ast.FieldDecl, ...] = ()
    reader: FieldReader = get_field
    #: The date the file pins with `as of` (the profile's own, else its file's, else
    #: the profile it extends'), or None: then "now" is today.
    as_of: datetime.date | None = None

    def date_source(self, as_of: datetime.date | None = None) -> DateSource:
        """Where `evaluation_date(as_of)` comes from: the caller, the file, or today."""
        return "given" if as_of else "pinned" if self.as_of else "today"

    def evaluation_date(self, as_of: datetime.date | None = None) -> datetime.date:
        """What "now" means for this profile: `as_of` when the caller gives one, else
        the date its file pins (`as of`), else today."""
        return as_of or self.as_of or today()

    @property
    def criteria(self) -> list[BoundRule]:
        return [r for r in self.rules if isinstance(r.node, ast.Criterion)]

    @property
    def disqualifiers(self) -> list[BoundRule]:
        return [r for r in self.rules if isinstance(r.node, ast.Disqualifier)]

    @property
    def scoring(self) -> list[BoundRule]:
        return [r for r in self.rules if isinstance(r.node, ast.Points)]

    @property
    def tiers(self) -> list[BoundRule]:
        return [r for r in self.rules if isinstance(r.node, ast.Tier)]
