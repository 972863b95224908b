"""Code lenses: above each profile, its verdict counts on the workspace's sample data
file; above each examples block, how many of its examples pass (and above each failing
example, why)."""

from __future__ import annotations

import collections
import datetime
import functools
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types

from .. import ast
from ..document import Profile
from ..errors import ICPError
from ..io import open_records
from ..testing import ExampleRun, run_examples
from .analysis import Analysis
from .positions import Lines

_VERDICTS = ("fit", "not_fit", "unknown", "disqualified")


@attrs.frozen
class Sample:
    """The first rows of a data file, read once until the file changes."""

    path: Path
    records: tuple[dict[str, Any], ...]
    unreadable: int
    truncated: bool


def read_sample(path: Path, limit: int) -> Sample:
    """Up to `limit` records of a CSV, JSON Lines, JSON or Parquet file (ICPError if it
    cannot be read)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise ICPError(f"sample {path}: {error.strerror}") from None
    return _read(path, stat.st_mtime_ns, stat.st_size, limit)


@functools.lru_cache(maxsize=4)
def _read(path: Path, mtime: int, size: int, limit: int) -> Sample:
    reader = open_records(path)
    records: list[dict[str, Any]] = []
    unreadable = 0
    truncated = False
    try:
        for row in reader:
            if len(records) + unreadable >= limit:
                truncated = True
                break
            if row.record is None:
                unreadable += 1
            else:
                records.append(row.record)
    finally:
        reader.source.close()
    return Sample(path, tuple(records), unreadable, truncated)


def code_lenses(
    analysis: Analysis, lines: Lines, sample: Sample | None, as_of: datetime.date | None
) -> list[types.CodeLens]:
    """The lenses of the analysed file (none until it loads)."""
    document = analysis.document
    module = analysis.module
    if document is None or module is None:
        return []
    found: list[types.CodeLens] = []
    for decl, body, line in _profiles_in(module, document.profiles):
        profile = document.profiles.get(decl)
        if profile is None:
            continue
        if sample is not None:
            found.append(_lens(line, _verdict_counts(profile, sample, as_of), lines))
        runs = run_examples(profile, as_of=as_of) if profile.examples else []
        for block in (s for s in body if isinstance(s, ast.Examples)):
            found += _examples_lenses(block, runs, lines)
    return found


def _profiles_in(
    module: ast.Module, profiles: dict[str, Profile]
) -> list[tuple[str, tuple[ast.Statement, ...], int]]:
    """Each profile written in the module: its name, its statements and its first line
    (a file of bare statements is one profile, named by the loader)."""
    declared = [
        (item.name, item.body, item.span.line)
        for item in module.items
        if isinstance(item, ast.ProfileDecl)
    ]
    if declared:
        return declared
    bare = tuple(
        item
        for item in module.items
        if not isinstance(item, ast.Import | ast.Fields | ast.ProfileDecl)
    )
    rules = [s for s in bare if not isinstance(s, ast.Define)]
    own = [p for p in profiles.values() if p.filename == module.filename]
    if not rules or not own:
        return []
    return [(own[0].name, bare, rules[0].span.line)]


def _verdict_counts(profile: Profile, sample: Sample, as_of: datetime.date | None) -> str:
    counted = collections.Counter(
        str(result.verdict)
        for result in profile.evaluate_many(sample.records, as_of=as_of, explain=False)
    )
    parts = [f"{counted[verdict]} {verdict}" for verdict in _VERDICTS]
    total = len(sample.records) + sample.unreadable
    rows = f"{'first ' if sample.truncated else ''}{total:,} rows"
    unreadable = f", {sample.unreadable} unreadable" if sample.unreadable else ""
    return f"{sample.path.name} ({rows}{unreadable}): " + " · ".join(parts)


def _examples_lenses(
    block: ast.Examples, runs: list[ExampleRun], lines: Lines
) -> list[types.CodeLens]:
    mine = {id(example) for example in block.examples}
    block_runs = [run for run in runs if id(run.example) in mine]
    failed = [run for run in block_runs if not run.passed]
    if not block_runs:
        return []
    if failed:
        title = f"✗ {len(failed)} of {len(block_runs)} examples fail"
    else:
        title = f"✓ {len(block_runs)} example{'s' if len(block_runs) != 1 else ''} pass"
    found = [_lens(block.span.line, title, lines)]
    for run in failed:
        found.append(_lens(run.example.span.line, f'✗ "{run.name}": {run.failures[0]}', lines))
    return found


def _lens(line: int, title: str, lines: Lines) -> types.CodeLens:
    where = lines.range(line, 1, 0)
    return types.CodeLens(range=where, command=types.Command(title=title, command=""))
