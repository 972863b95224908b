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
from ..evaluator import AGE_SOURCES, FieldReader
from ..io.rows import Row
from ..model import Document, Profile
from ..records import MISSING
from ..result import DocumentResult
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
    profiles = [document.profiles[name] for name in options.profiles]
    compiled = [profile.compile(options.as_of) for profile in profiles]
    missing_fields = _missing_reader(profiles)
    keep, id_of = options.explain, options.id_of
    for row in rows:
        record = row.record
        if record is None:
            yield ScoredRow(row.number, row.line, None, error=row.error)
            continue
        results = [c.evaluate(record, explain=True) for c in compiled]
        scores = tuple(ProfileScore.from_result(r, keep=keep) for r in results)
        best = DocumentResult({r.profile: r for r in results}).best
        chosen = next((s for s in scores if best is not None and s.profile == best.profile), None)
        yield ScoredRow(row.number, row.line, id_of(record), scores, chosen, missing_fields(record))


def _missing_reader(profiles: list[Profile]) -> Callable[[Any], tuple[str, ...]]:
    """A function naming the fields (read by any of `profiles`) a record lacks."""
    reads: dict[tuple[str, ...], FieldReader] = {}
    for profile in profiles:
        for parts in referenced_paths(profile):
            reads.setdefault(parts, profile.reader)
    checks = [(".".join(parts), parts, reader) for parts, reader in reads.items()]

    def missing(record: Any) -> tuple[str, ...]:
        return tuple(
            name
            for name, parts, read in checks
            if read(record, parts) is MISSING and not _founded(record, parts, read)
        )

    return missing


def _founded(record: Any, parts: tuple[str, ...], read: FieldReader) -> bool:
    """`age` is not missing when a founding date is there (the evaluator derives it)."""
    return parts == ("age",) and any(read(record, (s,)) is not MISSING for s in AGE_SOURCES)


def referenced_paths(profile: Profile) -> list[tuple[str, ...]]:
    """The field paths a profile's rules read, in order, once each (`score` in tiers not)."""
    found: dict[tuple[str, ...], None] = {}
    for bound in profile.rules:
        condition = getattr(bound.node, "condition", None)
        in_tier = isinstance(bound.node, ast.Tier)
        stack: list[ast.Condition] = [condition] if condition is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Ref):
                stack.append(profile.defines[node.name].condition)
            elif isinstance(node, ast.Not):
                stack.append(node.operand)
            elif isinstance(node, (ast.And, ast.Or)):
                stack.extend(reversed(node.operands))
            else:
                parts = node.field.parts
                if not (in_tier and parts == ("score",)):
                    found[parts] = None
    return list(found)


ENGINES: dict[str, Engine] = {"python": python_engine}
