"""What in a history file would make a validation's figures mislead, said as warnings:
a value column without numbers, `percent` cells that look like percentage points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .. import ast
from ..document import Document
from ..records import MISSING, lookup
from ..schema import FieldSpec, FieldType, Schema
from ..semantics.cells import is_number, parse_number
from ..semantics.missing import is_missing
from ..semantics.shown import format_value
from ..visitor import predicates
from .history import History

#: How many odd cells a warning quotes.
EXAMPLES = 3


def history_warnings(history: History, document: Document) -> tuple[str, ...]:
    """Every warning about `history` read for `document`, in a stable order."""
    found = [*history.reading, *value_warnings(history)]
    records = [account.record for account in history.accounts]
    for spec, why in percent_fields(document).values():
        found += percent_warnings(spec, why, records, document.schema)
    return tuple(found)


def percent_fields(document: Document) -> dict[str, tuple[FieldSpec, str]]:
    """The fields read as percents by name, each with why: declared `percent`, or compared
    with a percent literal (`growth >= 20%`) without a declared type."""
    schema = document.schema
    found = {
        name: (spec, "is a percent")
        for name, spec in schema.fields.items()
        if spec.type.kind == "percent"
    }
    for profile in document.profiles.values():
        for rule in profile.rules:
            for node in predicates(getattr(rule.node, "condition", None), profile.defines):
                name = node.field.name
                if name in schema or not any(v.text.endswith("%") for v in _literals(node)):
                    continue
                spec = FieldSpec(name, FieldType("percent"))
                found.setdefault(name, (spec, f"is compared with a percent (`{rule.text}`)"))
    return found


def _literals(node: ast.Predicate) -> tuple[ast.Value, ...]:
    if isinstance(node, ast.Compare):
        return (node.value,)
    if isinstance(node, ast.Range):
        return tuple(v for v in (node.low, node.high) if v is not None)
    return ()


def value_warnings(history: History) -> list[str]:
    """The value column holds no numbers, or some cells that are not numbers."""
    column = history.value_column
    if column is None or not history.accounts:
        return []
    cells = [lookup(account.record, column) for account in history.accounts]
    filled = [cell for cell in cells if cell is not MISSING and not is_missing(cell)]
    valued = sum(account.value is not None for account in history.accounts)
    odd = [cell for cell in filled if not _is_number_cell(cell)]
    if not valued:
        what = f"e.g. {_quoted(odd)}" if odd else "every cell is blank"
        return [
            f"value column {column!r} holds no numbers ({what}): "
            "value per account and value classes are left out"
        ]
    if odd:
        return [
            f"{len(odd):,} of {len(cells):,} cells of value column {column!r} are not numbers "
            f"(e.g. {_quoted(odd)}): those accounts count as having no value"
        ]
    return []


def percent_warnings(
    spec: FieldSpec, why: str, records: Sequence[Any], declared: Schema
) -> list[str]:
    """A `percent` field whose numbers are mostly above 1: `12.0` meant 12%, but a number
    without `%` is a fraction, so it reads as 1,200% (a reader that types cells turns
    `12%` into 0.12 first, so those count as fractions)."""
    bare = (_bare_number(_cell(record, spec)) for record in records)
    numbers = [n for n in bare if n is not None]
    points = [n for n in numbers if 1 < abs(n) <= 100]
    if not numbers or len(points) * 2 <= len(numbers):
        return []
    column = f" (column {spec.column!r})" if spec.column else ""
    example = points[0]
    return [
        f"field {spec.name!r}{column} {why}, but {len(points):,} of its {len(numbers):,} "
        f"numbers are between 1 and 100 (e.g. {format_value(example)}, read as "
        f"{format_value(example * 100)}%): they look like percentage points; write the cells "
        f"as {format_value(example)}% or {format_value(example / 100)}, or "
        + ("declare the field `number` and " if spec.name in declared else "")
        + "write its rules in points (20, not 20%)"
    ]


def _cell(record: Any, spec: FieldSpec) -> Any:
    if spec.column is not None:
        value = lookup(record, spec.column)
        if value is not MISSING:
            return value
    return lookup(record, spec.name)


def _bare_number(cell: Any) -> int | float | None:
    """A number written without a `%` sign, else None."""
    if is_number(cell):
        return cell  # type: ignore[no-any-return]
    if isinstance(cell, str) and "%" not in cell:
        return parse_number(cell)
    return None


def _is_number_cell(cell: Any) -> bool:
    return is_number(cell) or (isinstance(cell, str) and parse_number(cell) is not None)


def _quoted(cells: Iterable[Any]) -> str:
    shown = list(dict.fromkeys(format_value(cell) for cell in cells))[:EXAMPLES]
    return ", ".join(repr(text) for text in shown)
