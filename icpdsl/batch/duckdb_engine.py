"""The DuckDB engine: score a CSV file's rows in DuckDB with the default engine's answers.

`duckdb_engine` is an `icpdsl.batch` Engine (document × Rows × options → one ScoredRow
per Row), so `icp eval --engine duckdb` writes what the default engine writes — the same
rows, numbers, ids, verdicts, scores, tiers, reasons and summary — by construction:

- The Rows come from icpdsl's own CSV reader with every cell kept as text; they reach
  DuckDB through a canonical CSV file (every cell quoted), so DuckDB guesses nothing.
- A rule's outcome depends only on the cells it reads.  DuckDB finds the distinct
  combinations of those cells; the reference evaluator judges each combination once
  (status, points, reason), its cells typed as the default engine types them; DuckDB
  joins the outcomes back onto every row.  A reading that reaches a column outside the
  combination widens it and judges again, so no row is judged on cells it does not hold.
- Verdicts, scores, reasons and the rules that failed are combined in SQL from the
  kernel's tables (`BY_CRITERIA`, `REASON_STATUSES`, `STATUS`, `FIRED`); tiers, ids and
  missing fields are again computed once per distinct combination in Python.

Rows a UTF-8 CSV file cannot carry (a NUL character, text that is not Unicode) and error
Rows are scored by the default engine, in place.  No SQL holds text from the profile or
the data: tables and columns get generated names, and data travels in files.
"""

from __future__ import annotations

import csv
import datetime
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .. import ast
from ..errors import ICPError, ICPLoadError, ICPMissingExtraError
from ..evaluator import ConditionEvaluator, Context, evaluate_profile
from ..io.rows import Row
from ..records import loose_key
from ..semantics.cells import WHITESPACE, infer_cell, tidy_number
from ..semantics.compare import AGE_SOURCES
from ..semantics.logic import FIRED, STATUS
from ..semantics.verdict import BY_CRITERIA, KEPT_OUT, REASON_STATUSES, Verdict, closest
from ..visitor import predicates
from .engine import EngineOptions, field_missing, python_engine, referenced_paths
from .rows import ProfileScore, RuleRef, ScoredRow

if TYPE_CHECKING:
    from ..document import Document, Profile
    from ..program import BoundRule

#: Rows in one fetch from DuckDB while the results are handed out.
_FETCH = 8192
#: DuckDB's longest CSV line (bytes): over any record icpdsl's reader accepts.
_MAX_LINE = 64 << 20
#: How the canonical files are read: every cell quoted, so none is NULL; a computed
#: value that is None is written as "" with a true `<name>_null` flag beside it.
_READ_OPTIONS = (
    "header = true, auto_detect = false, quote = '\"', escape = '\"', delim = ',', "
    "new_line = '\\n', allow_quoted_nulls = false, strict_mode = true, "
    f"max_line_size = {_MAX_LINE}"
)


def duckdb_module() -> Any:
    """The duckdb module, or an error naming the extra to install."""
    try:
        import duckdb
    except ImportError:
        raise ICPMissingExtraError("icp eval --engine duckdb", "duckdb") from None
    return duckdb


def duckdb_engine(
    document: Document, rows: Iterable[Row], options: EngineOptions
) -> Iterator[ScoredRow]:
    """Score every Row (records of text cells, as `open_records(typed=False)` reads them)
    in DuckDB; yields one ScoredRow per Row, in input order.  Input that stops being
    readable partway is scored up to there, then its ICPLoadError is raised."""
    duckdb = duckdb_module()
    with tempfile.TemporaryDirectory(prefix="icpdsl-duckdb-") as folder:
        if any(character in folder for character in "*?[{"):  # DuckDB globs file names
            raise ICPError(
                f"DuckDB would read the temporary folder {folder} as a file pattern",
                hint="set TMPDIR to a folder without *, ?, [ or {",
            )
        store = _Store(folder, options)
        damage: ICPLoadError | None = None
        try:
            for row in rows:
                store.add(row)
        except ICPLoadError as error:  # the rows read before it are scored and written
            damage = error
        store.close()
        others = store.others(document, options)
        if store.header is None:
            yield from others
        else:
            connection = duckdb.connect()
            try:
                scored = _Run(connection, document, options, store, folder).results()
                yield from _merged(scored, others)
            finally:
                connection.close()
    if damage is not None:
        raise damage


# ------------------------------------------------------------------ the rows


class _Store:
    """Rows as they are read: text records into the canonical CSV file (`n`, `l`, then
    `c0`, `c1`, ... for the header's columns), the others kept aside."""

    def __init__(self, folder: str, options: EngineOptions) -> None:
        self.path = os.path.join(folder, "rows.csv")
        self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self._text_keys = {loose_key(c) for c in options.text_columns}
        self.header: list[str] | None = None
        self.typed: list[bool] = []
        self.aside: list[Row] = []

    def add(self, row: Row) -> None:
        record = row.record
        if record is None or not _carried(record):
            self.aside.append(row)
            return
        if self.header is None:
            self.header = list(record)
            self.typed = [loose_key(c) not in self._text_keys for c in self.header]
            self._writer.writerow(["n", "l", *(f"c{i}" for i in range(len(self.header)))])
        self._writer.writerow([row.number, row.line or 0, *record.values()])  # 0: no line

    def close(self) -> None:
        self._file.close()

    def typed_record(self, columns: Sequence[int], cells: Sequence[str]) -> dict[str, Any]:
        """The record the default engine reads from these cells, in header order."""
        assert self.header is not None
        record: dict[str, Any] = {}
        for index, cell in zip(columns, cells, strict=True):
            record[self.header[index]] = infer_cell(cell) if self.typed[index] else cell
        return record

    def others(self, document: Document, options: EngineOptions) -> Iterator[ScoredRow]:
        """The rows set aside, scored by the default engine (error rows as they are)."""
        return python_engine(document, (self._typed_row(row) for row in self.aside), options)

    def _typed_row(self, row: Row) -> Row:
        if row.record is None:
            return row
        keys = self._text_keys
        typed = {k: v if loose_key(k) in keys else infer_cell(v) for k, v in row.record.items()}
        return row._replace(record=typed)


def _carried(record: Mapping[str, Any]) -> bool:
    """Whether a record of text cells goes through a UTF-8 CSV file unchanged."""
    for value in record.values():
        if not isinstance(value, str) or "\x00" in value:
            return False
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def _merged(first: Iterator[ScoredRow], second: Iterator[ScoredRow]) -> Iterator[ScoredRow]:
    """Two streams of ScoredRows, each in input order, as one."""
    pending = next(second, None)
    for row in first:
        while pending is not None and pending.number < row.number:
            yield pending
            pending = next(second, None)
        yield row
    while pending is not None:
        yield pending
        pending = next(second, None)


# ------------------------------------------------------------------ one run


Compute = Callable[[dict[str, Any], tuple[Any, ...]], Sequence[Any]]


@attrs.frozen
class _Table:
    """A table of values computed once per distinct combination: its name, the row
    columns (`c3`) its keys `k0`, `k1`, ... stand for, and its extra key expressions."""

    name: str
    columns: tuple[int, ...]
    extra: tuple[str, ...] = ()

    def value(self, alias: str, result: str) -> str:
        """A computed value, NULL where it was None."""
        return f"CASE WHEN {alias}.{result}_null THEN NULL ELSE {alias}.{result} END"

    def join(self, alias: str, extra: Sequence[str] = ()) -> str:
        """`LEFT JOIN` it on its keys, NULL-safe; `extra` are the values of its extras."""
        tests = [f"{alias}.k{j} IS NOT DISTINCT FROM rows.c{i}" for j, i in enumerate(self.columns)]
        tests += [f"{alias}.x{j} IS NOT DISTINCT FROM {e}" for j, e in enumerate(extra)]
        return f"LEFT JOIN {self.name} AS {alias} ON {' AND '.join(tests) or 'TRUE'}"


class _Run:
    """The tables of one scoring run, and the ScoredRows they give."""

    def __init__(self, connection: Any, document: Document, options: EngineOptions,
                 store: _Store, folder: str) -> None:  # fmt: skip
        assert store.header is not None
        self.db = connection
        self.store = store
        self.folder = folder
        self.options = options
        self.header = store.header
        self.keys = _Keys(store.header)
        self._count = 0
        spill = os.path.join(folder, "spill")  # not DuckDB's default, ./.tmp where run
        self.db.execute(f"SET temp_directory = {_literal(spill)}")
        columns = ["'n': 'BIGINT'", "'l': 'BIGINT'"]
        columns += [f"'c{i}': 'VARCHAR'" for i in range(len(store.header))]
        self.db.execute(
            f"CREATE TABLE rows AS SELECT * FROM read_csv({_literal(store.path)}, "
            f"columns = {{{', '.join(columns)}}}, {_READ_OPTIONS})"
        )
        self.profiles = [
            _ProfileRun(self, document.profiles[name], f"p{index}")
            for index, name in enumerate(options.profiles)
        ]

    def table(self, columns: Iterable[int], results: Sequence[tuple[str, str]],
              compute: Compute, *, source: str = "rows",
              extra: Sequence[tuple[str, str]] = ()) -> _Table:  # fmt: skip
        """`compute(record, extras)` for each distinct combination of the row `columns`
        (and the `extra` expressions: (SQL, type)) in `source`, as a table of `results`
        ((name, type) pairs); `columns` widen when a reading needs more of them."""
        wanted = sorted(set(columns))
        while True:
            selected = [f"rows.c{i}" for i in wanted] + [sql for sql, _ in extra]
            combos = self.db.execute(
                f"SELECT DISTINCT {', '.join(selected) or 'NULL'} FROM {source}"
            ).fetchall()
            try:
                computed = [self._compute(wanted, combo, compute) for combo in combos]
            except _Widen as widen:
                wanted = sorted(set(wanted) | widen.columns)
                continue
            return self._load(wanted, results, extra, combos, computed)

    def _compute(self, columns: list[int], combo: tuple[Any, ...], compute: Compute
                 ) -> Sequence[Any]:  # fmt: skip
        cells, extras = combo[: len(columns)], combo[len(columns) :]
        record = _Tracing(self.store.typed_record(columns, cells), self.keys.guard(columns))
        return compute(record, tuple(extras))

    def _load(self, columns: list[int], results: Sequence[tuple[str, str]],
              extra: Sequence[tuple[str, str]], combos: list[tuple[Any, ...]],
              computed: list[Sequence[Any]]) -> _Table:  # fmt: skip
        self._count += 1
        name = f"t{self._count}"
        path = os.path.join(self.folder, f"{name}.csv")
        spec = [(f"k{j}", "VARCHAR") for j in range(len(columns))]
        spec += [(f"x{j}", kind) for j, (_, kind) in enumerate(extra)]
        for name_, kind in results:
            spec += [(name_, kind), (f"{name_}_null", "BOOLEAN")]
        width = len(columns) + len(extra)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow([column for column, _ in spec])
            for combo, values in zip(combos, computed, strict=True):
                cells = [_cell(c) for c in combo[:width]]
                for value in values:
                    cells += [_cell(value), value is None]
                writer.writerow(cells)
        columns_sql = ", ".join(f"'{column}': '{kind}'" for column, kind in spec)
        self.db.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv({_literal(path)}, "
            f"columns = {{{columns_sql}}}, {_READ_OPTIONS})"
        )
        return _Table(name, tuple(columns), tuple(sql for sql, _ in extra))

    def results(self) -> Iterator[ScoredRow]:
        """The ScoredRows of the rows in DuckDB, in input order."""
        for part in self.profiles:
            part.score_table()
        for part in self.profiles:
            part.tier_table()
        missing = self._missing_tables()
        account, id_joins = self._id_sql()
        joins = [part.final_join() for part in self.profiles]
        joins += [table.join(alias) for alias, (table, _) in missing.items()]
        joins += id_joins
        flags = ", ".join(table.value(alias, "missing") for alias, (table, _) in missing.items())
        selects = ["rows.n", "rows.l", account, f"[{flags}]"]
        for part in self.profiles:
            selects += part.final_columns()
        cursor = self.db.execute(
            f"SELECT {', '.join(selects)} FROM rows {' '.join(joins)} ORDER BY rows.n"
        )
        names = [".".join(parts) for _, parts in missing.values()]
        while batch := cursor.fetchmany(_FETCH):
            for values in batch:
                yield self._scored(values, names)

    def _scored(self, values: tuple[Any, ...], names: list[str]) -> ScoredRow:
        number, line, account, flags = values[:4]
        scores, offset = [], 4
        for part in self.profiles:
            scores.append(part.profile_score(values[offset : offset + part.WIDTH]))
            offset += part.WIDTH
        chosen = 0 if len(scores) == 1 else closest([(s.verdict, s.score) for s in scores])
        missed = tuple(name for name, flag in zip(names, flags, strict=True) if flag)
        return ScoredRow(number, line or None, account, tuple(scores),
                         None if chosen is None else scores[chosen], missed)  # fmt: skip

    def _missing_tables(self) -> dict[str, tuple[_Table, tuple[str, ...]]]:
        """Per field path the profiles read (the default engine's order): is it missing,
        for each distinct combination of the cells it reads."""
        reads: dict[tuple[str, ...], Profile] = {}
        for part in self.profiles:
            for parts in referenced_paths(part.profile):
                reads.setdefault(parts, part.profile)
        tables = {}
        for index, (parts, profile) in enumerate(reads.items()):

            def missing(record: dict[str, Any], _: tuple[Any, ...], parts: tuple[str, ...] = parts,
                        profile: Profile = profile) -> list[Any]:  # fmt: skip
                return [field_missing(record, parts, profile.reader)]

            columns = self.keys.columns(self.keys.names_of_path(parts, profile))
            tables[f"m{index}"] = (self.table(columns, [("missing", "BOOLEAN")], missing), parts)
        return tables

    def _id_sql(self) -> tuple[str, list[str]]:
        """Each row's id as the default engine reads it (`options.id_of`), and the join
        it needs: a text column's cell unless blank (`id_text`), in SQL; a typed one
        once per distinct cell, in Python."""
        key = getattr(self.options.id_of, "key", None)
        if key not in self.header:
            return "NULL", []
        column = self.header.index(key)
        if not self.store.typed[column]:
            blank = f"trim(rows.c{column}, {_literal(WHITESPACE)}) = ''"
            return f"CASE WHEN {blank} THEN NULL ELSE rows.c{column} END", []
        table = self.table([column], [("id", "VARCHAR")],
                           lambda record, _: [self.options.id_of(record)])  # fmt: skip
        return table.value("ids", "id"), [table.join("ids")]


class _ProfileRun:
    """One profile: a table of outcomes per rule, the SQL combining them per row, and
    the tiers of fitting rows."""

    WIDTH = 5  # verdict, score, reasons, failed rules, tier

    def __init__(self, run: _Run, profile: Profile, alias: str) -> None:
        self.run = run
        self.profile = profile
        self.alias = alias
        self.rules: list[tuple[BoundRule, str]] = []  # criteria, disqualifiers, points
        self.tiers: list[BoundRule] = [b for b in profile.rules if isinstance(b.node, ast.Tier)]
        self._tier_table: _Table | None = None
        self._made: dict[tuple[int, ...], tuple[RuleRef, ...]] = {}

    def score_table(self) -> None:
        """Judge each rule once per distinct combination of its cells; then combine the
        outcomes per row into `<alias>_scored`: n, verdict, score, reasons, failed."""
        run, as_of = self.run, self.profile.evaluation_date(self.run.options.as_of)
        joins = []
        for index, bound in enumerate(self.profile.rules):
            if not isinstance(bound.node, (ast.Criterion, ast.Disqualifier, ast.Points)):
                continue
            columns = run.keys.columns(run.keys.names_of_rule(bound, self.profile))
            table = run.table(
                columns,
                [("status", "VARCHAR"), ("gained", "DOUBLE"), ("reason", "VARCHAR")],
                _Judge(attrs.evolve(self.profile, rules=(bound,)), as_of),
            )
            alias = f"{self.alias}r{index}"
            joins.append(table.join(alias))
            self.rules.append((bound, alias))
        run.db.execute(
            f"CREATE TABLE {self.alias}_scored AS SELECT rows.n, "
            f"{self._verdict()} AS verdict, {self._score()} AS score, "
            f"{self._reasons()} AS reasons, {self._failed()} AS failed "
            f"FROM rows {' '.join(joins)}"
        )

    def _statuses(self, kind: type) -> list[str]:
        return [f"{alias}.status" for bound, alias in self.rules if isinstance(bound.node, kind)]

    def _verdict(self) -> str:
        """The kernel's verdict: a disqualifier fired; else the criteria's Kleene `and`
        (false if one failed, unknown if one is unknown) through BY_CRITERIA."""
        fired = " OR ".join(f"{s} = {_literal(FIRED[True])}" for s in self._statuses(
            ast.Disqualifier)) or "FALSE"  # fmt: skip
        criteria = self._statuses(ast.Criterion)
        failed = " OR ".join(f"{s} = {_literal(STATUS[False])}" for s in criteria) or "FALSE"
        unknown = " OR ".join(f"{s} = {_literal(STATUS[None])}" for s in criteria) or "FALSE"
        return (
            f"CASE WHEN {fired} THEN {_literal(Verdict.DISQUALIFIED.value)} "
            f"WHEN {failed} THEN {_literal(BY_CRITERIA[False].value)} "
            f"WHEN {unknown} THEN {_literal(BY_CRITERIA[None].value)} "
            f"ELSE {_literal(BY_CRITERIA[True].value)} END"
        )

    def _score(self) -> str:
        """Points gained, added in rule order as the reference adds them (every value is
        an int below 2**53 or a float: DOUBLE adds them alike)."""
        gained = [f"{a}.gained" for b, a in self.rules if isinstance(b.node, ast.Points)]
        return "(" + " + ".join(["CAST(0 AS DOUBLE)", *gained]) + ")"

    def _reasons(self) -> str:
        """The reasons of the verdict (REASON_STATUSES), in rule order."""
        whens = []
        for verdict, statuses in REASON_STATUSES.items():
            wanted = ", ".join(_literal(s) for s in statuses)
            items = [
                f"CASE WHEN {a}.status IN ({wanted}) THEN [{a}.reason] ELSE []::VARCHAR[] END"
                for b, a in self.rules
                if statuses and isinstance(b.node, (ast.Criterion, ast.Disqualifier))
            ]
            if items:
                chosen = f"flatten([{', '.join(items)}])"
                whens.append(f"WHEN {_literal(verdict.value)} THEN {chosen}")
        if not whens:
            return "[]::VARCHAR[]"
        return f"CASE ({self._verdict()}) {' '.join(whens)} ELSE []::VARCHAR[] END"

    def _failed(self) -> str:
        """The positions (in `self.rules`) of the criteria that failed and the
        disqualifiers that fired: what the summary counts."""
        items = [
            f"CASE WHEN {a}.status = {_literal(KEPT_OUT[b.info.kind])} THEN [{p}] "
            "ELSE []::INTEGER[] END"
            for p, (b, a) in enumerate(self.rules)
            if b.info.kind in KEPT_OUT
        ]
        return f"flatten([{', '.join(items)}])" if items else "[]::INTEGER[]"

    def tier_table(self) -> None:
        """The tier of each fitting row, once per distinct score and tier cells."""
        if not self.tiers:
            return
        run, profile = self.run, self.profile
        as_of = profile.evaluation_date(run.options.as_of)  # --as-of, the file's, or today
        names: set[str] = set()
        for bound in self.tiers:
            if bound.node.condition is not None:
                names |= run.keys.names_of_rule(bound, profile)
        source = (
            f"rows JOIN {self.alias}_scored AS s USING (n) "
            f"WHERE s.verdict = {_literal(Verdict.FIT.value)}"
        )

        def tier(record: dict[str, Any], extras: tuple[Any, ...]) -> list[Any]:
            return [_tier(profile, self.tiers, record, tidy_number(extras[0]), as_of)]

        self._tier_table = run.table(
            run.keys.columns(names), [("tier", "VARCHAR")], tier, source=source,
            extra=[("s.score", "DOUBLE")],
        )  # fmt: skip

    def final_join(self) -> str:
        joined = f"JOIN {self.alias}_scored AS {self.alias} USING (n)"
        if self._tier_table is None:
            return joined
        score = f"(CASE WHEN {self.alias}.verdict = {_literal(Verdict.FIT.value)} THEN {self.alias}.score END)"  # noqa: E501
        return f"{joined} {self._tier_table.join(f'{self.alias}t', [score])}"

    def final_columns(self) -> list[str]:
        table = self._tier_table
        tier = table.value(f"{self.alias}t", "tier") if table is not None else "NULL"
        return [f"{self.alias}.{c}" for c in ("verdict", "score", "reasons", "failed")] + [tier]

    def profile_score(self, values: Sequence[Any]) -> ProfileScore:
        verdict_text, total, reasons, failed, tier = values
        verdict = Verdict(verdict_text)
        score = tidy_number(total)
        if verdict is Verdict.FIT:
            return ProfileScore(self.profile.name, verdict, score, tier)
        return ProfileScore(self.profile.name, verdict, score, None, tuple(reasons),
                            self._refs(tuple(failed)))  # fmt: skip

    def _refs(self, failed: tuple[int, ...]) -> tuple[RuleRef, ...]:
        """The RuleRefs of the rules at these positions (made once per combination)."""
        refs = self._made.get(failed)
        if refs is None:
            refs = self._made[failed] = tuple(
                _rule_ref(self.profile.name, self.rules[p][0]) for p in failed
            )
        return refs


def _rule_ref(profile: str, bound: BoundRule) -> RuleRef:
    info = bound.info
    return RuleRef(profile, info.rule, info.filename, info.line)


@attrs.frozen
class _Judge:
    """(status, points gained, reason) of a one-rule profile's rule, by the reference."""

    profile: Profile
    as_of: datetime.date

    def __call__(self, record: dict[str, Any], extras: tuple[Any, ...]) -> list[Any]:
        outcome = evaluate_profile(self.profile, record, self.as_of).rules[0]
        return [outcome.status, float(outcome.points or 0), outcome.reason]


def _tier(profile: Profile, tiers: list[BoundRule], record: Any, score: int | float,
          as_of: datetime.date) -> str | None:  # fmt: skip
    """A fitting account's tier: the first tier whose condition holds (or `otherwise`),
    the conditions read with the score, as the reference reads them."""
    visitor = ConditionEvaluator(Context(record, as_of, profile.defines, profile.reader, score))
    for bound in tiers:
        node = bound.node
        assert isinstance(node, ast.Tier)
        if node.condition is None or visitor.visit(node.condition)[0]:
            return node.name
    return None


# ------------------------------------------------------------------ which cells a rule reads


class _Widen(Exception):
    """A reading reached a column outside the key: judge again with these columns too."""

    def __init__(self, columns: set[int]) -> None:
        super().__init__(columns)
        self.columns = columns


class _Tracing(dict[str, Any]):
    """A record of some columns of a row; reading another column that the file has
    (exactly or loosely named) raises `_Widen` instead of reading it as missing."""

    def __init__(self, values: dict[str, Any], guard: Callable[[str], None]) -> None:
        super().__init__(values)
        self._guard = guard

    def __getitem__(self, key: str) -> Any:
        if not dict.__contains__(self, key):
            self._guard(key)
        return dict.__getitem__(self, key)


class _Keys:
    """The header's columns, found by the names a rule reads (exactly or loosely)."""

    def __init__(self, header: list[str]) -> None:
        self._by_loose: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            self._by_loose.setdefault(loose_key(name), []).append(index)

    def columns(self, names: Iterable[str]) -> list[int]:
        found: set[int] = set()
        for name in names:
            found.update(self._by_loose.get(loose_key(name), ()))
        return sorted(found)

    def guard(self, columns: list[int]) -> Callable[[str], None]:
        inside = set(columns)

        def check(name: str) -> None:
            outside = {i for i in self._by_loose.get(loose_key(name), ()) if i not in inside}
            if outside:
                raise _Widen(outside)

        return check

    def names_of_rule(self, bound: BoundRule, profile: Profile) -> set[str]:
        names: set[str] = set()
        for predicate in predicates(bound.node.condition, profile.defines):
            names |= self.names_of_path(predicate.field.parts, profile)
        return names

    def names_of_path(self, parts: tuple[str, ...], profile: Profile) -> set[str]:
        """Names a reading of `parts` may look up: its parts, the dotted whole, a
        schema's mapped columns, and the founding dates an `age` falls back to."""
        names = {*parts, ".".join(parts)}
        if parts == ("age",):
            names.update(AGE_SOURCES)
        schema = getattr(profile.reader, "__self__", None)
        fields = getattr(schema, "fields", {})
        stack = [fields.get(parts[0])]
        while stack:
            spec = stack.pop()
            if spec is None:
                continue
            names.add(spec.name)
            if spec.column:
                names.add(spec.column)
            stack.extend(getattr(spec.type, "fields", {}).values())
        return names


def _literal(text: str) -> str:
    """A SQL string literal, quoted by sqlglot for DuckDB."""
    from sqlglot import exp

    return str(exp.Literal.string(text).sql(dialect="duckdb"))


def _cell(value: Any) -> Any:
    """A value as the canonical files write it: None as "", floats exactly."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return value
