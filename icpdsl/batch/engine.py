"""Engines: a document × input Rows × options → one ScoredRow per Row, in input order.

`python_engine` scores each record on the compiled fast path and builds rule outcomes
(by the reference evaluator) only for accounts that do not fit, or for all of them with
`explain`.  Other engines plug into `ENGINES` with the same signature.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from .. import ast
from ..document import Document, Profile
from ..evaluator import evaluate_profile
from ..io.rows import Row
from ..program import FieldReader
from ..records import MISSING, get_field
from ..result import Result, Verdict
from ..semantics.compare import field_value
from ..semantics.missing import is_missing
from ..semantics.verdict import closest
from ..visitor import predicates
from .rows import ProfileScore, ScoredRow


@attrs.frozen
class EngineOptions:
    """How to score: which profiles (file order), as of when, with full explanations."""

    profiles: tuple[str, ...]
    as_of: datetime.date
    explain: bool = False
    #: Reads an account's id (see `icpdsl.batch.ids.IdColumn`).
    id_of: Callable[[Mapping[str, Any]], str | None] = lambda record: None
    #: The data file as given (`-` for stdin), for engines that read it themselves.
    source: str | None = None


Engine = Callable[[Document, Iterable[Row], EngineOptions], Iterator[ScoredRow]]


def python_engine(
    document: Document, rows: Iterable[Row], options: EngineOptions
) -> Iterator[ScoredRow]:
    """Score every Row in Python: compiled verdicts, reference explanations."""
    scorers = [_Scorer(document.profiles[name], options) for name in options.profiles]
    missing_fields = _missing_reader([s.profile for s in scorers])
    id_of = options.id_of
    for row in rows:
        record = row.record
        if record is None:
            yield ScoredRow(row.number, row.line, None, error=row.error)
            continue
        scored = [scorer(record) for scorer in scorers]
        scores = tuple(score for _, score in scored)
        chosen = closest([(score.verdict, score.score) for score in scores])
        closest_score = scores[chosen] if chosen is not None else None
        yield ScoredRow(
            row.number, row.line, id_of(record), scores, closest_score, missing_fields(record)
        )


class _Scorer:
    """One profile's verdict, score and tier on the compiled path; for an account that does
    not fit, reasons from the reference evaluator run on the criteria and disqualifiers only
    (the rules a verdict and its reasons come from: points and tiers are skipped)."""

    def __init__(self, profile: Profile, options: EngineOptions) -> None:
        self.profile = profile
        self.compiled = profile.compile(options.as_of)
        self.as_of = options.as_of
        self.keep = options.explain
        verdict_rules = tuple(r for r in profile.rules if isinstance(r.node, _VERDICT_RULES))
        self.verdict_profile = attrs.evolve(profile, rules=verdict_rules)
        # A not_fit's reasons are its failed criteria (no disqualifier fired, by definition).
        criteria = tuple(r for r in verdict_rules if isinstance(r.node, ast.Criterion))
        self.criteria_profile = attrs.evolve(profile, rules=criteria)

    def __call__(self, record: Any) -> tuple[Result, ProfileScore]:
        if self.keep:
            result = evaluate_profile(self.profile, record, self.as_of)
            return result, ProfileScore.from_result(result, keep=True)
        verdict, score, tier = self.compiled(record)
        result = Result(self.profile.name, verdict, score, tier, (), self.as_of)
        if verdict is Verdict.FIT:
            return result, ProfileScore(self.profile.name, verdict, score, tier)
        rules = self.criteria_profile if verdict is Verdict.NOT_FIT else self.verdict_profile
        details = evaluate_profile(rules, record, self.as_of)
        return result, ProfileScore.from_result(result, details=details)


_VERDICT_RULES = (ast.Criterion, ast.Disqualifier)


def _missing_reader(profiles: list[Profile]) -> Callable[[Any], tuple[str, ...]]:
    """A function naming the fields (read by any of `profiles`) a record lacks."""
    reads: dict[tuple[str, ...], FieldReader] = {}
    for profile in profiles:
        for parts in referenced_paths(profile):
            reads.setdefault(parts, profile.reader)
    checks = [(".".join(parts), parts, reader) for parts, reader in reads.items()]

    def missing(record: Any) -> tuple[str, ...]:
        plain = record.__class__ is dict
        return tuple(name for name, parts, read in checks if _absent(record, parts, read, plain))

    return missing


def _absent(record: Any, parts: tuple[str, ...], read: FieldReader, plain: bool) -> bool:
    """Whether the record holds nothing at `parts` (the kernel's `field_value` is
    MISSING); a plain dict's own key is judged without the reader's call."""
    if plain and read is get_field and len(parts) == 1 and parts != ("age",):
        value = record.get(parts[0], MISSING)
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
