"""Polars back-end: a profile → expressions for verdict, score and tier columns.

Polars' boolean `&`, `|` and `~` are Kleene's, and a comparison with null is null, so
three-valued logic carries over.  Expressions are built for a frame's schema: list
fields may be text cells (`"AWS; Okta"`) or `List(String)` columns.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import ast
from ..errors import ICPError
from ..evaluator import subtract
from ..result import Verdict
from ..values import normalize_text
from .support import check_literal, column_names, refuse, splits_lines

try:
    import polars as pl
except ImportError:  # pragma: no cover - depends on the environment
    raise ICPError("icpdsl.polars needs the 'polars' extra: pip install 'icpdsl[polars]'") from None

if TYPE_CHECKING:
    from ..model import Profile

ENGINE = "Polars"
#: How the reference splits a list cell: `;`, `,` or `|` with any white space around.
ITEM_SEPARATOR = r"\s*[;,|]\s*"
#: How a schema's set or list field splits a cell: at line breaks too.
LINE_SEPARATOR = r"\s*[;,|\n]\s*"


class ConditionPolars:
    """Conditions → Polars boolean expressions; dispatches on `visit_<ClassName>`."""

    def __init__(self, profile: Profile, as_of: datetime.date, schema: Mapping[str, Any]) -> None:
        self.profile = profile
        self.as_of = as_of
        self.schema = schema
        self.columns = column_names(profile)
        self.filename = profile.filename
        self.score: pl.Expr | None = None  # set while tiers are compiled

    def visit(self, node: ast.Condition) -> pl.Expr:
        method: Callable[[Any], pl.Expr] = getattr(self, f"visit_{type(node).__name__}")
        return method(node)

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
        return name

    def column(self, path: ast.Path) -> pl.Expr:
        if self.score is not None and path.parts == ("score",):
            return self.score
        return pl.col(self.name(path))

    def is_list(self, path: ast.Path) -> bool:
        return bool(self.schema[self.name(path)] == pl.List)

    def text(self, path: ast.Path) -> pl.Expr:
        """Trimmed, lower case, blank = null: how the reference compares text."""
        column = self.column(path)
        scored = self.score is not None and path.parts == ("score",)
        if not scored and self.schema[self.name(path)] == pl.Null:  # a column of nulls only
            column = column.cast(pl.String)
        folded = column.str.strip_chars().str.to_lowercase()
        return pl.when(folded == "").then(None).otherwise(folded)

    def literal(self, value: ast.Value) -> Any:
        check_literal(ENGINE, value, self.filename)
        if value.kind == "string":
            return normalize_text(str(value.value))
        return value.value

    def operand(self, path: ast.Path, kind: str) -> pl.Expr:
        return self.text(path) if kind == "string" else self.column(path)

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
        target = normalize_text(str(value.value))
        if value.kind != "string" or not target:
            raise refuse(
                ENGINE, f"a list item that is not text ({value.text})", value, self.filename
            )
        return target

    def items(self, path: ast.Path) -> pl.Expr:
        """The list field's items, trimmed and lower case (null when the field is)."""
        if self.is_list(path):
            return self.column(path).list.eval(pl.element().str.strip_chars().str.to_lowercase())
        separator = LINE_SEPARATOR if splits_lines(self.profile, path) else ITEM_SEPARATOR
        return self.text(path).str.replace_all(separator, "|").str.split("|")

    def contains(self, path: ast.Path, value: ast.Value) -> pl.Expr:
        """The list field has item `value` (text cell or List(String) column)."""
        found: pl.Expr = self.items(path).list.contains(pl.lit(self.target(value)))
        return found

    # -- predicates --------------------------------------------------------------
    def visit_InList(self, node: ast.InList) -> pl.Expr:
        kind = self.same_kind(node.values, node)
        value = self.operand(node.field, kind)
        values = [self.literal(v) for v in node.values]
        if kind == "number":  # Polars 2 compares like types only: use floats unless all ints
            whole = all(isinstance(v, int) for v in values)
            value = value.cast(pl.Int64 if whole else pl.Float64)
            values = [v if whole else float(v) for v in values]
        found = value.is_in(pl.lit(values))  # null stays null (Polars 2)
        return ~found if node.negated else found

    def visit_Range(self, node: ast.Range) -> pl.Expr:
        kind = self.same_kind((node.low, node.high), node)
        value = self.operand(node.field, kind)
        tests: list[pl.Expr] = []
        if node.low is not None:
            tests.append(value >= self.literal(node.low))
        if node.high is not None:
            tests.append(value <= self.literal(node.high))
        return functools.reduce(operator.and_, tests)

    def visit_Compare(self, node: ast.Compare) -> pl.Expr:
        ops: dict[str, Callable[[Any, Any], pl.Expr]] = {
            "==": operator.eq, "!=": operator.ne, "<": operator.lt,
            "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        }  # fmt: skip
        return ops[node.op](self.operand(node.field, node.value.kind), self.literal(node.value))

    def visit_Has(self, node: ast.Has) -> pl.Expr:
        """How many of the values the items hold, from one split of the cell."""
        targets = sorted({self.target(v) for v in node.values})
        shared = self.items(node.field).list.set_intersection(pl.lit(targets)).list.len()
        if node.mode in ("one", "all"):
            return shared == len(targets)
        return shared > 0 if node.mode == "any" else shared == 0

    def visit_IsKnown(self, node: ast.IsKnown) -> pl.Expr:
        if self.score is not None and node.field.parts == ("score",):
            return pl.lit(node.known)
        name = self.name(node.field)
        column = pl.col(name)
        present = column.is_not_null()
        if self.schema[name] == pl.String:
            present = present & (column.str.strip_chars() != "")
        return present if node.known else ~present

    def visit_Within(self, node: ast.Within) -> pl.Expr:
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        value = self.column(node.field)
        return (value >= subtract(self.as_of, duration)) & (value <= self.as_of)

    def visit_Matches(self, node: ast.Matches) -> pl.Expr:
        if node.value.kind == "string":
            return self.contains(node.field, node.value)
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
        return functools.reduce(operator.and_, (self.visit(o) for o in node.operands))

    def visit_Or(self, node: ast.Or) -> pl.Expr:
        return functools.reduce(operator.or_, (self.visit(o) for o in node.operands))


#: Helper columns of the first stage, dropped again (rename a column of yours so named).
FIRED, REQUIRED, SCORE = "__icp_fired", "__icp_required", "__icp_score"


def stages(
    profile: Profile, schema: Mapping[str, Any], as_of: datetime.date | None = None
) -> tuple[dict[str, pl.Expr], dict[str, pl.Expr]]:
    """Two `with_columns` stages: the rules once into helper columns, then `verdict`,
    `score` and `tier` from them (the helpers are dropped after)."""
    conditions = ConditionPolars(profile, as_of or datetime.date.today(), schema)

    def rules(kind: type) -> list[pl.Expr]:
        tests = []
        for bound in profile.rules:
            node = bound.node
            if isinstance(node, kind) and isinstance(node, (ast.Criterion, ast.Disqualifier)):
                conditions.filename = bound.filename
                tests.append(conditions.visit(node.condition))
        return tests

    disqualifiers, criteria = rules(ast.Disqualifier), rules(ast.Criterion)
    score: pl.Expr = pl.lit(0)
    for bound in profile.rules:
        if isinstance(bound.node, ast.Points):
            conditions.filename = bound.filename
            gained = pl.when(conditions.visit(bound.node.condition)).then(pl.lit(bound.node.points))
            score = score + gained.otherwise(pl.lit(0))
    whole = all(
        isinstance(b.node.points, int) for b in profile.rules if isinstance(b.node, ast.Points)
    )
    first = {
        FIRED: functools.reduce(operator.or_, disqualifiers, pl.lit(False)).fill_null(False),
        REQUIRED: functools.reduce(operator.and_, criteria, pl.lit(True)),
        SCORE: score.cast(pl.Int64 if whole else pl.Float64),
    }
    fired, required = pl.col(FIRED), pl.col(REQUIRED)
    verdict = (
        pl.when(fired).then(pl.lit(Verdict.DISQUALIFIED.value))
        .when(~required).then(pl.lit(Verdict.NOT_FIT.value))
        .when(required).then(pl.lit(Verdict.FIT.value))
        .otherwise(pl.lit(Verdict.UNKNOWN.value))
    )  # fmt: skip
    conditions.score = pl.col(SCORE)
    tier: pl.Expr = pl.lit(None, dtype=pl.String)
    for bound in reversed([b for b in profile.rules if isinstance(b.node, ast.Tier)]):
        node = bound.node
        assert isinstance(node, ast.Tier)
        name = pl.lit(node.name)
        if node.condition is None:
            tier = name
        else:
            conditions.filename = bound.filename
            tier = pl.when(conditions.visit(node.condition)).then(name).otherwise(tier)
    fits = ~fired & required.fill_null(False)
    second = {
        "verdict": verdict,
        "score": pl.col(SCORE),
        "tier": pl.when(fits).then(tier).otherwise(pl.lit(None, dtype=pl.String)),
    }
    return first, second
