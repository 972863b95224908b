"""SQL back-end: a profile → one `SELECT` adding verdict, score, tier and reasons columns.

Built as a sqlglot expression tree and generated per dialect, so every identifier and
literal is quoted by sqlglot for that dialect; no ICP or record text is pasted into SQL.
Three-valued logic maps onto SQL NULL: a predicate on a NULL (or blank text) column is
NULL, and SQL's AND/OR/NOT are Kleene's.  See docs/scale.md for the typed-column rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .. import ast
from ..errors import ICPError
from ..evaluator import subtract
from ..result import Verdict
from ..values import normalize_text
from .support import check_literal, column_names, refuse, splits_lines

try:
    from sqlglot import exp
except ImportError:  # pragma: no cover - depends on the environment
    raise ICPError("Profile.to_sql needs the 'sql' extra: pip install 'icpdsl[sql]'") from None

if TYPE_CHECKING:
    from ..model import Profile

DIALECTS = ("duckdb", "postgres", "sqlite", "snowflake", "bigquery", "spark")
#: Output columns, in order, after the table's own.
OUTPUT_COLUMNS = ("verdict", "score", "tier", "reasons")
#: List cells separate items with these; SQL reads them as one text column.
SEPARATORS = (";", ",")
#: Spaces around a separator that SQLite ignores (the reference ignores any white space).
SEPARATOR_SPACES = 3
#: How the reference splits a list cell, as a regular expression.
ITEM_SEPARATOR = r"\s*[;,|]\s*"
#: How a schema's set or list field splits a cell: at line breaks too.
LINE_SEPARATOR = r"\s*[;,|\n]\s*"


class ConditionSQL:
    """Conditions → sqlglot boolean expressions; dispatches on `visit_<ClassName>`."""

    def __init__(self, profile: Profile, as_of: datetime.date, engine: str) -> None:
        self.profile = profile
        self.as_of = as_of
        self.engine = engine
        self.columns = column_names(profile)
        self.filename = profile.filename
        self.score: exp.Expr | None = None  # set while tiers are compiled

    def visit(self, node: ast.Condition) -> exp.Expr:
        method: Callable[[Any], exp.Expr] = getattr(self, f"visit_{type(node).__name__}")
        return method(node)

    # -- values ----------------------------------------------------------------
    def column(self, path: ast.Path) -> exp.Expr:
        """A field's column; `score` inside a tier is the computed score."""
        if self.score is not None and path.parts == ("score",):
            return self.score.copy()
        if path.parts == ("age",):
            raise refuse(
                self.engine,
                "`age` (the reference derives it from `founded`)",
                path,
                self.filename,
                "use `founded within N years`, or a precomputed age column under another name",
            )
        name = self.columns.get(path.name, path.name)
        if "\x00" in name:
            raise refuse(
                self.engine, "a field name containing a NUL character", path, self.filename
            )
        return exp.Column(this=exp.to_identifier(name, quoted=True))

    def text(self, path: ast.Path) -> exp.Expr:
        """The column as the reference compares text: trimmed, lower case, blank = NULL."""
        blank = exp.Nullif(this=exp.Trim(this=self.column(path)), expression=exp.Literal.string(""))
        return exp.Lower(this=blank)

    def items(self, path: ast.Path) -> exp.Expr:
        """`|a|b|c|`: a list cell's items, normalized, between `|` marks.

        Separators are `;`, `,` and `|` with white space around them, as the reference
        splits; SQLite has no regular expressions, so there REPLACE handles `;`, `,` and
        up to SEPARATOR_SPACES spaces on each side of a separator.
        """
        value: exp.Expr = self.text(path)
        lines = splits_lines(self.profile, path)
        if self.engine == "SQL (sqlite)":
            for separator in (*SEPARATORS, "\n") if lines else SEPARATORS:
                value = exp.Replace(
                    this=value, expression=self.string(separator), replacement=self.string("|")
                )
            for _ in range(SEPARATOR_SPACES):
                for spaced in (" |", "| "):
                    value = exp.Replace(
                        this=value, expression=self.string(spaced), replacement=self.string("|")
                    )
        else:  # every match is replaced: DuckDB needs the 'g' flag, the others do it anyway
            flags = self.string("g") if self.engine == "SQL (duckdb)" else None
            pattern = self.string(LINE_SEPARATOR if lines else ITEM_SEPARATOR)
            value = exp.RegexpReplace(
                this=value, expression=pattern, replacement=self.string("|"), modifiers=flags
            )
        return exp.DPipe(
            this=exp.DPipe(this=self.string("|"), expression=value), expression=self.string("|")
        )

    def string(self, text: str) -> exp.Expr:
        return exp.Literal.string(text)

    def check(self, value: ast.Value) -> None:
        check_literal(self.engine, value, self.filename)
        if self.engine == "SQL (sqlite)" and value.kind == "string" and not value.text.isascii():
            raise refuse(
                self.engine,
                f"non-ASCII text ({value.text}): SQLite's LOWER folds ASCII letters only",
                value,
                self.filename,
            )

    def literal(self, value: ast.Value) -> exp.Expr:
        self.check(value)
        if value.kind == "string":
            return self.string(normalize_text(str(value.value)))
        if value.kind == "bool":
            return exp.Boolean(this=bool(value.value))
        if value.kind == "date":
            assert isinstance(value.value, datetime.date)
            return self.date(value.value)
        number = value.value
        assert isinstance(number, (int, float))
        literal = exp.Literal.number(abs(number))
        return exp.Neg(this=literal) if number < 0 else literal

    def date(self, day: datetime.date) -> exp.Expr:
        return exp.cast(self.string(day.isoformat()), "DATE")

    def operand(self, path: ast.Path, kind: str) -> exp.Expr:
        """The column read for a comparison with a literal of `kind`."""
        return self.text(path) if kind == "string" else self.column(path)

    def same_kind(self, values: Sequence[ast.Value | None], node: Any) -> str:
        kinds = {v.kind for v in values if v is not None}
        if len(kinds) != 1:
            raise refuse(self.engine, "a list mixing kinds of values", node, self.filename)
        return kinds.pop()

    def contains(self, path: ast.Path, value: ast.Value) -> exp.Expr:
        """The list cell has item `value`."""
        self.check(value)
        if value.kind != "string":
            raise refuse(
                self.engine, f"a list item that is not text ({value.text})", value, self.filename
            )
        target = normalize_text(str(value.value))
        if self.engine == "SQL (duckdb)":
            found = [self.duckdb_items(path), self.string(target)]
            return exp.Anonymous(this="list_contains", expressions=found)
        needle = self.string("|" + target + "|")
        position = exp.StrPosition(this=self.items(path), substr=needle)
        return exp.GT(this=position, expression=exp.Literal.number(0))

    # -- predicates --------------------------------------------------------------
    def visit_InList(self, node: ast.InList) -> exp.Expr:
        kind = self.same_kind(node.values, node)
        if kind == "bool":
            raise refuse(self.engine, "`in` with true/false values", node, self.filename)
        found = exp.In(
            this=self.operand(node.field, kind), expressions=[self.literal(v) for v in node.values]
        )
        return exp.Not(this=exp.Paren(this=found)) if node.negated else found

    def visit_Range(self, node: ast.Range) -> exp.Expr:
        kind = self.same_kind((node.low, node.high), node)
        if kind == "bool":
            raise refuse(self.engine, "a range of true/false values", node, self.filename)
        tests: list[exp.Expr] = []
        if node.low is not None:
            tests.append(
                exp.GTE(this=self.operand(node.field, kind), expression=self.literal(node.low))
            )
        if node.high is not None:
            tests.append(
                exp.LTE(this=self.operand(node.field, kind), expression=self.literal(node.high))
            )
        return exp.and_(*tests, wrap=True) if len(tests) > 1 else tests[0]

    def visit_Compare(self, node: ast.Compare) -> exp.Expr:
        classes = {
            "==": exp.EQ,
            "!=": exp.NEQ,
            "<": exp.LT,
            "<=": exp.LTE,
            ">": exp.GT,
            ">=": exp.GTE,
        }
        return classes[node.op](
            this=self.operand(node.field, node.value.kind), expression=self.literal(node.value)
        )

    def visit_Has(self, node: ast.Has) -> exp.Expr:
        if self.engine == "SQL (duckdb)":  # split once, test all values at once
            return self.duckdb_has(node)
        tests = [self.contains(node.field, v) for v in node.values]
        if node.mode in ("one", "all"):
            return exp.and_(*tests, wrap=True) if len(tests) > 1 else tests[0]
        some = exp.Paren(this=exp.or_(*tests, wrap=True)) if len(tests) > 1 else tests[0]
        return some if node.mode == "any" else exp.Not(this=some)

    def duckdb_items(self, path: ast.Path) -> exp.Expr:
        """The list cell split into its normalized items, as a DuckDB list."""
        lines = splits_lines(self.profile, path)
        pattern = self.string(LINE_SEPARATOR if lines else ITEM_SEPARATOR)
        return exp.Anonymous(this="regexp_split_to_array", expressions=[self.text(path), pattern])

    def duckdb_has(self, node: ast.Has) -> exp.Expr:
        """`list_has_any`/`list_has_all` over the split cell (NULL when the cell is)."""
        for value in node.values:
            self.check(value)
            if value.kind != "string":
                raise refuse(
                    self.engine,
                    f"a list item that is not text ({value.text})",
                    value,
                    self.filename,
                )
        items = self.duckdb_items(node.field)
        wanted = exp.Array(
            expressions=[self.string(normalize_text(str(v.value))) for v in node.values]
        )
        function = "list_has_all" if node.mode in ("one", "all") else "list_has_any"
        test = exp.Anonymous(this=function, expressions=[items, wanted])
        return exp.Not(this=test) if node.mode == "none" else test

    def visit_IsKnown(self, node: ast.IsKnown) -> exp.Expr:
        if self.score is not None and node.field.parts == ("score",):
            return exp.Boolean(this=node.known)
        text = exp.cast(self.column(node.field), "TEXT")
        present = exp.Nullif(this=exp.Trim(this=text), expression=self.string(""))
        known = exp.Not(this=exp.Is(this=present, expression=exp.Null()))
        return known if node.known else exp.Is(this=present, expression=exp.Null())

    def visit_Within(self, node: ast.Within) -> exp.Expr:
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        start = self.date(subtract(self.as_of, duration))
        return exp.Between(this=self.column(node.field), low=start, high=self.date(self.as_of))

    def visit_Matches(self, node: ast.Matches) -> exp.Expr:
        if node.value.kind == "string":
            return self.contains(node.field, node.value)
        return exp.EQ(this=self.column(node.field), expression=self.literal(node.value))

    def visit_Truthy(self, node: ast.Truthy) -> exp.Expr:
        return exp.EQ(this=self.column(node.field), expression=exp.Boolean(this=True))

    # -- combinations ------------------------------------------------------------
    def visit_Ref(self, node: ast.Ref) -> exp.Expr:
        return exp.Paren(this=self.visit(self.profile.defines[node.name].condition))

    def visit_Not(self, node: ast.Not) -> exp.Expr:
        return exp.Not(this=exp.Paren(this=self.visit(node.operand)))

    def visit_And(self, node: ast.And) -> exp.Expr:
        # copy=False: the operands are fresh trees; copying them at every level made
        # defines used through defines quadratic (bench/fuzz.py, tests/security).
        operands = (self.visit(o) for o in node.operands)
        return exp.Paren(this=exp.and_(*operands, wrap=True, copy=False))

    def visit_Or(self, node: ast.Or) -> exp.Expr:
        operands = (self.visit(o) for o in node.operands)
        return exp.Paren(this=exp.or_(*operands, wrap=True, copy=False))


class ProfileSQL:
    """The verdict, score, tier and reasons columns of a profile as SQL expressions.

    With `helpers`, each non-tier rule is computed once into a helper column of an
    inner query, and the outputs refer to it (dialects with `* EXCLUDE`); otherwise
    every output inlines the rule conditions it needs.
    """

    def __init__(self, profile: Profile, as_of: datetime.date, engine: str) -> None:
        self.conditions = ConditionSQL(profile, as_of, engine)
        self.profile = profile
        self.helpers: dict[int, str] | None = None

    def use_helpers(self) -> list[tuple[str, exp.Expr]]:
        """Name → condition of one helper column per non-tier rule; outputs then use them."""
        columns = [
            (f"__icp_rule_{index}", self.rule(index))
            for index, bound in enumerate(self.profile.rules)
            if not isinstance(bound.node, ast.Tier)
        ]
        self.helpers = {int(name.rsplit("_", 1)[1]): name for name, _ in columns}
        return columns

    def rule(self, index: int) -> exp.Expr:
        """Rule `index`'s condition (or its helper column)."""
        if self.helpers is not None and index in self.helpers:
            return exp.Column(this=exp.to_identifier(self.helpers[index], quoted=True))
        bound = self.profile.rules[index]
        assert bound.node.condition is not None
        self.conditions.filename = bound.filename
        return exp.Paren(this=self.conditions.visit(bound.node.condition))

    def of(self, kind: type) -> list[exp.Expr]:
        return [self.rule(i) for i, b in enumerate(self.profile.rules) if isinstance(b.node, kind)]

    def false(self) -> exp.Expr:
        return exp.Boolean(this=False)

    def any_fired(self) -> exp.Expr:
        """TRUE when a disqualifier is TRUE, else FALSE (never NULL)."""
        tests = self.of(ast.Disqualifier)
        if not tests:
            return self.false()
        return exp.func("COALESCE", exp.or_(*tests), self.false())

    def criteria(self) -> exp.Expr:
        """Kleene AND of the criteria: FALSE if one fails, NULL if one is unknown."""
        tests = self.of(ast.Criterion)
        return exp.and_(*tests) if tests else exp.Boolean(this=True)

    def verdict(self) -> exp.Expr:
        text = self.conditions.string
        criteria = self.criteria()
        return (
            exp.Case()
            .when(self.any_fired(), text(Verdict.DISQUALIFIED.value))
            .when(exp.Not(this=exp.Paren(this=criteria)), text(Verdict.NOT_FIT.value))
            .when(criteria.copy(), text(Verdict.FIT.value))
            .else_(text(Verdict.UNKNOWN.value))
        )

    def score(self) -> exp.Expr:
        total: exp.Expr | None = None
        for index, bound in enumerate(self.profile.rules):
            node = bound.node
            if isinstance(node, ast.Points):
                value = ast.Value("number", node.points, node.text, node.span)
                term = exp.Case().when(self.rule(index), self.conditions.literal(value))
                term = term.else_(exp.Literal.number(0))
                total = term if total is None else exp.Add(this=total, expression=term)
        return exp.Paren(this=total) if total is not None else exp.Literal.number(0)

    def tier(self) -> exp.Expr:
        case = exp.Case()
        otherwise: exp.Expr = exp.Null()
        self.conditions.score = self.score()
        try:
            for index, bound in enumerate(self.profile.rules):
                node = bound.node
                if not isinstance(node, ast.Tier):
                    continue
                name = self.conditions.string(node.name)
                if node.condition is None:
                    otherwise = name
                    break
                case = case.when(self.rule(index), name)
        finally:
            self.conditions.score = None
        tiers = case.else_(otherwise) if case.args.get("ifs") else otherwise
        fits = exp.and_(
            exp.Not(this=self.any_fired()), exp.func("COALESCE", self.criteria(), self.false())
        )
        return exp.Case().when(fits, tiers).else_(exp.Null())

    def reasons(self) -> exp.Expr:
        """The text of the rules that kept the account from fitting, `; `-separated.

        Disqualified: the fired disqualifiers; not fit: the failed criteria; unknown: the
        unknown criteria and disqualifiers (as `Result.reasons`, each rule's text as written).
        """
        clear = exp.Not(this=self.any_fired())
        undecided = exp.and_(
            clear, exp.Is(this=exp.Paren(this=self.criteria()), expression=exp.Null())
        )
        pieces: list[exp.Expr] = []
        for index, bound in enumerate(self.profile.rules):
            node = bound.node
            if not isinstance(node, (ast.Criterion, ast.Disqualifier)):
                continue
            test = self.rule(index)
            unknown = exp.and_(undecided.copy(), exp.Is(this=test.copy(), expression=exp.Null()))
            if isinstance(node, ast.Disqualifier):  # fired, or unknown when the verdict is
                when = exp.or_(test, unknown)
            else:  # failed with nothing fired, or unknown when the verdict is
                when = exp.or_(exp.and_(clear.copy(), exp.Not(this=test)), unknown)
            text = self.conditions.string("; " + bound.text)
            pieces.append(exp.Case().when(when, text).else_(self.conditions.string("")))
        if not pieces:
            return exp.cast(exp.Null(), "TEXT")
        joined: exp.Expr = pieces[0]
        for piece in pieces[1:]:
            joined = exp.DPipe(this=joined, expression=piece)
        # drop the leading "; "; no reasons → NULL
        trimmed = exp.Substring(this=exp.Paren(this=joined), start=exp.Literal.number(3))
        return exp.Nullif(this=trimmed, expression=self.conditions.string(""))

    def outputs(self) -> list[exp.Expr]:
        values = (self.verdict(), self.score(), self.tier(), self.reasons())
        return [exp.alias_(v, n, quoted=True) for n, v in zip(OUTPUT_COLUMNS, values, strict=True)]


#: Dialects with `SELECT * EXCLUDE/EXCEPT (...)`: each rule is computed once there.
STAR_EXCLUDE = frozenset({"duckdb", "snowflake", "bigquery"})


def select(
    profile: Profile,
    source: exp.Expr,
    dialect: str,
    as_of: datetime.date | None = None,
) -> exp.Select:
    """`SELECT *, verdict, score, tier, reasons FROM source` as a sqlglot tree."""
    day = as_of or datetime.date.today()
    columns = ProfileSQL(profile, day, f"SQL ({dialect})")
    if dialect not in STAR_EXCLUDE:
        return exp.select(exp.Star(), *columns.outputs()).from_(source)
    helpers = columns.use_helpers()
    inner = exp.select(exp.Star(), *(exp.alias_(e, n, quoted=True) for n, e in helpers))
    inner = inner.from_(source)
    hidden = [exp.Column(this=exp.to_identifier(n, quoted=True)) for n, _ in helpers]
    star = exp.Star(except_=hidden) if hidden else exp.Star()
    alias = exp.to_identifier("icp_rules", quoted=True)
    return exp.select(star, *columns.outputs()).from_(inner.subquery(alias))


def to_sql(
    profile: Profile,
    dialect: str = "duckdb",
    table: str | Sequence[str] = "accounts",
    as_of: datetime.date | None = None,
) -> str:
    """One `SELECT` statement scoring `table` in `dialect` (see DIALECTS).

    `table` is one name, or a sequence of parts (`("analytics", "crm", "accounts")`).
    """
    if dialect not in DIALECTS:
        raise ICPError(f"unknown SQL dialect {dialect!r}; choose one of: {', '.join(DIALECTS)}")
    parts = [table] if isinstance(table, str) else list(table)
    if not 1 <= len(parts) <= 3 or any(not part or "\x00" in part for part in parts):
        raise ICPError(f"not a table name: {table!r}")
    names = [exp.to_identifier(part, quoted=True) for part in reversed(parts)]
    source = exp.Table(this=names[0], db=names[1] if len(names) > 1 else None,
                       catalog=names[2] if len(names) > 2 else None)  # fmt: skip
    sql: str = select(profile, source, dialect, as_of).sql(dialect=dialect)
    return sql
