"""Polars back-end: a profile → expressions for verdict, score and tier columns.

Polars' boolean `&`, `|` and `~` are Kleene's, and a comparison with null is null, so
three-valued logic carries over.  Expressions are built for a frame's schema: list
fields may be text cells (`"AWS; Okta"`) or `List(String)` columns.  `plan` lays them
out as `with_columns` stages (`Plan`): what rules share, each rule once, then verdict,
score and tier from the rules' columns.
"""

from __future__ import annotations

import datetime
import functools
import operator
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import ast
from ..errors import ICPError, ICPMissingExtraError
from ..semantics.cells import (
    ITEM_SEPARATORS,
    LINE_SEPARATORS,
    WHITESPACE,
    WHITESPACE_CLASS,
    text_key,
)
from ..semantics.compare import subtract
from ..semantics.verdict import BY_CRITERIA, Verdict
from ..visitor import ConditionVisitor
from .support import check_date_text, check_literal, column_names, refuse, splits_lines

try:
    import polars as pl
except ImportError:  # pragma: no cover - depends on the environment
    raise ICPMissingExtraError("icpdsl.polars", "polars") from None

if TYPE_CHECKING:
    from ..program import BoundProfile

ENGINE = "Polars"
#: Prefix of the helper columns (normalised inputs, one column per rule), dropped again.
HELPER = "__icp_"


class ConditionPolars(ConditionVisitor["pl.Expr"]):
    """Conditions → Polars boolean expressions; dispatches on `visit_<ClassName>`.

    Text is compared as the reference does, trimmed and lower case.  Against ASCII
    values the column is not rewritten: a regular expression spells each letter in both
    cases (`_caseless`) and allows white space around, which decides the same at a
    fraction of the cost.  Other values are compared with the column trimmed and
    lower-cased.  What several rules share (a column's folded text, whether it is
    blank, a list column's folded items) is a helper column registered once in
    `inputs`, a stage computed before the rules; Polars computes the columns of a stage
    in parallel.
    """

    def __init__(
        self, profile: BoundProfile, as_of: datetime.date, schema: Mapping[str, Any]
    ) -> None:
        self.profile = profile
        self.as_of = as_of
        self.schema = schema
        self.columns = column_names(profile)
        self.filename = profile.filename
        self.score: pl.Expr | None = None  # set while tiers are compiled
        self.inputs: dict[str, pl.Expr] = {}  # helper column → expression over the frame
        self.helpers: dict[tuple[str, str], str] = {}  # (kind, column) → helper column

    # -- values ----------------------------------------------------------------
    def name(self, path: ast.Path) -> str:
        if path.parts == ("age",):
            raise refuse(
                ENGINE,
                "`age` (the reference derives it from `founded`)",
                path,
                self.filename,
                "use `founded within N years`, or a precomputed age column under another name",
            )
        name = self.columns.get(path.name, path.name)
        if name not in self.schema:
            raise ICPError(f"{self.filename}: the frame has no column {name!r} (field {path.name})")
        if not self.schema[name].is_temporal():  # a Date column holds dates, not their text
            check_date_text(ENGINE, self.profile, path, self.filename)
        return name

    def is_score(self, path: ast.Path) -> bool:
        return self.score is not None and path.parts == ("score",)

    def column(self, path: ast.Path) -> pl.Expr:
        if self.score is not None and self.is_score(path):
            return self.score
        return pl.col(self.name(path))

    def integer_column(self, path: ast.Path) -> bool:
        """Whether the field's column holds integers (a float column is never cast to
        integers: 2.5 would become 2, 1e300 an error)."""
        if self.is_score(path):
            points = [b.node for b in self.profile.scoring if isinstance(b.node, ast.Points)]
            return all(isinstance(node.points, int) for node in points)
        dtype = self.schema[self.name(path)]
        return bool(dtype.is_integer()) if hasattr(dtype, "is_integer") else False

    def is_list(self, path: ast.Path) -> bool:
        return bool(self.schema[self.name(path)] == pl.List)

    def helper(self, kind: str, name: str, expression: pl.Expr) -> pl.Expr:
        """A helper column computing `expression` (`kind` of column `name`), registered
        in `inputs` on first use and read by every rule after."""
        key = (kind, name)
        if key not in self.helpers:
            self.helpers[key] = f"{HELPER}{kind}_{len(self.helpers)}"
            self.inputs[self.helpers[key]] = expression
        return pl.col(self.helpers[key])

    def raw(self, path: ast.Path) -> pl.Expr:
        """The field's text column as it is (a column of nulls only is read as text)."""
        name = self.name(path)
        column = pl.col(name)
        return column.cast(pl.String) if self.schema[name] == pl.Null else column

    def folded(self, path: ast.Path) -> pl.Expr:
        """Trimmed and lower case, as the reference compares text; blank is `""` here."""
        if self.score is not None and self.is_score(path):
            return _fold(self.score)
        name = self.name(path)
        return self.helper("text", name, _fold(self.raw(path)))

    def nonblank(self, path: ast.Path) -> pl.Expr:
        """Whether the text holds more than white space (null when it is null)."""
        return self.helper(
            "known", self.name(path), self.raw(path).str.contains(f"[^{WHITESPACE}]")
        )

    def text_test(self, path: ast.Path, test: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
        """`test` of the field's folded text; null where the text is missing or blank."""
        folded = self.folded(path)
        return pl.when(folded != "").then(test(folded))

    def caseless(self, path: ast.Path, targets: list[str]) -> bool:
        """Whether a regular expression can find `targets` in the column as it is."""
        return not self.is_score(path) and all(t.isascii() and t == t.lower() for t in targets)

    def text_in(self, path: ast.Path, targets: list[str]) -> pl.Expr:
        """The field's text, trimmed and lower case, is one of `targets` (null if blank)."""
        if not self.caseless(path, targets):
            return self.text_test(path, lambda folded: folded.is_in(pl.lit(targets)))
        spelled = "|".join(_caseless(t) for t in targets if t)  # blank text is null anyway
        found = self.raw(path).str.contains(_whole(spelled)) if spelled else pl.lit(False)
        return pl.when(self.nonblank(path)).then(found)

    def literal(self, value: ast.Value) -> Any:
        check_literal(ENGINE, value, self.filename)
        if value.kind == "string":
            return text_key(str(value.value))
        return value.value

    def same_kind(self, values: tuple[ast.Value | None, ...], node: Any) -> str:
        kinds = {v.kind for v in values if v is not None}
        if len(kinds) != 1 or "bool" in kinds:
            raise refuse(
                ENGINE,
                "a list or range mixing kinds of values, or of true/false",
                node,
                self.filename,
            )
        return kinds.pop()

    def target(self, value: ast.Value) -> str:
        """A list item to look for, as the reference compares it."""
        check_literal(ENGINE, value, self.filename)
        target = text_key(str(value.value))
        if value.kind != "string" or not target:
            raise refuse(
                ENGINE, f"a list item that is not text ({value.text})", value, self.filename
            )
        return target

    def has(self, path: ast.Path, targets: list[str], mode: str) -> pl.Expr:
        """Whether the list field holds all (`mode` "all"/"one"), any or none of `targets`.

        A text cell is not split: a regular expression finds an item equal to a target
        between separators, which is what splitting, trimming and comparing each item
        decides (a target holding a separator is never an item).
        """
        caseless = self.caseless(path, targets)
        if self.is_list(path):
            if caseless:
                items = self.column(path)

                def holds(group: list[str]) -> pl.Expr:
                    spelled = "|".join(_caseless(t) for t in group)
                    item = pl.element().str.contains(_whole(spelled))
                    return items.list.eval(item).list.any()

                return _combine(holds, targets, mode)
            name = self.name(path)
            folded = self.helper("items", name, pl.col(name).list.eval(_fold(pl.element())))
            return _combine(
                lambda group: folded.list.eval(pl.element().is_in(group)).list.any(), targets, mode
            )
        separators = LINE_SEPARATORS if splits_lines(self.profile, path) else ITEM_SEPARATORS
        spell: Callable[[str], str] = _caseless if caseless else pl.escape_regex

        def test(text: pl.Expr) -> pl.Expr:
            def holds(group: list[str]) -> pl.Expr:
                items = [spell(t) for t in group if not any(s in t for s in separators)]
                if not items:
                    return pl.lit(False)
                return text.str.contains(_item_pattern(items, separators))

            return _combine(holds, targets, mode)

        if caseless:
            return pl.when(self.nonblank(path)).then(test(self.raw(path)))
        return self.text_test(path, test)

    # -- predicates --------------------------------------------------------------
    def compared(self, path: ast.Path, kind: str, test: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
        """`test` of the field's value: folded text for string literals, else the column."""
        return self.text_test(path, test) if kind == "string" else test(self.column(path))

    def visit_InList(self, node: ast.InList) -> pl.Expr:
        kind = self.same_kind(node.values, node)
        if kind == "string":
            found = self.text_in(node.field, [self.literal(v) for v in node.values])
            return ~found if node.negated else found

        integers = kind == "number" and self.integer_column(node.field)

        def test(value: pl.Expr) -> pl.Expr:
            values = [self.literal(v) for v in node.values]
            if kind == "number":  # Polars 2 compares like types only
                whole = integers and all(isinstance(v, int) for v in values)
                value = value.cast(pl.Int64 if whole else pl.Float64)
                values = [v if whole else float(v) for v in values]
            found = value.is_in(pl.lit(values))  # null stays null (Polars 2)
            return ~found if node.negated else found

        return self.compared(node.field, kind, test)

    def visit_Range(self, node: ast.Range) -> pl.Expr:
        kind = self.same_kind((node.low, node.high), node)

        def test(value: pl.Expr) -> pl.Expr:
            tests: list[pl.Expr] = []
            if node.low is not None:
                tests.append(value >= self.literal(node.low))
            if node.high is not None:
                tests.append(value <= self.literal(node.high))
            return functools.reduce(operator.and_, tests)

        return self.compared(node.field, kind, test)

    def visit_Compare(self, node: ast.Compare) -> pl.Expr:
        ops: dict[str, Callable[[Any, Any], pl.Expr]] = {
            "==": operator.eq, "!=": operator.ne, "<": operator.lt,
            "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        }  # fmt: skip
        if node.value.kind == "string" and node.op in ("==", "!="):
            equal = self.text_in(node.field, [self.literal(node.value)])
            return equal if node.op == "==" else ~equal
        op = ops[node.op]
        return self.compared(
            node.field, node.value.kind, lambda value: op(value, self.literal(node.value))
        )

    def visit_Has(self, node: ast.Has) -> pl.Expr:
        targets = sorted({self.target(v) for v in node.values})
        return self.has(node.field, targets, node.mode)

    def visit_IsKnown(self, node: ast.IsKnown) -> pl.Expr:
        if self.score is not None and node.field.parts == ("score",):
            return pl.lit(node.known)
        name = self.name(node.field)
        if self.schema[name] == pl.String:
            present = self.nonblank(node.field).fill_null(False)
        else:
            present = pl.col(name).is_not_null()
        return present if node.known else ~present

    def visit_Within(self, node: ast.Within) -> pl.Expr:
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        value = self.column(node.field)
        return (value >= subtract(self.as_of, duration)) & (value <= self.as_of)

    def visit_Matches(self, node: ast.Matches) -> pl.Expr:
        if node.value.kind == "string":  # equal to, or for a list field contains, the text
            return self.has(node.field, [self.target(node.value)], "one")
        equal: pl.Expr = self.column(node.field) == self.literal(node.value)
        return equal

    def visit_Truthy(self, node: ast.Truthy) -> pl.Expr:
        return self.column(node.field) == True  # noqa: E712 (a Polars expression)

    # -- combinations ------------------------------------------------------------
    def visit_Ref(self, node: ast.Ref) -> pl.Expr:
        return self.visit(self.profile.defines[node.name].condition)

    def visit_Not(self, node: ast.Not) -> pl.Expr:
        return ~self.visit(node.operand)

    def visit_And(self, node: ast.And) -> pl.Expr:
        # all_horizontal/any_horizontal are Kleene's and/or over any number of operands,
        # flat: a chain of `&` nests an expression per operand (3,000 of them: minutes)
        return pl.all_horizontal([self.visit(o) for o in node.operands])

    def visit_Or(self, node: ast.Or) -> pl.Expr:
        return pl.any_horizontal([self.visit(o) for o in node.operands])


def _fold(text: pl.Expr) -> pl.Expr:
    return text.str.strip_chars(WHITESPACE).str.to_lowercase()


def _whole(spelled: str) -> str:
    """A regular expression for text that, trimmed, is one of the `|`-separated `spelled`."""
    return rf"^{WHITESPACE_CLASS}*(?:{spelled}){WHITESPACE_CLASS}*$"


def _combine(holds: Callable[[list[str]], pl.Expr], targets: list[str], mode: str) -> pl.Expr:
    """`has` in `mode` from `holds(group)`: whether the items hold any target of a group."""
    if mode in ("one", "all"):
        return functools.reduce(operator.and_, (holds([t]) for t in targets))
    return holds(targets) if mode == "any" else ~holds(targets)


#: A regular expression for each ASCII letter: what Polars' `to_lowercase` makes it
#: (the Kelvin sign too is a `k`; tests/unit/test_compile_polars.py checks every letter).
_CASES = {c: f"[{c}{c.upper()}]" for c in string.ascii_lowercase} | {"k": "[kK\\x{212A}]"}


def _caseless(target: str) -> str:
    """A regular expression for the text that lower-cases to `target` (ASCII, lower case).

    Only ASCII letters have other characters that lower-case to them, so for an ASCII
    target this is exact: `x.to_lowercase() == target` if and only if `x` matches.
    """
    return "".join(_CASES.get(c) or pl.escape_regex(c) for c in target)


def _item_pattern(spelled: list[str], separators: str) -> str:
    """A regular expression that finds an item matching one of `spelled` in a text cell.

    An item is what lies between two separators (or the cell's ends), white space around
    it trimmed; the targets spelled are trimmed, non-empty and hold no separator.
    """
    between = f"[{pl.escape_regex(separators)}]"
    space = WHITESPACE_CLASS
    return rf"(?:^|{between}){space}*(?:{'|'.join(spelled)}){space}*(?:{between}|$)"


@dataclass(frozen=True)
class Plan:
    """The `with_columns` stages that add verdict, score and tier, and the helpers to drop.

    Stages: the normalised inputs (each once), every rule once, the disqualifiers fired,
    criteria met and score from them, then verdict, score and tier.  Each stage's
    columns are independent of each other, so Polars computes them in parallel.
    """

    stages: tuple[dict[str, pl.Expr], ...]
    helpers: tuple[str, ...]

    def apply(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        for stage in self.stages:
            if stage:
                frame = frame.with_columns(**stage)
        return frame.drop(*self.helpers)


#: Helper columns of the combining stage (rename a column of yours so named).
FIRED, REQUIRED, SCORE = f"{HELPER}fired", f"{HELPER}required", f"{HELPER}score"


def plan(
    profile: BoundProfile, schema: Mapping[str, Any], as_of: datetime.date | None = None
) -> Plan:
    """The stages that score a frame with `schema` (see `Plan`)."""
    conditions = ConditionPolars(profile, profile.evaluation_date(as_of), schema)
    rules: dict[str, pl.Expr] = {}
    disqualifiers: list[pl.Expr] = []
    criteria: list[pl.Expr] = []
    points: list[tuple[pl.Expr, int | float]] = []
    for bound in profile.rules:
        node = bound.node
        if not isinstance(node, (ast.Disqualifier, ast.Criterion, ast.Points)):
            continue
        conditions.filename = bound.filename
        name = f"{HELPER}rule_{len(rules)}"
        rules[name] = conditions.visit(node.condition)
        if isinstance(node, ast.Disqualifier):
            disqualifiers.append(pl.col(name))
        elif isinstance(node, ast.Criterion):
            criteria.append(pl.col(name))
        else:
            points.append((pl.col(name), node.points))
    whole = all(isinstance(p, int) for _, p in points)
    terms = [pl.when(test).then(pl.lit(p)).otherwise(pl.lit(0)) for test, p in points]
    score = pl.sum_horizontal(terms) if terms else pl.lit(0)
    combined = {
        FIRED: pl.any_horizontal([*disqualifiers, pl.lit(False)]).fill_null(False),
        REQUIRED: pl.all_horizontal([*criteria, pl.lit(True)]),
        SCORE: score.cast(pl.Int64 if whole else pl.Float64),
    }
    fired, required = pl.col(FIRED), pl.col(REQUIRED)
    # The verdict's text picked by a code (false 0, true 1, null 2, fired 3): a third of
    # the time of a when/then chain; the kernel's BY_CRITERIA says which is which.
    names = [BY_CRITERIA[False], BY_CRITERIA[True], BY_CRITERIA[None], Verdict.DISQUALIFIED]
    code = pl.when(fired).then(3).otherwise(required.cast(pl.UInt32).fill_null(2))
    verdict = pl.lit(pl.Series([v.value for v in names], dtype=pl.String)).gather(code)
    conditions.score = pl.col(SCORE)
    tier: pl.Expr = pl.lit(None, dtype=pl.String)
    tiers = [b for b in profile.rules if isinstance(b.node, ast.Tier)]
    for bound in reversed(tiers):
        node = bound.node
        assert isinstance(node, ast.Tier)
        label = pl.lit(node.name)
        if node.condition is None:
            tier = label
        else:
            conditions.filename = bound.filename
            tier = pl.when(conditions.visit(node.condition)).then(label).otherwise(tier)
    if tiers:
        fits = ~fired & required.fill_null(False)
        tier = pl.when(fits).then(tier).otherwise(pl.lit(None, dtype=pl.String))
    final = {"verdict": verdict, "score": pl.col(SCORE), "tier": tier}
    stages = (dict(conditions.inputs), rules, combined, final)
    helpers = (*conditions.inputs, *rules, *combined)
    return Plan(stages, helpers)
