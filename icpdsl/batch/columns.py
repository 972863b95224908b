"""A profile's fields against a data file's columns, before any account is scored.

A mapped column that is not in the file (`headcount: int from "Number of Employes"`) or a
field a rule reads that no column holds would make every account `unknown` without a
word; this finds both from the header alone.  A missing mapped column is an error
(ICP202), a field no column holds a warning (ICP203); each names the closest column of the
file.  Columns match as records are read: `Annual Revenue`, `annual_revenue` and
`annual-revenue` are one column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from .. import ast
from ..errors import Diagnostic
from ..program import BoundProfile
from ..records import loose_key
from ..schema import FieldSpec, Schema, closest, did_you_mean_hint
from ..semantics.compare import AGE_SOURCES
from ..source import Source
from ..visitor import predicates

#: A mapped column the file does not have (an error: the mapping is certainly wrong).
MISSING_COLUMN = "ICP202"
#: A field a rule reads that no column of the file holds (a warning: the data may lack it).
FIELD_NOT_IN_DATA = "ICP203"


def column_findings(
    profiles: Iterable[BoundProfile],
    schema: Schema,
    columns: Sequence[str],
    source: str,
    modules: Iterable[ast.Module] = (),
) -> list[Diagnostic]:
    """Every problem between the profiles' fields and `columns` (the header of the file
    named `source`), sorted by place; `modules` (the loaded files) give each its line."""
    header = {loose_key(column): column for column in columns}
    found = [_missing_column(spec, header, source) for spec in _mapped(schema)]
    found += _unheld_fields(list(profiles), schema, header, source)
    texts = {module.filename: Source(module.text, module.filename) for module in modules}
    return sorted((_quoting(f, texts) for f in found if f is not None), key=Diagnostic.sort_key)


def _quoting(finding: Diagnostic, texts: dict[str, Source]) -> Diagnostic:
    """The finding with the line of the profile it points at (for the caret)."""
    text = texts.get(finding.filename)
    if text is None or not finding.line:
        return finding
    return attrs.evolve(finding, source_line=text.line_text(finding.line))


def _mapped(schema: Schema) -> Iterable[FieldSpec]:
    """The declared fields read from a named column, nested record fields too."""
    pending = list(schema.fields.values())
    while pending:
        spec = pending.pop(0)
        if spec.column:
            yield spec
        if spec.type.kind == "record":
            pending.extend(spec.type.fields.values())


def _missing_column(spec: FieldSpec, header: dict[str, str], source: str) -> Diagnostic | None:
    assert spec.column is not None
    if loose_key(spec.column) in header or loose_key(spec.name) in header:
        return None
    message = f"column {spec.column!r} (field {spec.name}) is not in {source}"
    hint = did_you_mean_hint(closest(spec.column, header.values()))
    return Diagnostic(
        MISSING_COLUMN,
        message,
        spec.filename,
        spec.line,
        spec.column_number,
        hint=hint or f"{source}'s columns: {', '.join(header.values())}",
    )


def _unheld_fields(
    profiles: list[BoundProfile], schema: Schema, header: dict[str, str], source: str
) -> list[Diagnostic]:
    """A warning for each field (once) that rules read and no column holds."""
    found: dict[str, Diagnostic] = {}
    for profile in profiles:
        for bound in profile.rules:
            in_tier = isinstance(bound.node, ast.Tier)
            for predicate in predicates(bound.node.condition, profile.defines):
                path = predicate.field
                if path.name in found or (in_tier and path.parts == ("score",)):
                    continue
                if not _held(path, schema, header):
                    found[path.name] = _unheld(path, bound.filename, header, source)
    return list(found.values())


def _held(path: ast.Path, schema: Schema, header: dict[str, str]) -> bool:
    """Whether a column holds the field: its own, its mapped one, or a dotted one."""
    spec = schema.fields.get(path.parts[0])
    if spec is not None and spec.column:
        return True  # a mapped field: checked as a column above
    names = [path.parts[0], path.name]
    if path.parts == ("age",):
        names += AGE_SOURCES  # `age` comes from a founding date when there is no `age`
    return any(loose_key(name) in header for name in names)


def _unheld(path: ast.Path, filename: str, header: dict[str, str], source: str) -> Diagnostic:
    message = f"no column of {source} holds field {path.name!r}: every rule on it is unknown"
    guess = closest(path.name, header.values())
    hint = did_you_mean_hint(guess)
    if guess is not None:
        hint = f"{hint} (or map it: `{path.name} from {_quoted(guess)}` in a fields block)"
    return Diagnostic.at(
        FIELD_NOT_IN_DATA, message, filename, path.span, severity="warning", hint=hint
    )


def columns_read(profiles: Iterable[BoundProfile], schema: Schema) -> set[str] | None:
    """The columns the profiles' rules can read a value from (loosely matched, as records
    are read); None when that cannot be told from the rules (a nested record field), so
    that a reader types every column."""
    if any(spec.type.kind == "record" for spec in schema.fields.values()):
        return None
    found: set[str] = set()
    for profile in profiles:
        for bound in profile.rules:
            for predicate in predicates(bound.node.condition, profile.defines):
                names = source_names(predicate.field.parts, schema)
                if names is None:
                    return None
                found.update(names)
    return found


def source_names(parts: tuple[str, ...], schema: Schema) -> list[str] | None:
    """The column names the field at `parts` can be read from (loosely matched): its own,
    the column it is mapped from, a founding date's for `age`; None for a nested field."""
    if len(parts) > 1 or any(s.type.kind == "record" for s in schema.fields.values()):
        return None
    names = []
    for name in [*parts, *(AGE_SOURCES if parts == ("age",) else ())]:
        names.append(name)
        spec = schema.fields.get(name)
        if spec is not None and spec.column:
            names.append(spec.column)
    return names


def column_indices(names: Sequence[str], columns: Sequence[str]) -> tuple[int, ...]:
    """The positions in `columns` (a header) of the columns `names` match loosely."""
    keys = {loose_key(name) for name in names}
    return tuple(index for index, column in enumerate(columns) if loose_key(column) in keys)


def _quoted(column: str) -> str:
    return '"' + column.replace("\\", "\\\\").replace('"', '\\"') + '"'
