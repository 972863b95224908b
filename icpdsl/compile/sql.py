"""SQL back-end: a profile → one `SELECT` adding verdict, score, tier and reasons columns.

Built as a sqlglot expression tree and generated per dialect, so every identifier and
literal is quoted by sqlglot for that dialect; no ICP or record text is pasted into SQL.
Three-valued logic maps onto SQL NULL: a predicate on a NULL (or blank text) column is
NULL, and SQL's AND/OR/NOT are Kleene's.  See docs/scale.md for the typed-column rules.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

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
from ..semantics.logic import FIRED, STATUS, Truth
from ..semantics.verdict import BY_CRITERIA, REASON_STATUSES, Verdict
from ..visitor import ConditionVisitor
from .support import check_date_text, check_literal, column_names, refuse, splits_lines

try:
    from sqlglot import exp
except ImportError:  # pragma: no cover - depends on the environment
    raise ICPMissingExtraError("Profile.to_sql", "sql") from None

if TYPE_CHECKING:
    from ..program import BoundProfile

#: Output columns, in order, after the table's own.
OUTPUT_COLUMNS = ("verdict", "score", "tier", "reasons")
#: Spaces around a separator that SQLite ignores (the reference ignores any white space).
SEPARATOR_SPACES = 3


def _split_pattern(separators: str) -> str:
    """How the kernel splits a list cell at `separators`, as a regular expression."""
    return rf"{WHITESPACE_CLASS}*[{re.escape(separators)}]{WHITESPACE_CLASS}*"


#: How the kernel splits a list cell (`split_items`), and a schema's set or list field
#: (which also splits at line breaks), as regular expressions and character classes.
ITEM_SEPARATOR, LINE_SEPARATOR = _split_pattern(ITEM_SEPARATORS), _split_pattern(LINE_SEPARATORS)
ITEM_CLASS, LINE_CLASS = f"[{re.escape(ITEM_SEPARATORS)}]", f"[{re.escape(LINE_SEPARATORS)}]"


def regex_quote(text: str) -> str:
    """`text` as an RE2 pattern matching exactly `text`, as RE2's own QuoteMeta does it:
    a backslash before every ASCII character that is not a letter, digit or `_`.

    (RE2 reads a backslash before such a character as that character; text holding NUL
    never reaches here, `check_literal` refuses it.)
    """
    return "".join("\\" + c if c.isascii() and not (c.isalnum() or c == "_") else c for c in text)


class ConditionSQL(ConditionVisitor[exp.Expr]):
    """Conditions → sqlglot boolean expressions, in the SQL every dialect shares; a
    dialect whose SQL differs subclasses it (as sqlglot's own dialects do)."""

    #: The dialect's name for sqlglot.
    dialect: ClassVar[str] = "postgres"

    def __init__(self, profile: BoundProfile, as_of: datetime.date) -> None:
        self.profile = profile
        self.as_of = as_of
        self.engine = f"SQL ({self.dialect})"
        self.columns = column_names(profile)
        self.filename = profile.filename
        self.score: exp.Expr | None = None  # set while tiers are compiled

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
        check_date_text(self.engine, self.profile, path, self.filename)
        name = self.columns.get(path.name, path.name)
        if "\x00" in name:
            raise refuse(
                self.engine, "a field name containing a NUL character", path, self.filename
            )
        return exp.Column(this=exp.to_identifier(name, quoted=True))

    def text(self, path: ast.Path) -> exp.Expr:
        """The column as the reference compares text: trimmed, lower case, blank = NULL."""
        blank = exp.Nullif(this=self.trimmed(self.column(path)), expression=self.string(""))
        return exp.Lower(this=blank)

    def items(self, path: ast.Path) -> exp.Expr:
        """`|a|b|c|`: a list cell's items, normalized, between `|` marks.

        Separators are the kernel's, with white space around them, as the kernel splits.
        """
        return self.marked(self.split(self.text(path), splits_lines(self.profile, path)))

    def split(self, value: exp.Expr, lines: bool) -> exp.Expr:
        """`value` with every separator (and the white space around it) made a `|`."""
        pattern = self.string(LINE_SEPARATOR if lines else ITEM_SEPARATOR)
        return exp.RegexpReplace(this=value, expression=pattern, replacement=self.string("|"))

    def marked(self, value: exp.Expr) -> exp.Expr:
        return exp.DPipe(
            this=exp.DPipe(this=self.string("|"), expression=value), expression=self.string("|")
        )

    def trimmed(self, text: exp.Expr) -> exp.Expr:
        """`text` without the kernel's WHITESPACE at either end."""
        return exp.Trim(this=text, expression=self.string(WHITESPACE))

    def string(self, text: str) -> exp.Expr:
        return exp.Literal.string(text)

    def check(self, value: ast.Value) -> None:
        check_literal(self.engine, value, self.filename)

    def literal(self, value: ast.Value) -> exp.Expr:
        self.check(value)
        if value.kind == "string":
            return self.string(text_key(str(value.value)))
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
        target = self.item(value)
        if not self.findable(path, target):
            return self.never_found(path)
        needle = self.string("|" + target + "|")
        position = exp.StrPosition(this=self.items(path), substr=needle)
        return exp.GT(this=position, expression=exp.Literal.number(0))

    def item(self, value: ast.Value) -> str:
        """A list item to look for, normalized; only text is compared with list items."""
        self.check(value)
        if value.kind != "string":
            raise refuse(
                self.engine, f"a list item that is not text ({value.text})", value, self.filename
            )
        return text_key(str(value.value))

    def findable(self, path: ast.Path, target: str) -> bool:
        """Whether a cell can hold item `target`: blank items and separators never survive
        the reference's split (`"a|b"` is two items, never the one item `a|b`)."""
        separators = LINE_SEPARATORS if splits_lines(self.profile, path) else ITEM_SEPARATORS
        return bool(target) and not any(character in separators for character in target)

    def never_found(self, path: ast.Path) -> exp.Expr:
        """An item no cell holds: NULL for a missing cell, else FALSE (`x IS NULL AND NULL`)."""
        missing = exp.Is(this=self.text(path), expression=exp.Null())
        return exp.Paren(this=exp.and_(missing, exp.Null()))

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
        tests = [self.contains(node.field, v) for v in node.values]
        if node.mode in ("one", "all"):
            return exp.and_(*tests, wrap=True) if len(tests) > 1 else tests[0]
        some = exp.Paren(this=exp.or_(*tests, wrap=True)) if len(tests) > 1 else tests[0]
        return some if node.mode == "any" else exp.Not(this=some)

    def visit_IsKnown(self, node: ast.IsKnown) -> exp.Expr:
        if self.score is not None and node.field.parts == ("score",):
            return exp.Boolean(this=node.known)
        text = exp.cast(self.column(node.field), "TEXT")
        present = exp.Nullif(this=self.trimmed(text), expression=self.string(""))
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


class DuckDBConditions(ConditionSQL):
    """DuckDB: list cells searched with one RE2 regular expression, never split."""

    dialect = "duckdb"

    def split(self, value: exp.Expr, lines: bool) -> exp.Expr:
        pattern = self.string(LINE_SEPARATOR if lines else ITEM_SEPARATOR)
        return exp.RegexpReplace(  # DuckDB replaces the first match only without 'g'
            this=value, expression=pattern, replacement=self.string("|"), modifiers=self.string("g")
        )

    def trimmed(self, text: exp.Expr) -> exp.Expr:
        """`text` without the kernel's WHITESPACE at either end, as one RE2 replacement:
        DuckDB's `TRIM` given a set of characters is much slower (`bench/engines.py`'s
        `to_sql()` row: 6.01× the hand-written Python with it, 1.65–1.68× without)."""
        pattern = self.string(f"^{WHITESPACE_CLASS}+|{WHITESPACE_CLASS}+$")
        return exp.RegexpReplace(
            this=text, expression=pattern, replacement=self.string(""), modifiers=self.string("g")
        )

    def contains(self, path: ast.Path, value: ast.Value) -> exp.Expr:
        target = self.item(value)
        if not self.findable(path, target):
            return self.never_found(path)
        return self.found(path, [target])

    def found(self, path: ast.Path, targets: Sequence[str]) -> exp.Expr:
        """DuckDB: the cell has one of `targets` (findable, normalized) as an item.

        One regular expression, searched in the normalized cell without splitting it: an
        item is found where it lies between the start or a separator (white space after
        it ignored) and a separator (white space before it ignored) or the end.  That is
        exactly an item of `regexp_split_to_array(cell, ITEM_SEPARATOR)` for a target
        without separators and without white space at its ends, which normalized,
        findable targets are.  Each target is quoted for RE2 (`regex_quote`), and the
        pattern is one string literal that sqlglot quotes.
        """
        klass = LINE_CLASS if splits_lines(self.profile, path) else ITEM_CLASS
        either = "|".join(regex_quote(target) for target in targets)
        space = WHITESPACE_CLASS
        pattern = f"(?:^|{klass}{space}*)(?:{either})(?:{space}*{klass}|$)"
        return exp.RegexpLike(this=self.text(path), expression=self.string(pattern))

    def visit_Has(self, node: ast.Has) -> exp.Expr:
        """One regular expression per `has`: any or none of the items, or each item."""
        targets = [self.item(value) for value in node.values]
        found = [t for t in targets if self.findable(node.field, t)]
        if node.mode in ("one", "all"):
            if len(found) < len(targets):  # an item no cell holds: never all of them
                return self.never_found(node.field)
            tests = [self.found(node.field, [t]) for t in dict.fromkeys(found)]
            return exp.and_(*tests, wrap=True) if len(tests) > 1 else tests[0]
        some = self.found(node.field, found) if found else self.never_found(node.field)
        return exp.Not(this=some) if node.mode == "none" else some


class SQLiteConditions(ConditionSQL):
    """SQLite: no regular expressions (REPLACE splits list cells) and a LOWER that folds
    ASCII letters only (non-ASCII text literals are refused)."""

    dialect = "sqlite"

    def split(self, value: exp.Expr, lines: bool) -> exp.Expr:
        """Each separator, then up to SEPARATOR_SPACES spaces on either side, as `|`."""
        separators = LINE_SEPARATORS if lines else ITEM_SEPARATORS
        for separator in separators.replace("|", ""):  # `|` is the mark already
            value = exp.Replace(
                this=value, expression=self.string(separator), replacement=self.string("|")
            )
        for _ in range(SEPARATOR_SPACES):
            for spaced in (" |", "| "):
                value = exp.Replace(
                    this=value, expression=self.string(spaced), replacement=self.string("|")
                )
        return value

    def check(self, value: ast.Value) -> None:
        super().check(value)
        if value.kind == "string" and not value.text.isascii():
            raise refuse(
                self.engine,
                f"non-ASCII text ({value.text}): SQLite's LOWER folds ASCII letters only",
                value,
                self.filename,
            )


class ProfileSQL:
    """The verdict, score, tier and reasons columns of a profile as SQL expressions, in
    the SQL every dialect shares; `DIALECTS` maps each dialect to its subclass.

    With `helpers`, each non-tier rule is computed once into a helper column of an
    inner query, and the outputs refer to it (dialects with `* EXCLUDE`); otherwise
    every output inlines the rule conditions it needs.
    """

    conditions_class: ClassVar[type[ConditionSQL]] = ConditionSQL
    #: Whether the dialect has `SELECT * EXCLUDE/EXCEPT (...)`: each rule is then
    #: computed once, in a helper column.
    star_exclude: ClassVar[bool] = False

    def __init__(self, profile: BoundProfile, as_of: datetime.date) -> None:
        self.conditions = self.conditions_class(profile, as_of)
        self.profile = profile
        self.helpers: dict[int, str] | None = None

    @property
    def dialect(self) -> str:
        return self.conditions.dialect

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
        """The kernel's verdict: DISQUALIFIED when a disqualifier fired, else the verdict
        `BY_CRITERIA` gives the criteria's joint truth (each written once)."""
        text = self.conditions.string
        by_criteria = exp.Case(this=exp.Paren(this=self.criteria()))
        for truth, verdict in BY_CRITERIA.items():
            if truth is not None:
                by_criteria = by_criteria.when(exp.Boolean(this=truth), text(verdict.value))
        by_criteria = by_criteria.else_(text(BY_CRITERIA[None].value))
        return (
            exp.Case().when(self.any_fired(), text(Verdict.DISQUALIFIED.value)).else_(by_criteria)
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
        """The text of the rules that kept the account from fitting, `; `-separated: for
        the account's verdict, the outcomes the kernel's REASON_STATUSES name
        (`Result.reasons`), each rule's text as written; NULL for none.  Each rule is
        written once per verdict, so the SQL stays linear in the profile."""
        case = exp.Case(this=self.verdict())
        for verdict, statuses in REASON_STATUSES.items():
            pieces = self.reason_pieces(statuses)
            if pieces:
                case = case.when(self.conditions.string(verdict.value), self.joined(pieces))
        return case if case.args.get("ifs") else exp.cast(exp.Null(), "TEXT")

    def reason_pieces(self, statuses: tuple[str, ...]) -> list[tuple[exp.Expr, str]]:
        """(whether the rule has one of `statuses`, its text) for each criterion and
        disqualifier that can have one."""
        pieces: list[tuple[exp.Expr, str]] = []
        for index, bound in enumerate(self.profile.rules):
            if not isinstance(bound.node, (ast.Criterion, ast.Disqualifier)):
                continue
            words = FIRED if isinstance(bound.node, ast.Disqualifier) else STATUS
            truths = [truth for truth, word in words.items() if word in statuses]
            if truths:
                test = exp.or_(*(_is(self.rule(index), truth) for truth in truths))
                pieces.append((test, bound.text))
        return pieces

    def joined(self, pieces: list[tuple[exp.Expr, str]]) -> exp.Expr:
        """The texts whose test holds, `; `-separated; NULL when none does."""
        text = self.conditions.string
        strings = [
            exp.Case().when(when, text("; " + rule)).else_(text("")) for when, rule in pieces
        ]
        concatenated: exp.Expr = strings[0]
        for piece in strings[1:]:
            concatenated = exp.DPipe(this=concatenated, expression=piece)
        # drop the leading "; "; no reasons → NULL
        trimmed = exp.Substring(this=exp.Paren(this=concatenated), start=exp.Literal.number(3))
        return exp.Nullif(this=trimmed, expression=text(""))

    def outputs(self) -> list[exp.Expr]:
        values = (self.verdict(), self.score(), self.tier(), self.reasons())
        return [exp.alias_(v, n, quoted=True) for n, v in zip(OUTPUT_COLUMNS, values, strict=True)]

    def select(self, source: exp.Expr) -> exp.Select:
        """`SELECT *, verdict, score, tier, reasons FROM source` as a sqlglot tree."""
        if not self.star_exclude:
            return exp.select(exp.Star(), *self.outputs()).from_(source)
        helpers = self.use_helpers()
        inner = exp.select(exp.Star(), *(exp.alias_(e, n, quoted=True) for n, e in helpers))
        inner = inner.from_(source)
        hidden = [exp.Column(this=exp.to_identifier(n, quoted=True)) for n, _ in helpers]
        star = exp.Star(except_=hidden) if hidden else exp.Star()
        alias = exp.to_identifier("icp_rules", quoted=True)
        return exp.select(star, *self.outputs()).from_(inner.subquery(alias))


def _is(test: exp.Expr, truth: Truth) -> exp.Expr:
    """`test IS TRUE` / `IS FALSE` / `IS NULL`: never NULL itself."""
    if truth is None:
        return exp.Is(this=exp.Paren(this=test), expression=exp.Null())
    return exp.Is(this=exp.Paren(this=test), expression=exp.Boolean(this=truth))


class DuckDBSQL(ProfileSQL):
    conditions_class = DuckDBConditions
    star_exclude = True

    def joined(self, pieces: list[tuple[exp.Expr, str]]) -> exp.Expr:
        """CONCAT_WS skips NULLs: no '' pieces to join and trim."""
        text = self.conditions.string
        cases = [exp.Case().when(when, text(rule)) for when, rule in pieces]
        joined = exp.Anonymous(this="CONCAT_WS", expressions=[text("; "), *cases])
        return exp.Nullif(this=joined, expression=text(""))


class SQLiteSQL(ProfileSQL):
    conditions_class = SQLiteConditions


class SnowflakeSQL(ProfileSQL):
    conditions_class = type("SnowflakeConditions", (ConditionSQL,), {"dialect": "snowflake"})
    star_exclude = True


class BigQuerySQL(ProfileSQL):
    conditions_class = type("BigQueryConditions", (ConditionSQL,), {"dialect": "bigquery"})
    star_exclude = True


class SparkSQL(ProfileSQL):
    conditions_class = type("SparkConditions", (ConditionSQL,), {"dialect": "spark"})


#: Every dialect `to_sql` writes, and the generator that writes it.
DIALECTS: dict[str, type[ProfileSQL]] = {
    "duckdb": DuckDBSQL,
    "postgres": ProfileSQL,
    "sqlite": SQLiteSQL,
    "snowflake": SnowflakeSQL,
    "bigquery": BigQuerySQL,
    "spark": SparkSQL,
}


def select(
    profile: BoundProfile,
    source: exp.Expr,
    dialect: str,
    as_of: datetime.date | None = None,
) -> exp.Select:
    """`SELECT *, verdict, score, tier, reasons FROM source` as a sqlglot tree."""
    return DIALECTS[dialect](profile, profile.evaluation_date(as_of)).select(source)


def to_sql(
    profile: BoundProfile,
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
