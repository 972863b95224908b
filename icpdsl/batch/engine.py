"""Engines: a document × input Rows × options → one ScoredRow per Row, in input order.

`python_engine` scores each record on the compiled fast path: verdict, score and tier,
and for an account that does not fit its reasons and the rules that kept it out
(`CompiledProfile.brief`); with `explain`, every rule's outcome.  A CSV file's rows it
scores by their cells where it can (`cell_memo`: each distinct cell judged once, by the
same compiled code), which gives the same rows.  Other engines plug into `ENGINES` with
the same signature.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from .. import ast
from ..document import Document, Profile
from ..io.cells import CellTyping
from ..io.rows import Row
from ..program import FieldReader
from ..records import MISSING, plain_key
from ..result import Verdict
from ..schema import Schema
from ..semantics.cells import infer_cell
from ..semantics.compare import field_value
from ..semantics.missing import PRESENT, is_missing
from ..semantics.verdict import closest
from ..visitor import predicates
from .cell_memo import CellSource, MissingField, RowScorer, cell_scoring
from .ids import IdColumn, id_text
from .rows import ProfileScore, RuleRef, ScoredRow


@attrs.frozen
class EngineOptions:
    """How to score: which profiles (file order), as of when, with full explanations."""

    profiles: tuple[str, ...]
    #: None: each profile's own date (its file's `as of`, else today).
    as_of: datetime.date | None = None
    explain: bool = False
    #: Reads an account's id (see `icpdsl.batch.ids.IdColumn`).
    id_of: Callable[[Mapping[str, Any]], str | None] = lambda record: None
    #: The data file as given (`-` for stdin), for engines that read it themselves.
    source: str | None = None
    #: Columns the reader keeps as text (ids such as `00123`); an engine that gets text
    #: cells types every other column as the reader would (`infer_cell`).
    text_columns: tuple[str, ...] = ()


Engine = Callable[[Document, Iterable[Row], EngineOptions], Iterator[ScoredRow]]


def python_engine(
    document: Document, rows: Iterable[Row], options: EngineOptions
) -> Iterator[ScoredRow]:
    """Score every Row in Python, on the compiled path (verdicts and explanations); a
    CSV reader's rows by their cells (`cell_memo`) where that applies."""
    if isinstance(rows, CellSource) and isinstance(options.id_of, IdColumn):
        scored = _cell_scorer(document, options, options.id_of, rows.typing)
        if scored is not None:
            return _cells_engine(rows, scored)
    profiles = [document.profiles[name] for name in options.profiles]
    scorers = [_Scorer(profile, options) for profile in profiles]
    return _records_engine(scorers, rows, options, _missing_fields(profiles, document.schema))


def _cell_scorer(
    document: Document, options: EngineOptions, id_column: IdColumn, typing: CellTyping
) -> RowScorer | None:
    """The memo's scorer of rows typed by `typing`, or None where it does not apply;
    kept with the typing, so the chunks of one file a worker process scores (`--jobs`)
    share what it learnt."""
    known = typing.kept.get(options)
    if known is not None and known[0] is document:
        return known[1]  # type: ignore[no-any-return]
    profiles = [document.profiles[name] for name in options.profiles]
    compiled = [profile.compile(options.as_of) for profile in profiles]
    fields = _missing_fields(profiles, document.schema)
    scoring = cell_scoring(
        profiles, compiled, fields, document.schema, typing, explain=options.explain
    )
    scored = scoring.scorer(_cell_id(id_column, typing)) if scoring is not None else None
    typing.kept[options] = (document, scored)
    return scored


def _records_engine(
    scorers: list[_Scorer], rows: Iterable[Row], options: EngineOptions, fields: list[MissingField]
) -> Iterator[ScoredRow]:
    """ScoredRows of typed records, each judged by the compiled profiles."""
    missing_fields = _missing_reader(fields)
    id_of = options.id_of
    only = scorers[0] if len(scorers) == 1 else None
    for number, record, error, line in rows:
        if record is None:
            yield ScoredRow(number, line, None, error=error)
        elif only is not None:  # the one profile is the closest, whatever its verdict
            score = only(record)
            yield ScoredRow(number, line, id_of(record), (score,), score, missing_fields(record))
        else:
            scores = tuple([scorer(record) for scorer in scorers])
            chosen = closest([(score.verdict, score.score) for score in scores])
            closest_score = scores[chosen] if chosen is not None else None
            yield ScoredRow(
                number, line, id_of(record), scores, closest_score, missing_fields(record)
            )


def _cells_engine(source: CellSource, scored: RowScorer) -> Iterator[ScoredRow]:
    """ScoredRows of a CSV reader's cell rows, scored by memo (`cell_memo`)."""
    for number, cells, error, line in source.cell_rows():
        if cells is None:
            yield ScoredRow(number, line, None, error=error)
        else:
            yield scored(number, line, cells)


def _cell_id(id_column: IdColumn, typing: CellTyping) -> Callable[[list[str]], str | None]:
    """A row's id from its cells, as `id_column` reads it from the typed record."""
    columns = typing.columns
    if id_column.key is None or id_column.key not in columns:
        return lambda cells: None
    index = columns.index(id_column.key)
    if typing.is_typed(index):
        return lambda cells: id_text(infer_cell(cells[index]))
    # `id_text` of text: the text, or None when blank.
    return lambda cells: cell if (cell := cells[index]).strip() else None


class _Scorer:
    """One profile's verdict, score and tier on the compiled path; for an account that does
    not fit, its reasons and the rules that kept it out, from the truths the compiled code
    found (no rule outcomes built); with `explain`, the full Result."""

    def __init__(self, profile: Profile, options: EngineOptions) -> None:
        self.name = profile.name
        self.compiled = profile.compile(options.as_of)
        self.keep = options.explain
        #: Each rule as the summary counts it.
        self.refs = [RuleRef.of_info(profile.name, bound.info) for bound in profile.rules]

    def __call__(self, record: Any) -> ProfileScore:
        if self.keep:
            return ProfileScore.from_result(self.compiled.evaluate(record))
        verdict, score, tier, reasons, kept_out = self.compiled.brief(record)
        if verdict is Verdict.FIT:
            return ProfileScore(self.name, verdict, score, tier)
        failed = tuple([self.refs[index] for index in kept_out])
        return ProfileScore(self.name, verdict, score, tier, tuple(reasons), failed)


def _missing_fields(profiles: list[Profile], schema: Schema) -> list[MissingField]:
    """The fields any of `profiles` reads, in order: each with its test for a record
    that holds nothing there."""
    reads: dict[tuple[str, ...], FieldReader] = {}
    for profile in profiles:
        for parts in referenced_paths(profile):
            reads.setdefault(parts, profile.reader)
    return [
        MissingField(".".join(parts), parts, plain_key(read, parts), _absence(parts, read, schema))
        for parts, read in reads.items()
    ]


def _missing_reader(fields: list[MissingField]) -> Callable[[Any], tuple[str, ...]]:
    """A function naming the `fields` a record lacks."""
    checks = [(field.name, field.key, field.absent) for field in fields]

    def missing(record: Any) -> tuple[str, ...]:
        if record.__class__ is not dict:
            return tuple([name for name, _, absent in checks if absent(record)])
        get = record.get
        # None, a value of a class that is never missing (`PRESENT`) and text that is not
        # blank are answered here, another value of the key by `is_missing`, and a key
        # the dict does not have by the field's test (which reads names loosely).
        return tuple([name for name, key, absent in checks
                      if (value := get(key, MISSING)) is None
                      or (value.__class__ not in PRESENT
                          and not (value.__class__ is str and value.strip())
                          and (is_missing(value) if value is not MISSING else absent(record)))
                      ])  # fmt: skip

    return missing


def _absence(parts: tuple[str, ...], read: FieldReader, schema: Schema) -> Callable[[Any], bool]:
    """Whether a record holds nothing at `parts` (the kernel's `field_value` is MISSING);
    a field the schema reads, found without coercing its cell (`Schema.holds`)."""
    if parts != ("age",) and read == schema.read:  # `age` may come from a founding date
        holds = schema.holds
        return lambda record: not holds(record, parts)
    return lambda record: field_value(read, record, parts) is MISSING


def field_missing(record: Any, parts: tuple[str, ...], read: FieldReader) -> bool:
    """Whether `record` holds nothing at `parts`, as the summary's missing fields count it
    (the kernel's `field_value` is MISSING); a plain dict's own key (`plain_key`) is
    judged without the reader's call."""
    key = plain_key(read, parts) if record.__class__ is dict else None
    if key is not None:
        value = record.get(key, MISSING)
        if value is not MISSING:
            return is_missing(value)
    return field_value(read, record, parts) is MISSING


def referenced_paths(profile: Profile) -> list[tuple[str, ...]]:
    """The field paths a profile's rules read, in order, once each (`score` in tiers not)."""
    found: dict[tuple[str, ...], None] = {}
    for bound in profile.rules:
        in_tier = isinstance(bound.node, ast.Tier)
        for predicate in predicates(bound.node.condition, profile.defines):
            parts = predicate.field.parts
            if not (in_tier and parts == ("score",)):
                found[parts] = None
    return list(found)


ENGINES: dict[str, Engine] = {"python": python_engine}
