"""The rule AST: frozen attrs nodes, each with the span it was parsed from; no behaviour.

Back-ends (evaluator, formatter, SQL, Polars) are visitors over these nodes, so the
nodes stay plain data.  Conditions form a small boolean algebra of predicates on fields.
"""

from __future__ import annotations

import datetime
from typing import Literal, TypeAlias, Union

import attrs

from .source import Span

ScalarValue: TypeAlias = Union[str, int, float, bool, datetime.date, "Duration"]


@attrs.frozen
class Duration:
    """A length of time as written: `18 months`, `5 years`."""

    amount: int | float
    unit: Literal["years", "months", "weeks", "days"]

    def __str__(self) -> str:
        amount = self.amount
        unit = self.unit[:-1] if amount == 1 else self.unit
        return f"{amount} {unit}"


ValueKind = Literal["string", "number", "bool", "date", "duration"]


@attrs.frozen
class Value:
    """A literal: `kind` says how it compares, `text` is how it was written."""

    kind: ValueKind
    value: ScalarValue
    text: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Path:
    """A field reference; dotted parts reach into nested records (`hq.country`)."""

    parts: tuple[str, ...]
    span: Span = attrs.field(eq=False, repr=False)

    @property
    def name(self) -> str:
        return ".".join(self.parts)


# ----------------------------------------------------------------- conditions


@attrs.frozen
class InList:
    """`field in [a, b]` / `field not in [a, b]`."""

    field: Path
    values: tuple[Value, ...]
    negated: bool
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Range:
    """`field lo..hi` inclusive; either end may be open."""

    field: Path
    low: Value | None
    high: Value | None
    span: Span = attrs.field(eq=False, repr=False)


CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]


@attrs.frozen
class Compare:
    """`field OP value`."""

    field: Path
    op: CompareOp
    value: Value
    span: Span = attrs.field(eq=False, repr=False)


HasMode = Literal["one", "any", "all", "none"]


@attrs.frozen
class Has:
    """`field has x`, `has any [...]`, `has all [...]`, `has none [...]` on a set field."""

    field: Path
    mode: HasMode
    values: tuple[Value, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class IsKnown:
    """`field is known` (known=True) / `field is missing` (known=False); never unknown."""

    field: Path
    known: bool
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Within:
    """`date_field within 18 months`: the date lies in the window ending at as_of."""

    field: Path
    duration: Value
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Matches:
    """`field value`: equals the value or, for a list field, contains it."""

    field: Path
    value: Value
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Truthy:
    """A bare field: true when the field holds a true boolean."""

    field: Path
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Ref:
    """A use of a `define`d condition by name (resolved when the file is loaded)."""

    name: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Not:
    operand: Condition
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class And:
    operands: tuple[Condition, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Or:
    operands: tuple[Condition, ...]
    span: Span = attrs.field(eq=False, repr=False)


Predicate: TypeAlias = InList | Range | Compare | Has | IsKnown | Within | Matches | Truthy
Condition: TypeAlias = Predicate | Ref | Not | And | Or


# ----------------------------------------------------------------- statements


@attrs.frozen
class Criterion:
    """A condition every fitting account must meet (`require` is optional sugar)."""

    condition: Condition
    required_keyword: bool
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Disqualifier:
    """`disqualify if cond[: "reason"]`."""

    condition: Condition
    reason: str | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Points:
    """`+N if cond` / `-N if cond`; `text` keeps the sign as written."""

    points: int | float
    text: str
    condition: Condition
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Tier:
    """`tier NAME if cond` or `tier NAME otherwise` (condition None)."""

    name: str
    condition: Condition | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Define:
    """`define name = cond`."""

    name: str
    condition: Condition
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class AsOf:
    """`as of 2013-12-31`: the date a file's or a profile's rules are judged on when the
    caller gives none (`as_of=`, `--as-of`)."""

    date: Value
    span: Span = attrs.field(eq=False, repr=False)


RecordValue: TypeAlias = Union[Value, "RecordLiteral", "ListLiteral", None]


@attrs.frozen
class ListLiteral:
    items: tuple[RecordValue, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class RecordLiteral:
    """`{ field: value, ... }` as written in an example."""

    pairs: tuple[tuple[str, RecordValue], ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Example:
    """An account with the verdict (or tier) the profile must give it."""

    verdict: str | None
    tier: str | None
    name: str | None
    record: RecordLiteral
    because: tuple[Path, ...]
    score: Value | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Examples:
    examples: tuple[Example, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class TypeExpr:
    """A declared type: `int`, `set[string]`, `category [A, B]`, `{ a: string }`, or a
    date with its text's format: `date "DD.MM.YYYY"` (`format` is that string)."""

    name: str
    args: tuple[TypeExpr | Value, ...]
    fields: tuple[FieldDecl, ...]
    span: Span = attrs.field(eq=False, repr=False)
    format: Value | None = None


@attrs.frozen
class FieldDecl:
    """`name: type [from "Column"]` or `name from "Column"` in a fields block."""

    name: str
    type: TypeExpr | None
    column: str | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Fields:
    decls: tuple[FieldDecl, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Import:
    path: str
    span: Span = attrs.field(eq=False, repr=False)


Statement: TypeAlias = Criterion | Disqualifier | Points | Tier | Define | Examples | AsOf


@attrs.frozen
class ProfileDecl:
    """`profile "Name" [extends "Base"] { ... }`."""

    name: str
    extends: str | None
    body: tuple[Statement, ...]
    span: Span = attrs.field(eq=False, repr=False)


TopLevel: TypeAlias = Import | Fields | ProfileDecl | Statement


@attrs.frozen
class Comment:
    text: str
    span: Span


@attrs.frozen
class Module:
    """One parsed file: its top-level items in order, and its comments (for `fmt`)."""

    items: tuple[TopLevel, ...]
    comments: tuple[Comment, ...]
    filename: str
    text: str = attrs.field(repr=False, eq=False)


Rule: TypeAlias = Criterion | Disqualifier | Points | Tier
